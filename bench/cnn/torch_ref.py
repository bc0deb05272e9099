#!/usr/bin/python3
"""PyTorch 1.13 side of bench:cnn: the same LeNet-5-style CNN as examples/cnn.ts on the same
Fashion-MNIST files, batch 64, Adam 1e-3, inputs standardized per pixel on the training set.

  /usr/bin/python3 bench/cnn/torch_ref.py DATA_DIR EPOCHS THREADS     -> one JSON line on stdout
  /usr/bin/python3 bench/cnn/torch_ref.py steps THREADS STEPS         -> ms per training step
"""
import gzip
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(800, 128), nn.ReLU(), nn.Linear(128, 10))


def steps(threads, count):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model, loss_fn = lenet(), nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(64, 1, 28, 28), torch.arange(64) % 10
    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    for _ in range(10):
        step()
    t = time.perf_counter()
    for _ in range(count):
        step()
    return 1000 * (time.perf_counter() - t) / count


def train(data_dir, epochs, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    xs = idx(f"{data_dir}/train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32)
    ys = idx(f"{data_dir}/train-labels-idx1-ubyte.gz").astype(np.int64)
    xt = idx(f"{data_dir}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32)
    yt = idx(f"{data_dir}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    mean, std = xs.mean(0), xs.std(0)
    std[std == 0] = 1
    xs, xt = (xs - mean) / std, (xt - mean) / std
    x, y = torch.from_numpy(xs).reshape(-1, 1, 28, 28), torch.from_numpy(ys)
    x_test, y_test = torch.from_numpy(xt).reshape(-1, 1, 28, 28), torch.from_numpy(yt)
    model, loss_fn = lenet(), nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    seconds = []
    for _ in range(epochs):
        t = time.perf_counter()
        model.train()
        for idxs in torch.randperm(len(x)).split(64):
            opt.zero_grad()
            loss_fn(model(x[idxs]), y[idxs]).backward()
            opt.step()
        seconds.append(time.perf_counter() - t)
    model.eval()
    with torch.no_grad():
        correct = sum(int((model(x_test[i:i + 1000]).argmax(1) == y_test[i:i + 1000]).sum()) for i in range(0, len(x_test), 1000))
    return {"secondsPerEpoch": seconds, "testAccuracy": correct / len(x_test), "threads": threads, "torch": torch.__version__}


if __name__ == "__main__":
    if sys.argv[1] == "steps":
        print(json.dumps({"msPerStep": steps(int(sys.argv[2]), int(sys.argv[3]))}))
    else:
        print(json.dumps(train(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
