#!/usr/bin/python3
"""PyTorch (Debian python3-torch 1.13) fixtures for test/nn: Linear, BatchNorm1d (train and
eval), CrossEntropy (class weights, ignore index, label smoothing), NLL, BCEWithLogits
(pos_weight, weight), MSE, L1, Huber. Each case stores inputs, outputs and the gradients of
sum(w * output) for a stored upstream w, flat and row-major, in float32 values.

Re-run (one command):  /usr/bin/python3 bench/reference/nn_fixtures.py
Writes test/fixtures/nn/{linear,batchnorm,losses}.json (atomically: temp file + rename).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_io import OUT, flat, write_fixture as write

torch.manual_seed(1234)


def linear():
    layer = nn.Linear(5, 3)
    x = torch.randn(4, 5, requires_grad=True)
    y = layer(x)
    w = torch.randn_like(y)
    (y * w).sum().backward()
    return {"x": flat(x), "xShape": [4, 5], "weight": flat(layer.weight), "bias": flat(layer.bias),
            "y": flat(y), "w": flat(w), "dx": flat(x.grad), "dweight": flat(layer.weight.grad),
            "dbias": flat(layer.bias.grad)}


def batchnorm():
    bn = nn.BatchNorm1d(4, momentum=0.1, eps=1e-5)
    with torch.no_grad():
        bn.weight.copy_(torch.randn(4))
        bn.bias.copy_(torch.randn(4))
    xs = [torch.randn(6, 4) * 2 + 1 for _ in range(2)]
    steps = []
    for x in xs:
        x = x.clone().requires_grad_(True)
        bn.zero_grad()
        y = bn(x)
        w = torch.randn_like(y)
        (y * w).sum().backward()
        steps.append({"x": flat(x), "y": flat(y), "w": flat(w), "dx": flat(x.grad),
                      "dweight": flat(bn.weight.grad), "dbias": flat(bn.bias.grad),
                      "runningMean": flat(bn.running_mean), "runningVar": flat(bn.running_var)})
    bn.eval()
    xe = (torch.randn(5, 4) * 2 + 1).requires_grad_(True)
    bn.zero_grad()
    ye = bn(xe)
    we = torch.randn_like(ye)
    (ye * we).sum().backward()
    return {"weight": flat(bn.weight), "bias": flat(bn.bias), "shape": [6, 4], "train": steps,
            "eval": {"x": flat(xe), "shape": [5, 4], "y": flat(ye), "w": flat(we), "dx": flat(xe.grad),
                     "dweight": flat(bn.weight.grad), "dbias": flat(bn.bias.grad)}}


def case(name, fn, inp, target, reduction, options, extra=None):
    x = inp.clone().requires_grad_(True)
    out = fn(x, target, reduction)
    w = torch.randn_like(out)
    (out * w).sum().backward()
    c = {"name": name, "reduction": reduction, "options": options, "input": flat(inp), "shape": list(inp.shape),
         "target": [int(v) for v in target.tolist()] if target.dtype == torch.int64 else flat(target),
         "output": flat(out), "outputShape": list(out.shape), "w": flat(w), "grad": flat(x.grad)}
    if extra:
        c.update(extra)
    return c


def losses():
    cases = []
    N, C = 8, 5
    logits = torch.randn(N, C) * 2
    labels = torch.randint(0, C, (N,))
    labels_ig = labels.clone()
    labels_ig[1] = -100
    labels_ig[5] = -100
    labels_ig2 = labels.clone()
    labels_ig2[labels_ig2 == 2] = 2  # ignore_index=2 keeps whatever rows hold class 2
    labels_ig2[3] = 2
    weight = torch.rand(C) + 0.5
    variants = [
        ("plain", {}, labels),
        ("weight", {"weight": weight}, labels),
        ("ignore", {}, labels_ig),
        ("ignoreIndex2", {"ignore_index": 2}, labels_ig2),
        ("smoothing", {"label_smoothing": 0.1}, labels),
        ("weight+ignore+smoothing", {"weight": weight, "label_smoothing": 0.2}, labels_ig),
        ("weight+smoothing", {"weight": weight, "label_smoothing": 0.15}, labels),
        ("ignore+smoothing", {"label_smoothing": 0.3}, labels_ig),
    ]
    for name, kw, tgt in variants:
        for red in ("mean", "sum", "none"):
            fn = lambda x, t, r, kw=kw: F.cross_entropy(x, t, reduction=r, **kw)
            opts = {k: (flat(v) if torch.is_tensor(v) else v) for k, v in kw.items()}
            cases.append(case("crossEntropy/" + name, fn, logits, tgt, red, opts))
    logp = F.log_softmax(torch.randn(N, C), dim=1)
    for name, kw, tgt in variants[:4]:
        for red in ("mean", "sum", "none"):
            fn = lambda x, t, r, kw=kw: F.nll_loss(x, t, reduction=r, **kw)
            opts = {k: (flat(v) if torch.is_tensor(v) else v) for k, v in kw.items()}
            cases.append(case("nllLoss/" + name, fn, logp, tgt, red, opts))
    z = torch.randn(6, 3) * 3
    t01 = torch.randint(0, 2, (6, 3)).float()
    tsoft = torch.rand(6, 3)
    pw = torch.rand(3) * 3 + 0.2
    for tname, t in (("binary", t01), ("soft", tsoft)):
        for red in ("mean", "sum", "none"):
            cases.append(case("bceWithLogits/" + tname, lambda x, tt, r: F.binary_cross_entropy_with_logits(x, tt, reduction=r),
                              z, t, red, {}))
            cases.append(case("bceWithLogits/posWeight/" + tname,
                              lambda x, tt, r: F.binary_cross_entropy_with_logits(x, tt, reduction=r, pos_weight=pw),
                              z, t, red, {"pos_weight": flat(pw)}))
    a = torch.randn(4, 6) * 2
    b = torch.randn(4, 6) * 2
    for red in ("mean", "sum", "none"):
        cases.append(case("mse", lambda x, t, r: F.mse_loss(x, t, reduction=r), a, b, red, {}))
        cases.append(case("l1", lambda x, t, r: F.l1_loss(x, t, reduction=r), a, b, red, {}))
        cases.append(case("huber", lambda x, t, r: F.huber_loss(x, t, reduction=r, delta=1.5), a, b, red, {"delta": 1.5}))
    # BCEWithLogits' per-element weight, drawn last so that every case above keeps its data.
    wz = torch.randn(5, 3) * 3
    wt = torch.randint(0, 2, (5, 3)).float()
    wpw = torch.rand(3) * 3 + 0.2
    for wname, w in (("perClass", torch.rand(3) * 2), ("perSample", torch.rand(5, 1) * 2), ("full", torch.rand(5, 3) * 2)):
        for red in ("mean", "sum", "none"):
            cases.append(case("bceWithLogits/weight/" + wname,
                              lambda x, tt, r, w=w: F.binary_cross_entropy_with_logits(x, tt, reduction=r, weight=w),
                              wz, wt, red, {"weight": flat(w), "weightShape": list(w.shape)}))
        cases.append(case("bceWithLogits/weight+posWeight/" + wname,
                          lambda x, tt, r, w=w: F.binary_cross_entropy_with_logits(x, tt, reduction=r, weight=w, pos_weight=wpw),
                          wz, wt, "mean", {"weight": flat(w), "weightShape": list(w.shape), "pos_weight": flat(wpw)}))
    return {"torch": torch.__version__, "cases": cases}


write("linear.json", {"torch": torch.__version__, **linear()})
write("batchnorm.json", {"torch": torch.__version__, **batchnorm()})
write("losses.json", losses())
print("wrote", OUT)
