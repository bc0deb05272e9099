#!/usr/bin/python3
"""PyTorch reference for bench/mlp: the handbook MLP 784-128-ReLU-10, CrossEntropy, Adam(1e-3),
on full Fashion-MNIST with per-feature standardization fitted on the training set (population
std; a constant feature keeps scale 1, as scikit-learn's StandardScaler and steepest's
Standardize do).

Batches: a fresh torch.randperm each epoch and index_select of the rows — the same semantics as
DataLoader(shuffle=True) (every sample once per epoch, new order each epoch, last batch short),
but without DataLoader's per-sample collation, which is PyTorch's fastest way to feed in-memory
tensors.

Run by bench/mlp/index.ts (one process per thread count; the thread environment is set before
import):
  /usr/bin/python3 bench/mlp/torch_mlp.py --threads 1 --batch 32 --epochs 5 --data /usr/share/datasets/fashion-mnist
Prints one JSON line: {"threads", "batch", "epochSeconds": [...], "testAccuracy", "torch"}.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, required=True)
ap.add_argument("--batch", type=int, required=True)
ap.add_argument("--epochs", type=int, default=5)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
args = ap.parse_args()

import torch  # noqa: E402  (after the thread environment is fixed)
import torch.nn as nn  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def idx(name):
    with gzip.open(os.path.join(args.data, name + ".gz"), "rb") as f:
        b = f.read()
    ndim = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


xtr = idx("train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32)
ytr = idx("train-labels-idx1-ubyte").astype(np.int64)
xte = idx("t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32)
yte = idx("t10k-labels-idx1-ubyte").astype(np.int64)
mean = xtr.astype(np.float64).mean(axis=0)
std = xtr.astype(np.float64).std(axis=0)
scale = np.where(std < 1e-12, 1.0, std)
xtr = torch.from_numpy(((xtr - mean) / scale).astype(np.float32))
xte = torch.from_numpy(((xte - mean) / scale).astype(np.float32))
ytr = torch.from_numpy(ytr)
yte = torch.from_numpy(yte)

model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = nn.CrossEntropyLoss()
n = xtr.shape[0]
epoch_seconds = []
for epoch in range(args.epochs):
    t0 = time.perf_counter()
    model.train()
    perm = torch.randperm(n)
    for s in range(0, n, args.batch):
        i = perm[s:s + args.batch]
        xb, yb = xtr.index_select(0, i), ytr.index_select(0, i)
        loss = lossf(model(xb), yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    epoch_seconds.append(time.perf_counter() - t0)

model.eval()
with torch.no_grad():
    acc = (model(xte).argmax(1) == yte).float().mean().item()

print(json.dumps({"threads": args.threads, "batch": args.batch, "epochSeconds": epoch_seconds,
                  "testAccuracy": acc, "torch": torch.__version__}))
sys.stdout.flush()
