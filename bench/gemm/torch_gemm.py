#!/usr/bin/python3
"""PyTorch side of `steepest bench gemm --compare torch`: torch.mm timed on request, speaking the
protocol of openblas_harness.c, one line each way:
  gemm THREADS TRANSA TRANSB M N K ITERS   -> seconds for ITERS calls (after one warm-up)
Operands are float32, row-major as steepest's (a transposed operand is the transpose view of a
contiguous matrix, as (K x M)^T); the product is written into a preallocated C (out=).
"""
import sys
import time

import torch

print(f"ready {torch.__version__}", flush=True)
for line in sys.stdin:
    parts = line.split()
    if not parts or parts[0] == "quit":
        break
    if parts[0] != "gemm" or len(parts) != 8:
        print("error: unknown command", flush=True)
        continue
    threads, ta, tb, m, n, k, iters = (int(x) for x in parts[1:])
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    a = torch.rand(k, m, generator=g).t() if ta else torch.rand(m, k, generator=g)
    b = torch.rand(n, k, generator=g).t() if tb else torch.rand(k, n, generator=g)
    c = torch.empty(m, n)
    torch.mm(a, b, out=c)
    t0 = time.perf_counter()
    for _ in range(iters):
        torch.mm(a, b, out=c)
    print(f"{time.perf_counter() - t0:.9f}", flush=True)
