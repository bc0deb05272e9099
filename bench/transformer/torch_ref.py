#!/usr/bin/python3
"""PyTorch 1.13 side of bench:transformer: the model of examples/transformer.ts (Embedding(16, 64),
a sinusoidal position encoding, two TransformerEncoderLayer(64, 4, 256, dropout 0, batch first),
Linear(64, 16), logits flattened to [N * 64, 16]), cross-entropy, Adam 1e-3, on one fixed batch of
32 sequences of 64 tokens (the sort task).

  /usr/bin/python3 bench/transformer/torch_ref.py THREADS STEPS   -> one JSON line: ms per step
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn

SEQ, VOCAB, D, HEADS, FF, BATCH = 64, 16, 64, 4, 256, 32


class PositionalEncoding(nn.Module):
    def __init__(self, length, d):
        super().__init__()
        pe = torch.zeros(length, d)
        for l in range(length):
            for i in range(0, d, 2):
                angle = l / 10000 ** (i / d)
                pe[l, i] = math.sin(angle)
                if i + 1 < d:
                    pe[l, i + 1] = math.cos(angle)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe


def model():
    layer = lambda: nn.TransformerEncoderLayer(D, HEADS, FF, dropout=0.0, batch_first=True)
    return nn.Sequential(nn.Embedding(VOCAB, D), PositionalEncoding(SEQ, D), layer(), layer(), nn.Linear(D, VOCAB), nn.Flatten(0, 1))


def steps(threads, count):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net, loss_fn = model(), nn.CrossEntropyLoss()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.randint(0, VOCAB, (BATCH, SEQ))
    y = x.sort(dim=1).values.reshape(-1)

    def step():
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()

    for _ in range(5):
        step()
    t = time.perf_counter()
    for _ in range(count):
        step()
    return 1000 * (time.perf_counter() - t) / count


if __name__ == "__main__":
    print(json.dumps({"threads": int(sys.argv[1]), "msPerStep": steps(int(sys.argv[1]), int(sys.argv[2])), "torch": torch.__version__}))
