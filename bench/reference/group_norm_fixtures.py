#!/usr/bin/python3
"""PyTorch (Debian python3-torch 1.13) fixtures for nn.GroupNorm: 4-D and 3-D inputs, one group
(LayerNorm-like), one group per channel (InstanceNorm-like), no affine. Each case stores the
arguments, the input, the (randomized) weight and bias, the output and the gradients of
sum(w * output) for a stored upstream w; and the default parameters (ones and zeros).

Re-run (one command):  /usr/bin/python3 bench/reference/group_norm_fixtures.py
Writes test/fixtures/nn/group_norm.json (atomically: temp file + rename).
"""
import torch
import torch.nn as nn

from fixture_io import flat, write_fixture

torch.manual_seed(1919)


def case(name, groups, channels, x_shape, **kw):
    layer = nn.GroupNorm(groups, channels, **kw)
    default = {n: flat(p) for n, p in layer.named_parameters()}
    if layer.affine:
        with torch.no_grad():
            layer.weight.copy_(torch.randn(channels))
            layer.bias.copy_(torch.randn(channels))
    x = (torch.randn(*x_shape) * 3 + 1).requires_grad_(True)
    y = layer(x)
    w = torch.randn_like(y)
    (y * w).sum().backward()
    out = {"name": name, "numGroups": groups, "numChannels": channels, "options": {"eps": kw.get("eps", 1e-5), "affine": kw.get("affine", True)},
           "xShape": list(x_shape), "x": flat(x), "y": flat(y), "w": flat(w), "dx": flat(x.grad), "default": default}
    for n, p in layer.named_parameters():
        out[n] = flat(p)
        out["d" + n] = flat(p.grad)
    return out


cases = [
    case("2 groups of 3 channels, 4-D", 2, 6, (3, 6, 4, 5)),
    case("1 group, 3-D, eps 1e-3", 1, 4, (2, 4, 7), eps=1e-3),
    case("a group per channel", 4, 4, (2, 4, 3, 3)),
    case("no affine", 3, 6, (2, 6, 5)),
]
path = write_fixture("group_norm.json", {"torch": torch.__version__, "cases": cases})
print(f"wrote {path}: {len(cases)} cases")
