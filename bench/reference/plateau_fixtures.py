"""Reference learning rates for steepest's ReduceLROnPlateau callback, from torch 1.13.

    /usr/bin/python3 bench/reference/plateau_fixtures.py
Writes test/fixtures/train/plateau.json: for several configurations, 100 epochs of a
synthetic monitored value (noisy, plateauing) and the lr of each of two parameter groups
after each scheduler step.
"""
import json
import math
import os

import torch

torch.manual_seed(0)
g = torch.Generator().manual_seed(3)
epochs = 100
# Falls, plateaus with noise, falls again: gives improvements, bad runs and cooldowns.
base = [1.0 / (1 + 0.15 * e) if e < 40 else (0.14 if e < 70 else 0.14 - 0.001 * (e - 70)) for e in range(epochs)]
noise = (torch.rand(epochs, generator=g, dtype=torch.float64) - 0.5) * 0.01
values = [b + float(n) for b, n in zip(base, noise)]

configs = [
    {"mode": "min", "factor": 0.5, "patience": 3, "threshold": 1e-4, "thresholdMode": "rel", "cooldown": 0, "minLr": 0},
    {"mode": "min", "factor": 0.3, "patience": 2, "threshold": 0.01, "thresholdMode": "abs", "cooldown": 2, "minLr": [1e-3, 1e-4]},
    {"mode": "max", "factor": 0.1, "patience": 1, "threshold": 1e-3, "thresholdMode": "rel", "cooldown": 1, "minLr": 1e-6},
    {"mode": "min", "factor": 0.1, "patience": 10, "threshold": 1e-4, "thresholdMode": "rel", "cooldown": 0, "minLr": 0},
]

cases = []
for cfg in configs:
    params = [torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))]
    opt = torch.optim.SGD([{"params": [params[0]], "lr": 0.1}, {"params": [params[1]], "lr": 0.05}], lr=0.1)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode=cfg["mode"], factor=cfg["factor"], patience=cfg["patience"], threshold=cfg["threshold"],
        threshold_mode=cfg["thresholdMode"], cooldown=cfg["cooldown"], min_lr=cfg["minLr"])
    monitored = values if cfg["mode"] == "min" else [-v for v in values]
    lrs = []
    for v in monitored:
        sched.step(v)
        lrs.append([grp["lr"] for grp in opt.param_groups])
    cases.append({"config": cfg, "values": monitored, "initialLr": [0.1, 0.05], "lrs": lrs})

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
path = os.path.join(root, "test", "fixtures", "train", "plateau.json")
tmp = path + ".tmp"
with open(tmp, "w") as fh:
    json.dump({"generator": "bench/reference/plateau_fixtures.py", "torch": torch.__version__, "cases": cases}, fh)
os.replace(tmp, path)
print("wrote", path)
