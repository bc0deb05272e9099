#!/usr/bin/python3
"""PyTorch (Debian python3-torch 1.13) fixtures for nn.LSTM and nn.GRU: one layer with given
initial states, stacked bidirectional batch-first layers, no bias, and an unbatched input. Each
case stores the constructor arguments, the input, the initial states (or none), every parameter
by its state-dict name (in registration order), the outputs (output, h_n, c_n) and the gradients
of sum(wy * output) + sum(wh * h_n) (+ sum(wc * c_n)) for stored upstream weights: of the input,
the initial states and every parameter. Also the default initialization's bound 1/sqrt(hidden).

Re-run (one command):  /usr/bin/python3 bench/reference/recurrent_fixtures.py
Writes test/fixtures/nn/recurrent.json (atomically: temp file + rename).
"""
import math
import torch
import torch.nn as nn

from fixture_io import flat, write_fixture

torch.manual_seed(1913)


def case(name, kind, input_size, hidden, x_shape, with_state=False, **kw):
    layer = (nn.LSTM if kind == "LSTM" else nn.GRU)(input_size, hidden, **kw)
    x = torch.randn(*x_shape, requires_grad=True)
    d = 2 if kw.get("bidirectional", False) else 1
    layers = kw.get("num_layers", 1)
    unbatched = len(x_shape) == 2
    batch = 1 if unbatched else x_shape[0 if kw.get("batch_first", False) else 1]
    state_shape = (layers * d, hidden) if unbatched else (layers * d, batch, hidden)
    h0 = torch.randn(*state_shape, requires_grad=True) if with_state else None
    c0 = torch.randn(*state_shape, requires_grad=True) if with_state and kind == "LSTM" else None
    if kind == "LSTM":
        y, (hn, cn) = layer(x, (h0, c0)) if with_state else layer(x)
    else:
        y, hn = layer(x, h0) if with_state else layer(x)
        cn = None
    wy, wh = torch.randn_like(y), torch.randn_like(hn)
    loss = (y * wy).sum() + (hn * wh).sum()
    wc = torch.randn_like(cn) if cn is not None else None
    if cn is not None:
        loss = loss + (cn * wc).sum()
    loss.backward()
    out = {"name": name, "layer": kind, "inputSize": input_size, "hiddenSize": hidden,
           "options": {"numLayers": layers, "bias": kw.get("bias", True), "batchFirst": kw.get("batch_first", False),
                       "bidirectional": kw.get("bidirectional", False)},
           "xShape": list(x_shape), "x": flat(x), "y": flat(y), "yShape": list(y.shape), "hn": flat(hn),
           "stateShape": list(state_shape), "wy": flat(wy), "wh": flat(wh), "dx": flat(x.grad),
           "params": [{"name": n, "shape": list(p.shape), "value": flat(p), "grad": flat(p.grad)} for n, p in layer.named_parameters()]}
    if cn is not None:
        out.update(cn=flat(cn), wc=flat(wc))
    if with_state:
        out.update(h0=flat(h0), dh0=flat(h0.grad))
        if c0 is not None:
            out.update(c0=flat(c0), dc0=flat(c0.grad))
    return out


cases = [
    case("one layer with (h0, c0)", "LSTM", 3, 4, (5, 2, 3), with_state=True),
    case("two layers, bidirectional, batchFirst", "LSTM", 3, 4, (2, 5, 3), num_layers=2, bidirectional=True, batch_first=True),
    case("no bias, bidirectional, with (h0, c0)", "LSTM", 2, 3, (4, 3, 2), with_state=True, bias=False, bidirectional=True),
    case("unbatched, two layers", "LSTM", 3, 2, (6, 3), with_state=True, num_layers=2),
    case("one layer with h0", "GRU", 3, 4, (5, 2, 3), with_state=True),
    case("two layers, bidirectional, batchFirst", "GRU", 3, 4, (2, 5, 3), num_layers=2, bidirectional=True, batch_first=True),
    case("no bias, two layers, with h0", "GRU", 2, 3, (4, 3, 2), with_state=True, bias=False, num_layers=2),
    case("unbatched, bidirectional", "GRU", 3, 2, (6, 3), with_state=True, bidirectional=True),
]


def init(kind):
    layer = (nn.LSTM if kind == "LSTM" else nn.GRU)(16, 64, num_layers=2, bidirectional=True)
    return {"layer": kind, "inputSize": 16, "hiddenSize": 64, "bound": 1 / math.sqrt(64),
            "maxAbs": max(float(p.abs().max()) for p in layer.parameters()),
            "names": [n for n, _ in layer.named_parameters()], "shapes": [list(p.shape) for _, p in layer.named_parameters()]}


path = write_fixture("recurrent.json", {"torch": torch.__version__, "cases": cases, "init": [init("LSTM"), init("GRU")]})
print(f"wrote {path}: {len(cases)} cases + init")
