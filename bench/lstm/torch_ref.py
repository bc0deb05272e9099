#!/usr/bin/python3
"""PyTorch 1.13 side of bench:lstm: the same model as bench/lstm/index.ts (a 1-layer LSTM, input
32, hidden 128, over sequences of 50 in batches of 32, its last hidden state through a Linear
to 10 classes, cross-entropy, Adam 1e-3), one training step on a fixed batch repeated.

  /usr/bin/python3 bench/lstm/torch_ref.py THREADS STEPS ROUNDS  -> one JSON line: stepsPerSecond
(the best of ROUNDS timed rounds of STEPS steps each: on a loaded machine the best round is the
one least disturbed, for this side as for steepest's).
"""
import json
import sys
import time

import torch
import torch.nn as nn

T, B, I, H, C = 50, 32, 32, 128, 10


def steps_per_second(threads, count, rounds):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    lstm, head, loss_fn = nn.LSTM(I, H), nn.Linear(H, C), nn.CrossEntropyLoss()
    opt = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=1e-3)
    x, y = torch.randn(T, B, I), torch.arange(B) % C

    def step():
        _, (h, _) = lstm(x)
        loss = loss_fn(head(h[-1]), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    for _ in range(5):
        step()
    best = 0.0
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(count):
            step()
        best = max(best, count / (time.perf_counter() - t))
    return best


if __name__ == "__main__":
    threads, count, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps({"threads": threads, "stepsPerSecond": steps_per_second(threads, count, rounds), "torch": torch.__version__,
                      "mkldnn": torch.backends.mkldnn.is_available()}))
