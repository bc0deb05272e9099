#!/usr/bin/python3
"""PyTorch side of bench:gpu's handbook MLP: the same 784-128-ReLU-10 MLP, Adam 1e-3 and
cross-entropy as src/bench/gpu_figures.ts, on a device-resident set of the same size and labels,
one epoch per batch size after a warm-up epoch, timed with torch.cuda.synchronize().

  python3 bench/gpu/torch_mlp_cuda.py ROWS BATCH [BATCH ...]   -> one JSON line on stdout
Prints {"available": false, "reason": ...} where torch has no CUDA device.
"""
import json
import sys
import time

import torch


def epoch_seconds(x, y, batch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)).cuda()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    steps = x.shape[0] // batch

    def epoch():
        for s in range(steps):
            opt.zero_grad()
            loss_fn(model(x[s * batch:(s + 1) * batch]), y[s * batch:(s + 1) * batch]).backward()
            opt.step()

    epoch()
    torch.cuda.synchronize()
    t = time.perf_counter()
    epoch()
    torch.cuda.synchronize()
    return time.perf_counter() - t, steps


def main():
    rows, batches = int(sys.argv[1]), [int(b) for b in sys.argv[2:]]
    if not torch.cuda.is_available():
        print(json.dumps({"available": False, "reason": "torch sees no CUDA device", "torch": torch.__version__}))
        return
    torch.manual_seed(0)
    x = torch.randn(rows, 784, device="cuda")
    y = (torch.arange(rows, device="cuda") * 7) % 10
    out = []
    for b in batches:
        seconds, steps = epoch_seconds(x, y, b)
        out.append({"batch": b, "secondsPerEpoch": seconds, "steps": steps})
    print(json.dumps({"available": True, "torch": torch.__version__, "device": torch.cuda.get_device_name(0), "mlp": out}))


if __name__ == "__main__":
    main()
