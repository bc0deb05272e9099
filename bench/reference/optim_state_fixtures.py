#!/usr/bin/python3
"""PyTorch (Debian python3-torch 1.13) optimizer state dicts, converted by the short function
`to_steepest` below, for test/optim/state_dict.test.ts: each case runs 3 steps on a fixed
parameter with fixed gradients, stores the converted state dict, the parameter after 3 steps,
the 4th gradient and the parameter after the 4th step. Loading the state into a steepest
optimizer over the 3-step parameter and stepping once must give the 4th-step parameter.

Re-run (one command):  /usr/bin/python3 bench/reference/optim_state_fixtures.py
Writes test/fixtures/optim/pytorch_state_dicts.json (atomically: temp file + rename).
"""
import json
import os
import re

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "optim")
DROP = {"foreach", "capturable", "differentiable", "fused"}  # implementation switches, not math


def camel(name):
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def to_steepest(sd):
    """PyTorch's state_dict -> steepest's: tensors to number lists (row-major), step to an int,
    group hyperparameters camelCase. Buffer names (exp_avg, ...) are the same on both sides."""
    state = {str(i): {k: (int(v.item() if torch.is_tensor(v) else v) if k == "step" else [float(x) for x in v.reshape(-1).tolist()])
                      for k, v in s.items()} for i, s in sd["state"].items()}
    groups = [{camel(k): v for k, v in g.items() if k not in DROP} for g in sd["param_groups"]]
    return {"state": state, "paramGroups": groups}


def grad(step):
    return torch.tensor([0.5, -1.0, 0.25, 2.0, -0.125, 1.5]) * (1 + 0.3 * step) + 0.1 * step


CASES = {
    "adam_amsgrad": (torch.optim.Adam, {"lr": 0.01, "betas": (0.8, 0.95), "amsgrad": True, "weight_decay": 0.01}),
    "sgd_momentum": (torch.optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    "rmsprop_centered": (torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "centered": True}),
    "adagrad": (torch.optim.Adagrad, {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1}),
}

cases = []
for name, (cls, kw) in CASES.items():
    p = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5, 3.0, -0.75, 0.0]))
    opt = cls([p], **kw)
    for step in range(3):
        p.grad = grad(step)
        opt.step()
    sd = to_steepest(opt.state_dict())
    after3 = [float(x) for x in p.detach().tolist()]
    g4 = grad(3)
    p.grad = g4.clone()
    opt.step()
    cases.append({"name": name, "stateDict": sd, "param": after3, "grad": [float(x) for x in g4.tolist()],
                  "expected": [float(x) for x in p.detach().tolist()]})

os.makedirs(OUT, exist_ok=True)
path = os.path.join(OUT, "pytorch_state_dicts.json")
with open(path + ".tmp", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
os.replace(path + ".tmp", path)
print("wrote", path)
