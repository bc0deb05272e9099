#!/usr/bin/python3
"""PyTorch (Debian python3-torch 1.13) fixtures for the tensor core and attention:
  - ops whose semantics are subtle: general broadcasting, batched matmul with broadcast batch
    dimensions, permute, cat/stack/split/chunk, index_select, where, masked_fill (forward, and the
    gradients of sum(w * out));
  - nn.MultiheadAttention (sequence first and batch first; self- and cross-attention; key padding,
    causal and per-head masks, bool and float; weights averaged and per head): forward, weights,
    the gradients of sum(w * out) for every parameter and input, and the default init's bounds;
  - nn.TransformerEncoderLayer (post-norm ReLU and pre-norm GELU, masks): forward and gradients;
  - nn.MultiheadAttention's other options (mhaOptions, drawn after the rest so the cases above
    keep their values): kdim/vdim (separate q/k/v projection weights), add_bias_kv and
    add_zero_attn, with masks.
Dropout is 0 everywhere. Tensors are flat and row-major; state dicts by PyTorch's names; a
mask's -inf entries are written as null.

Re-run (one command):  /usr/bin/python3 bench/reference/attention_fixtures.py
Writes test/fixtures/nn/attention.json (atomically: temp file + rename).
"""
import math

import torch
import torch.nn as nn

from fixture_io import flat, write_fixture

torch.manual_seed(97531)
torch.set_default_dtype(torch.float32)


def leaf(*shape):
    return torch.randn(*shape).requires_grad_(True)


def backward(out):
    w = torch.randn_like(out)
    (out * w).sum().backward()
    return w


def ops():
    cases = {}
    a, b = leaf(3, 1, 4), leaf(2, 1)
    out = a * b + a / (b.abs() + 1)  # [3, 2, 4]
    w = backward(out)
    cases["broadcast"] = {"a": flat(a), "aShape": [3, 1, 4], "b": flat(b), "bShape": [2, 1], "out": flat(out),
                          "outShape": list(out.shape), "w": flat(w), "da": flat(a.grad), "db": flat(b.grad)}
    a, b = leaf(2, 1, 3, 4), leaf(3, 4, 5)
    out = torch.matmul(a, b)  # [2, 3, 3, 5]
    w = backward(out)
    cases["matmul"] = {"a": flat(a), "aShape": [2, 1, 3, 4], "b": flat(b), "bShape": [3, 4, 5], "out": flat(out),
                       "outShape": list(out.shape), "w": flat(w), "da": flat(a.grad), "db": flat(b.grad)}
    x = leaf(2, 3, 4)
    out = torch.cat([x.permute(2, 0, 1), x.transpose(0, 2).transpose(1, 2)[:, :, 1:]], dim=2)  # [4, 2, 3 + 2]
    parts = torch.split(out, [1, 3], dim=0)
    chunks = torch.chunk(out, 2, dim=2)  # [4, 2, 3] and [4, 2, 2]
    stacked = torch.stack([chunks[0][0], chunks[0][1]], dim=1)  # [2, 2, 3]
    total = torch.cat([parts[1].reshape(-1), chunks[1].reshape(-1), stacked.reshape(-1)])
    w = backward(total)
    cases["layout"] = {"x": flat(x), "xShape": [2, 3, 4], "out": flat(total), "outShape": list(total.shape), "w": flat(w), "dx": flat(x.grad)}
    x = leaf(3, 5, 2)
    idx = torch.tensor([4, 0, 4, 2])
    out = torch.index_select(x, 1, idx)
    w = backward(out)
    cases["indexSelect"] = {"x": flat(x), "xShape": [3, 5, 2], "index": idx.tolist(), "out": flat(out), "outShape": list(out.shape),
                            "w": flat(w), "dx": flat(x.grad)}
    cond = torch.tensor([[1, 0, 1], [0, 0, 1]]).bool()
    a, b = leaf(2, 1, 2, 3), leaf(3)
    out = torch.where(cond, a, b).masked_fill(torch.tensor([True, False, False]), -2.5)
    w = backward(out)
    cases["where"] = {"cond": cond.int().reshape(-1).tolist(), "condShape": [2, 3], "a": flat(a), "aShape": [2, 1, 2, 3], "b": flat(b),
                      "fillMask": [1, 0, 0], "out": flat(out), "outShape": list(out.shape), "w": flat(w), "da": flat(a.grad), "db": flat(b.grad)}
    return cases


