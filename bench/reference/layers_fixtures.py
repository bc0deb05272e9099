#!/usr/bin/python3
"""PyTorch (Debian python3-torch 1.13) fixtures for Embedding (padding_idx, repeated indices)
and LayerNorm (over the last dimension and over the last two), forward and the gradients of
sum(w * output) for a stored upstream w, flat and row-major.

Re-run (one command):  /usr/bin/python3 bench/reference/layers_fixtures.py
Writes test/fixtures/nn/layers.json (atomically: temp file + rename).
"""
import torch
import torch.nn as nn

from fixture_io import flat, write_fixture

torch.manual_seed(2468)



def embedding(padding_idx):
    emb = nn.Embedding(7, 4, padding_idx=padding_idx)
    idx = torch.tensor([[1, 3, 3, 0], [6, padding_idx if padding_idx is not None else 2, 1, 1]])
    y = emb(idx)
    w = torch.randn_like(y)
    (y * w).sum().backward()
    return {"paddingIdx": padding_idx, "weight": flat(emb.weight), "indices": flat(idx), "indicesShape": list(idx.shape),
            "y": flat(y), "yShape": list(y.shape), "w": flat(w), "dweight": flat(emb.weight.grad)}


def layernorm(shape, x_shape, affine=True):
    ln = nn.LayerNorm(shape, elementwise_affine=affine)
    if affine:
        with torch.no_grad():
            ln.weight.copy_(torch.randn(shape))
            ln.bias.copy_(torch.randn(shape))
    x = (torch.randn(*x_shape) * 3 + 1).requires_grad_(True)
    y = ln(x)
    w = torch.randn_like(y)
    (y * w).sum().backward()
    case = {"normalizedShape": list(shape), "affine": affine, "xShape": list(x_shape), "x": flat(x), "y": flat(y), "w": flat(w), "dx": flat(x.grad)}
    if affine:
        case.update(weight=flat(ln.weight), bias=flat(ln.bias), dweight=flat(ln.weight.grad), dbias=flat(ln.bias.grad))
    return case


data = {
    "torch": torch.__version__,
    "embedding": [embedding(None), embedding(2)],
    "layernorm": [layernorm([5], (3, 4, 5)), layernorm([4, 5], (2, 4, 5)), layernorm([6], (4, 6), affine=False)],
}
path = write_fixture("layers.json", data)
print(f"wrote {path}")
