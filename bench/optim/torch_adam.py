#!/usr/bin/python3
"""PyTorch's Adam step, timed on request, for bench/optim/index.ts (run with /usr/bin/python3).

Reads one JSON request per line from stdin: {"n": 10000000, "impl": "default"|"foreach", "iters": 5}
and answers one JSON line: {"seconds": <mean seconds per step over iters>}. One flat fp32
parameter of n floats with a preset gradient, as steepest's bench does; the optimizer and its
state persist between requests, so samples can interleave with steepest's in the same run.
The first request for an (n, impl) pair also runs two untimed warm-up steps.
"""
import json
import sys
import time

import torch

cache = {}


def optimizer(n, impl):
    key = (n, impl)
    if key not in cache:
        torch.manual_seed(0)
        p = torch.nn.Parameter(torch.randn(n))
        p.grad = torch.randn(n) * 1e-2
        opt = torch.optim.Adam([p], lr=1e-3, foreach=(impl == "foreach"))
        opt.step()
        opt.step()
        cache.clear()  # keep one problem in memory at a time
        cache[key] = opt
    return cache[key]


print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    opt = optimizer(int(req["n"]), req["impl"])
    iters = int(req["iters"])
    t0 = time.perf_counter()
    for _ in range(iters):
        opt.step()
    dt = (time.perf_counter() - t0) / iters
    print(json.dumps({"seconds": dt}), flush=True)