def state(module):
    return {k: flat(v) for k, v in module.state_dict().items()}, {k: list(v.shape) for k, v in module.state_dict().items()}


def grads(module):
    return {k: flat(p.grad) for k, p in module.named_parameters()}


def mha_case(name, E, H, L, S, N, batch_first, self_attn, kpm=None, attn_mask=None, average=True, bias=True,
             kdim=None, vdim=None, add_bias_kv=False, add_zero_attn=False):
    m = nn.MultiheadAttention(E, H, bias=bias, batch_first=batch_first, kdim=kdim, vdim=vdim,
                              add_bias_kv=add_bias_kv, add_zero_attn=add_zero_attn)
    with torch.no_grad():
        for p in m.parameters():  # nonzero biases, so their gradients and use are checked too
            p.copy_(torch.randn_like(p) * 0.3)
    qshape = (N, L, E) if batch_first else (L, N, E)
    kshape = (N, S, kdim or E) if batch_first else (S, N, kdim or E)
    vshape = kshape[:2] + (vdim or E,)
    q = leaf(*qshape)
    k, v = (q, q) if self_attn else (leaf(*kshape), leaf(*vshape))
    out, weights = m(q, k, v, key_padding_mask=kpm, attn_mask=attn_mask, need_weights=True, average_attn_weights=average)
    w = backward(out)
    sd, shapes = state(m)
    case = {"name": name, "E": E, "H": H, "batchFirst": batch_first, "selfAttention": self_attn, "bias": bias, "average": average,
            "state": sd, "shapes": shapes, "q": flat(q), "qShape": list(qshape), "out": flat(out), "outShape": list(out.shape),
            "weights": flat(weights), "weightsShape": list(weights.shape), "w": flat(w), "grads": grads(m), "dq": flat(q.grad)}
    if not self_attn:
        case.update(k=flat(k), v=flat(v), kShape=list(kshape), vShape=list(vshape), dk=flat(k.grad), dv=flat(v.grad))
    options = {"kdim": kdim, "vdim": vdim, "addBiasKv": add_bias_kv, "addZeroAttn": add_zero_attn}
    case.update({key: value for key, value in options.items() if value})
    for key, mask in (("keyPaddingMask", kpm), ("attnMask", attn_mask)):
        if mask is not None:
            case[key] = {"values": mask_values(mask), "shape": list(mask.shape), "bool": mask.dtype == torch.bool}
    return case


def mask_values(mask):
    """A mask's values, -inf as None (JSON has no infinities; the test reads null as -Infinity)."""
    return [None if v == float("-inf") else v for v in flat(mask.float())]


def causal(sz):
    return torch.triu(torch.full((sz, sz), float("-inf")), diagonal=1)


def mha():
    L, S, N, E, H = 5, 6, 3, 8, 2
    kpm = torch.zeros(N, S, dtype=torch.bool)
    kpm[0, 4:] = True
    kpm[2, 1] = True
    per_head = torch.randn(N * H, L, S) * 0.5
    return [
        mha_case("self-attention, sequence first", E, H, L, L, N, False, True),
        mha_case("self-attention, batch first, causal float mask", E, H, L, L, N, True, True, attn_mask=causal(L)),
        mha_case("cross-attention, key padding (bool), per-head weights", E, H, L, S, N, False, False, kpm=kpm, average=False),
        mha_case("cross-attention, batch first, bool attn mask and key padding", E, H, L, S, N, True, False, kpm=kpm,
                 attn_mask=torch.rand(L, S) > 0.7),
        mha_case("self-attention, per-head float mask [N*H, L, S], no bias", E, 2, L, L, N, False, True,
                 attn_mask=per_head[:, :, :L].contiguous(), bias=False),
    ]


