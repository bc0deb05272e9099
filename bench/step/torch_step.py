#!/usr/bin/python3
"""PyTorch reference for bench/step: one training step (zero_grad, forward, CrossEntropy,
backward, optimizer step) of the 784-128-ReLU-10 MLP on a fixed random batch.

Run by bench/step/index.ts (one process per thread count, environment set before import):
  /usr/bin/python3 bench/step/torch_step.py --threads 1 --batches 1,32,256 --optim adam --steps 300
Prints one JSON line: {"threads": t, "optim": ..., "results": {batch: [us/step per round, ...]}}.
"""
import argparse
import json
import os
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, required=True)
ap.add_argument("--batches", default="1,32,256")
ap.add_argument("--optim", default="adam", choices=["adam", "sgd"])
ap.add_argument("--steps", type=int, default=300, help="timed steps per round")
ap.add_argument("--rounds", type=int, default=3)
args = ap.parse_args()

import torch  # noqa: E402  (after the thread environment is fixed)
import torch.nn as nn  # noqa: E402

torch.set_num_threads(args.threads)
try:
    from threadpoolctl import threadpool_limits
    threadpool_limits(args.threads)
except ImportError:
    pass
torch.manual_seed(0)

results = {}
for batch in [int(b) for b in args.batches.split(",")]:
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3) if args.optim == "adam" else torch.optim.SGD(model.parameters(), lr=1e-2)
    lossf = nn.CrossEntropyLoss()
    x = torch.randn(batch, 784)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = lossf(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(50):
        step()
    rounds = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for _ in range(args.steps):
            step()
        rounds.append((time.perf_counter() - t0) / args.steps * 1e6)
    results[batch] = rounds

print(json.dumps({"threads": args.threads, "optim": args.optim, "torch": torch.__version__, "results": results}))
sys.stdout.flush()
