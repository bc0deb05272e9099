#!/usr/bin/python3
"""PyTorch (Debian python3-torch 1.13) fixtures for the convolution and pooling layers:
Conv2d (stride, padding incl. 'same', dilation, groups), Conv1d, MaxPool2d, AvgPool2d
(count_include_pad both ways), AdaptiveAvgPool2d and BatchNorm2d (two training steps, then
eval). Each case stores the layer's arguments, inputs, parameters, outputs and the gradients of
sum(w * output) for a stored upstream w, flat and row-major; and, per conv layer, the bound of
PyTorch's default initialization (kaiming_uniform with a = sqrt(5): 1 / sqrt(fan_in)).

Re-run (one command):  /usr/bin/python3 bench/reference/conv_fixtures.py
Writes test/fixtures/nn/conv.json (atomically: temp file + rename).
"""
import math
import torch
import torch.nn as nn

from fixture_io import flat, write_fixture

torch.manual_seed(4321)



def run(layer, x_shape):
    x = torch.randn(*x_shape, requires_grad=True)
    y = layer(x)
    w = torch.randn_like(y)
    (y * w).sum().backward()
    case = {"xShape": list(x_shape), "x": flat(x), "yShape": list(y.shape), "y": flat(y), "w": flat(w), "dx": flat(x.grad)}
    for name, p in layer.named_parameters():
        case[name] = flat(p)
        case["d" + name] = flat(p.grad)
    return case


def conv2d(name, cin, cout, k, **kw):
    layer = nn.Conv2d(cin, cout, k, **kw)
    fan_in = (cin // kw.get("groups", 1)) * math.prod(layer.kernel_size)
    case = run(layer, (2, cin, 7, 6))
    args = {"inChannels": cin, "outChannels": cout, "kernelSize": list(layer.kernel_size)}
    args.update({key: (list(v) if isinstance(v, tuple) else v) for key, v in kw.items()})
    case.update(name=name, layer="Conv2d", args=args, initBound=1 / math.sqrt(fan_in),
                weightShape=list(layer.weight.shape))
    return case


def conv1d(name, cin, cout, k, **kw):
    layer = nn.Conv1d(cin, cout, k, **kw)
    case = run(layer, (3, cin, 11))
    case.update(name=name, layer="Conv1d", args={"inChannels": cin, "outChannels": cout, "kernelSize": k, **kw},
                initBound=1 / math.sqrt((cin // kw.get("groups", 1)) * k), weightShape=list(layer.weight.shape))
    return case


def pool(name, layer_name, layer, args, x_shape=(2, 3, 7, 8)):
    case = run(layer, x_shape)
    case.update(name=name, layer=layer_name, args=args)
    return case


def batchnorm2d():
    bn = nn.BatchNorm2d(3)
    with torch.no_grad():
        bn.weight.copy_(torch.randn(3))
        bn.bias.copy_(torch.randn(3))
    steps = []
    for _ in range(2):
        x = (torch.randn(2, 3, 4, 5) * 2 + 1).requires_grad_(True)
        bn.zero_grad()
        y = bn(x)
        w = torch.randn_like(y)
        (y * w).sum().backward()
        steps.append({"x": flat(x), "y": flat(y), "w": flat(w), "dx": flat(x.grad), "dweight": flat(bn.weight.grad),
                      "dbias": flat(bn.bias.grad), "runningMean": flat(bn.running_mean), "runningVar": flat(bn.running_var)})
    bn.eval()
    x = torch.randn(2, 3, 4, 5)
    return {"xShape": [2, 3, 4, 5], "weight": flat(bn.weight), "bias": flat(bn.bias), "steps": steps,
            "evalX": flat(x), "evalY": flat(bn(x))}


cases = [
    conv2d("3x3", 3, 4, 3),
    conv2d("3x3 padding 1, no bias", 3, 4, 3, padding=1, bias=False),
    conv2d("3x2 stride 2x1 padding 1x0", 3, 4, (3, 2), stride=(2, 1), padding=(1, 0)),
    conv2d("3x3 dilation 2 padding 2", 3, 2, 3, dilation=2, padding=2),
    conv2d("3x3 groups 2 padding same", 4, 6, 3, groups=2, padding="same"),
    conv2d("depthwise 3x3", 4, 4, 3, groups=4, padding=1),
    conv2d("1x1", 3, 5, 1),
    conv1d("conv1d k3 padding 1", 2, 4, 3, padding=1),
    conv1d("conv1d k5 stride 2 dilation 2", 2, 3, 5, stride=2, dilation=2),
    pool("max 2x2", "MaxPool2d", nn.MaxPool2d(2), {"kernelSize": 2}),
    pool("max 3x3 stride 2 padding 1", "MaxPool2d", nn.MaxPool2d(3, stride=2, padding=1), {"kernelSize": 3, "stride": 2, "padding": 1}),
    pool("max 3x3 dilation 2", "MaxPool2d", nn.MaxPool2d(3, stride=1, dilation=2), {"kernelSize": 3, "stride": 1, "dilation": 2}),
    pool("avg 2x2", "AvgPool2d", nn.AvgPool2d(2), {"kernelSize": 2}),
    pool("avg 3x3 stride 2 padding 1", "AvgPool2d", nn.AvgPool2d(3, stride=2, padding=1), {"kernelSize": 3, "stride": 2, "padding": 1}),
    pool("avg 3x3 padding 1 excluding padding", "AvgPool2d", nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False),
         {"kernelSize": 3, "stride": 1, "padding": 1, "countIncludePad": False}),
    pool("adaptive 1x1", "AdaptiveAvgPool2d", nn.AdaptiveAvgPool2d(1), {"outputSize": 1}),
    pool("adaptive 3x5", "AdaptiveAvgPool2d", nn.AdaptiveAvgPool2d((3, 5)), {"outputSize": [3, 5]}),
]

path = write_fixture("conv.json", {"torch": torch.__version__, "cases": cases, "batchnorm2d": batchnorm2d()})
print(f"wrote {path}: {len(cases)} cases + BatchNorm2d")
