#!/usr/bin/python3
"""PyTorch (Debian python3-torch 1.13) fixtures for nn.ConvTranspose2d: stride, padding,
outputPadding, dilation, groups, no bias, a 1x1 kernel. Each case stores the arguments, the
input, the weight and bias, the output, the gradients of sum(w * output) for a stored upstream
w, and the bound of PyTorch's default initialization (kaiming_uniform with a = sqrt(5) over the
weight [in, out / groups, kH, kW]: 1 / sqrt(out / groups * kH * kW)). The outputSize cases call
forward(x, output_size), which picks the output padding (replacing the layer's own).

Re-run (one command):  /usr/bin/python3 bench/reference/conv_transpose_fixtures.py
Writes test/fixtures/nn/conv_transpose.json (atomically: temp file + rename).
"""
import math
import torch
import torch.nn as nn

from fixture_io import flat, write_fixture

torch.manual_seed(2019)


def case(name, cin, cout, k, x_shape, output_size=None, **kw):
    layer = nn.ConvTranspose2d(cin, cout, k, **kw)
    x = torch.randn(*x_shape, requires_grad=True)
    y = layer(x, output_size)
    w = torch.randn_like(y)
    (y * w).sum().backward()
    args = {key: (list(v) if isinstance(v, tuple) else v) for key, v in kw.items()}
    args = {("outputPadding" if key == "output_padding" else key): v for key, v in args.items()}
    out = {"name": name, "inChannels": cin, "outChannels": cout, "kernelSize": list(layer.kernel_size), "options": args,
           "xShape": list(x_shape), "x": flat(x), "yShape": list(y.shape), "y": flat(y), "w": flat(w), "dx": flat(x.grad),
           "weightShape": list(layer.weight.shape),
           "initBound": 1 / math.sqrt((cout // kw.get("groups", 1)) * math.prod(layer.kernel_size))}
    if output_size is not None:
        out["outputSize"] = list(output_size)
    for n, p in layer.named_parameters():
        out[n] = flat(p)
        out["d" + n] = flat(p.grad)
    return out


cases = [
    case("3x3", 3, 4, 3, (2, 3, 4, 5)),
    case("3x3 stride 2 padding 1 outputPadding 1", 3, 2, 3, (2, 3, 4, 4), stride=2, padding=1, output_padding=1),
    case("4x3 stride 2x1 dilation 2, no bias", 2, 3, (4, 3), (2, 2, 3, 4), stride=(2, 1), dilation=2, bias=False),
    case("groups 2, stride 3 padding 2 outputPadding 2", 4, 6, 3, (1, 4, 3, 3), stride=3, padding=2, output_padding=2, groups=2),
    case("1x1", 3, 5, 1, (2, 3, 3, 2)),
    # Drawn after the cases above, which keep their values.
    case("outputSize [8, 7]: stride 2 padding 1 (outputPadding [1, 0])", 3, 2, 3, (2, 3, 4, 4), output_size=[8, 7],
         stride=2, padding=1),
    case("outputSize [N, C, 11, 12] replaces outputPadding 1: stride 3, 2x2 dilation 2, groups 2", 2, 4, 2, (1, 2, 3, 4),
         output_size=[1, 4, 11, 12], stride=3, dilation=2, output_padding=1, groups=2),
    case("outputSize at the smallest size, stride [2, 3], no bias", 2, 3, (3, 2), (2, 2, 3, 3), output_size=[7, 8],
         stride=(2, 3), bias=False),
]
path = write_fixture("conv_transpose.json", {"torch": torch.__version__, "cases": cases})
print(f"wrote {path}: {len(cases)} cases")
