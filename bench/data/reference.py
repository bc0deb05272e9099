#!/usr/bin/python3
"""PyTorch / imbalanced-learn side of `npm run bench:data` (spawned by bench/data/index.ts).

  reference.py mlp DIR        handbook MLP (784-128-ReLU-10, Adam 1e-3, batch 32) training
                              samples/s, torch and OpenBLAS on 1 thread (the reference's 1/1)
  reference.py loader DIR B   torch loader pipeline: randperm + index_select + standardize
  reference.py smote PREFIX N D   imbalanced-learn SMOTE(k_neighbors=5, random_state=0) on
                              PREFIX.x (float32 N x D, raw) and PREFIX.y (int32 N, raw)
Each prints one JSON line: per-repetition seconds and what was measured.
Run with /usr/bin/python3 (Debian torch 1.13, imblearn 0.10); OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE are removed from the environment by the caller.
"""
import gzip
import json
import os
import sys
import time

import numpy as np


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def fashion(directory):
    x = idx(os.path.join(directory, "train-images-idx3-ubyte.gz")).reshape(60000, 784).astype(np.float32)
    y = idx(os.path.join(directory, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    return x, y


def mlp(directory, epochs=2):
    import torch
    import torch.nn as nn
    from threadpoolctl import threadpool_limits
    torch.set_num_threads(1)
    x, y = fashion(directory)
    x = (x / 255.0 - (x / 255.0).mean()) / (x / 255.0).std()
    X, Y = torch.from_numpy(x.astype(np.float32)), torch.from_numpy(y)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(0)
    times = []
    with threadpool_limits(limits=1, user_api="blas"):
        for e in range(epochs + 1):  # the first epoch warms up
            t0 = time.perf_counter()
            perm = torch.randperm(60000, generator=gen)
            for i in range(0, 60000, 32):
                ix = perm[i:i + 32]
                xb, yb = X.index_select(0, ix), Y.index_select(0, ix)
                opt.zero_grad(set_to_none=True)
                loss = lossf(model(xb), yb)
                loss.backward()
                opt.step()
            if e > 0:
                times.append(time.perf_counter() - t0)
    print(json.dumps({"what": "torch MLP training, batch 32, 1 thread", "samples": 60000, "seconds": times}))


def loader(directory, batch, epochs=5):
    import torch
    torch.set_num_threads(1)
    x, _ = fashion(directory)
    X = torch.from_numpy(x)
    mean, std = X.mean(0), X.std(0, unbiased=False)
    std[std == 0] = 1
    Y = torch.from_numpy(np.zeros(60000, dtype=np.int64))
    gen = torch.Generator().manual_seed(0)
    times = []
    for e in range(epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(60000, generator=gen)
        for i in range(0, 60000, batch):
            ix = perm[i:i + batch]
            xb = (X.index_select(0, ix) - mean) / std
            yb = Y.index_select(0, ix)
        if e > 0:
            times.append(time.perf_counter() - t0)
    print(json.dumps({"what": f"torch randperm + index_select + standardize, batch {batch}", "samples": 60000, "seconds": times}))


def smote(prefix, n, d, reps=3):
    from imblearn.over_sampling import SMOTE
    X = np.fromfile(prefix + ".x", dtype=np.float32).reshape(n, d)
    y = np.fromfile(prefix + ".y", dtype=np.int32)
    times, counts = [], None
    SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y)  # warm-up
    for _ in range(reps):
        t0 = time.perf_counter()
        _, y_res = SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y)
        times.append(time.perf_counter() - t0)
        counts = {str(int(k)): int(v) for k, v in zip(*np.unique(y_res, return_counts=True))}
    print(json.dumps({"what": f"imblearn SMOTE {X.shape[0]}x{X.shape[1]} {X.dtype}", "seconds": times, "counts": counts}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "mlp":
        mlp(sys.argv[2])
    elif mode == "loader":
        loader(sys.argv[2], int(sys.argv[3]))
    elif mode == "smote":
        smote(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {mode}")