def mha_options():
    L, S, N, E, H = 4, 5, 2, 8, 2
    kpm = torch.zeros(N, S, dtype=torch.bool)
    kpm[1, 3:] = True
    self_kpm = torch.zeros(N, L, dtype=torch.bool)
    self_kpm[0, 3] = True
    return [
        mha_case("cross-attention, kdim 6 and vdim 5 (q/k/v_proj_weight), key padding", E, H, L, S, N, False, False,
                 kpm=kpm, kdim=6, vdim=5),
        mha_case("cross-attention, batch first, vdim 3 only, bool attn mask, per-head weights", E, H, L, S, N, True, False,
                 attn_mask=torch.rand(L, S) > 0.6, average=False, vdim=3),
        mha_case("self-attention, addBiasKv, causal float mask and key padding", E, H, L, L, N, False, True,
                 kpm=self_kpm, attn_mask=causal(L), add_bias_kv=True),
        mha_case("cross-attention, batch first, kdim 6, addBiasKv and addZeroAttn, bool masks, per-head weights", E, H, L, S, N,
                 True, False, kpm=kpm, attn_mask=torch.rand(L, S) > 0.7, average=False, kdim=6, add_bias_kv=True,
                 add_zero_attn=True),
        mha_case("self-attention, addZeroAttn, no bias, per-head float mask [N*H, L, S]", E, H, L, L, N, False, True,
                 attn_mask=torch.randn(N * H, L, L) * 0.5, bias=False, add_zero_attn=True),
        mha_case("cross-attention, addZeroAttn, no masks", E, H, L, S, N, False, False, add_zero_attn=True),
    ]


def init():
    m = nn.MultiheadAttention(64, 4)
    return {"E": 64, "inProjBound": math.sqrt(6 / (64 + 3 * 64)), "inProjMaxAbs": float(m.in_proj_weight.abs().max()),
            "inProjStd": float(m.in_proj_weight.std()), "inProjBiasMaxAbs": float(m.in_proj_bias.abs().max()),
            "outProjBound": 1 / math.sqrt(64), "outProjStd": float(m.out_proj.weight.std()),
            "outProjBiasMaxAbs": float(m.out_proj.bias.abs().max()), "keys": list(m.state_dict().keys()),
            "encoderKeys": list(nn.TransformerEncoderLayer(64, 4, 128).state_dict().keys())}


def encoder_case(name, E, H, ff, L, N, activation, norm_first, batch_first, src_mask=None, kpm=None):
    layer = nn.TransformerEncoderLayer(E, H, ff, dropout=0.0, activation=activation, batch_first=batch_first, norm_first=norm_first)
    with torch.no_grad():
        for p in layer.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    shape = (N, L, E) if batch_first else (L, N, E)
    x = leaf(*shape)
    out = layer(x, src_mask=src_mask, src_key_padding_mask=kpm)
    w = backward(out)
    sd, shapes = state(layer)
    case = {"name": name, "E": E, "H": H, "ff": ff, "activation": activation, "normFirst": norm_first, "batchFirst": batch_first,
            "state": sd, "shapes": shapes, "x": flat(x), "xShape": list(shape), "out": flat(out), "w": flat(w), "grads": grads(layer),
            "dx": flat(x.grad)}
    if src_mask is not None:
        case["srcMask"] = {"values": mask_values(src_mask), "shape": list(src_mask.shape), "bool": src_mask.dtype == torch.bool}
    if kpm is not None:
        case["srcKeyPaddingMask"] = {"values": mask_values(kpm), "shape": list(kpm.shape), "bool": True}
    return case


def encoder():
    L, N, E, H = 6, 2, 8, 2
    kpm = torch.zeros(N, L, dtype=torch.bool)
    kpm[1, 4:] = True
    return [
        encoder_case("post-norm ReLU, sequence first", E, H, 16, L, N, "relu", False, False),
        encoder_case("pre-norm GELU, batch first, causal mask and key padding", E, H, 12, L, N, "gelu", True, True,
                     src_mask=causal(L), kpm=kpm),
    ]


data = {"torch": torch.__version__, "ops": ops(), "mha": mha(), "init": init(), "encoder": encoder(), "mhaOptions": mha_options()}
path = write_fixture("attention.json", data)
print(f"wrote {path}")
