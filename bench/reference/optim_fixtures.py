#!/usr/bin/python3
"""Reference fixtures for steepest's optimizers and learning-rate schedules, from PyTorch.

Run:  /usr/bin/python3 bench/reference/optim_fixtures.py      (torch 1.13, Debian python3-torch)
Writes test/fixtures/optim/{trajectories,schedules}.json, read by test/optim/*.test.ts.

Trajectories: every optimizer and option combination for 100 steps on a fixed separable
quadratic, loss = sum(h/2 * (p - c)^2) over two parameters w [3, 5] and b [7]. The gradient
g = h * (p - c) is evaluated in float64 from the float32 parameters and rounded to float32, so
the TypeScript test can feed the identical gradient. Options are written in steepest's names;
this script maps them onto torch.optim, and implements what torch has no switch for (the
handbook's EMA momentum and eps-inside-sqrt RMSprop, the L1 subgradient and proximal step)
literally with torch tensor ops. Parameters are recorded after steps 1-10 and every 5th step.
"""
import json
import math
import os

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "optim")
STEPS = 100
RECORD = [k for k in range(1, STEPS + 1) if k <= 10 or k % 5 == 0]

SHAPES = {"w": [3, 5], "b": [7]}


def problem():
    n = {k: math.prod(s) for k, s in SHAPES.items()}
    init = {"w": [1.5 * math.sin(1.3 * i + 0.2) for i in range(n["w"])],
            "b": [math.cos(0.7 * i) - 0.3 for i in range(n["b"])]}
    target = {k: [0.5 * math.cos(0.9 * i + (1.0 if k == "b" else 0.0)) for i in range(n[k])] for k in n}
    curv = {k: [0.5 + ((i + (2 if k == "b" else 0)) % 5) * 0.6 for i in range(n[k])] for k in n}
    return init, target, curv


def to_f32(xs):
    # 9 significant digits identify a float32 exactly (Math.fround gives it back).
    return [float(f"{v:.9g}") for v in torch.tensor(xs, dtype=torch.float32).tolist()]


TORCH_NAMES = {"lr": "lr", "weightDecay": "weight_decay", "momentum": "momentum", "dampening": "dampening",
               "nesterov": "nesterov", "betas": "betas", "eps": "eps", "amsgrad": "amsgrad", "alpha": "alpha",
               "centered": "centered", "lrDecay": "lr_decay", "initialAccumulatorValue": "initial_accumulator_value"}
CUSTOM = {"l1", "l1Proximal", "emaMomentum", "epsInsideSqrt"}

CASES = [
    ("sgd_plain", "SGD", {"lr": 0.05}, {}),
    ("sgd_momentum", "SGD", {"lr": 0.05, "momentum": 0.9}, {}),
    ("sgd_dampening", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}, {}),
    ("sgd_nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}, {}),
    ("sgd_weight_decay", "SGD", {"lr": 0.05, "momentum": 0.8, "weightDecay": 0.05}, {}),
    ("sgd_ema_handbook", "SGD", {"lr": 0.2, "momentum": 0.9, "emaMomentum": True}, {}),
    ("sgd_l1_proximal", "SGD", {"lr": 0.05, "l1": 0.3, "l1Proximal": True}, {}),
    ("sgd_clip_value", "SGD", {"lr": 0.05, "momentum": 0.9}, {"clipGradValue": 0.4}),
    ("rmsprop_default", "RMSprop", {"lr": 0.01}, {}),
    # Centered cases use a larger eps: once the gradient stops varying, sq - ga^2 -> 0 and the
    # normalized step g / sqrt(sq - ga^2) makes the iteration chaotic near the optimum, so
    # last-bit differences grow to O(1) ones (PyTorch against itself with another operation
    # order diverges the same way), which tests nothing.
    ("rmsprop_centered", "RMSprop", {"lr": 0.01, "centered": True, "eps": 1e-4}, {}),
    ("rmsprop_momentum", "RMSprop", {"lr": 0.01, "momentum": 0.9}, {}),
    ("rmsprop_all", "RMSprop", {"lr": 0.01, "alpha": 0.95, "centered": True, "momentum": 0.5, "weightDecay": 0.01,
                                  "eps": 1e-3}, {}),
    ("rmsprop_handbook", "RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-3, "epsInsideSqrt": True}, {}),
    ("adam_default", "Adam", {"lr": 0.01}, {}),
    ("adam_amsgrad", "Adam", {"lr": 0.01, "amsgrad": True}, {}),
    ("adam_weight_decay", "Adam", {"lr": 0.01, "weightDecay": 0.05}, {}),
    ("adam_betas_eps", "Adam", {"lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6}, {}),
    ("adam_l1_subgradient", "Adam", {"lr": 0.01, "l1": 0.05}, {}),
    ("adam_clip_norm", "Adam", {"lr": 0.01}, {"clipGradNorm": 1.0}),
    ("adamw_default", "AdamW", {"lr": 0.01}, {}),
    ("adamw_amsgrad", "AdamW", {"lr": 0.01, "weightDecay": 0.1, "amsgrad": True}, {}),
    ("adagrad_default", "Adagrad", {"lr": 0.1}, {}),
    ("adagrad_all", "Adagrad", {"lr": 0.1, "lrDecay": 0.01, "weightDecay": 0.01, "initialAccumulatorValue": 0.1,
                                "eps": 1e-6}, {}),
]
# Two groups with their own lr and weight decay: [w] and [b].
GROUP_CASES = [
    ("adam_two_groups", "Adam", [{"lr": 0.01}, {"lr": 0.003, "weightDecay": 0.1}], {}),
    ("sgd_two_groups", "SGD", [{"lr": 0.05, "momentum": 0.9}, {"lr": 0.02, "momentum": 0.5, "weightDecay": 0.1}], {}),
]


def torch_options(opts):
    return {TORCH_NAMES[k]: (tuple(v) if k == "betas" else v) for k, v in opts.items() if k not in CUSTOM}


def run_case(name, kind, groups_opts, global_opts):
    init, target, curv = problem()
    params = {k: torch.nn.Parameter(torch.tensor(init[k], dtype=torch.float32).reshape(SHAPES[k])) for k in SHAPES}
    c = {k: torch.tensor(target[k], dtype=torch.float64).reshape(SHAPES[k]) for k in SHAPES}
    h = {k: torch.tensor(curv[k], dtype=torch.float64).reshape(SHAPES[k]) for k in SHAPES}
    if isinstance(groups_opts, dict):
        group_params = [[params["w"], params["b"]]]
        groups_opts = [groups_opts]
    else:
        group_params = [[params["w"]], [params["b"]]]
    custom = [{k: v for k, v in g.items() if k in CUSTOM} for g in groups_opts]
    ema = any(cu.get("emaMomentum") for cu in custom)
    eps_in = any(cu.get("epsInsideSqrt") for cu in custom)
    opt = None
    if not ema and not eps_in:
        # The first group's options double as constructor defaults: Adagrad reads
        # initial_accumulator_value from the constructor only, not from a group.
        opt = getattr(torch.optim, kind)([{"params": gp, **torch_options(go)} for gp, go in zip(group_params, groups_opts)],
                                         **torch_options(groups_opts[0]))
    manual_state = {}
    snaps = []
    for step in range(1, STEPS + 1):
        for k, p in params.items():
            g = (h[k] * (p.detach().double() - c[k])).float()
            p.grad = g
        if "clipGradValue" in global_opts:
            torch.nn.utils.clip_grad_value_(list(params.values()), global_opts["clipGradValue"])
        if "clipGradNorm" in global_opts:
            torch.nn.utils.clip_grad_norm_(list(params.values()), global_opts["clipGradNorm"])
        with torch.no_grad():
            for gp, cu in zip(group_params, custom):
                if cu.get("l1") and not cu.get("l1Proximal"):
                    for p in gp:
                        p.grad.add_(torch.sign(p), alpha=cu["l1"])
            if opt is not None:
                opt.step()
            else:
                manual_step(groups_opts, group_params, manual_state)
            for gp, go, cu in zip(group_params, groups_opts, custom):
                if cu.get("l1Proximal"):
                    for p in gp:
                        shrink = go["lr"] * cu["l1"]
                        p.copy_(torch.sign(p) * torch.clamp(p.abs() - shrink, min=0))
        if step in RECORD:
            snaps.append(to_f32(params["w"].detach().flatten().tolist() + params["b"].detach().flatten().tolist()))
    return {"name": name, "optimizer": kind, "groups": groups_opts, "global": global_opts, "steps": RECORD,
            "params": snaps}


def manual_step(groups_opts, group_params, state):
    """The handbook's literal forms, which torch.optim has no switch for."""
    for go, gp in zip(groups_opts, group_params):
        for p in gp:
            st = state.setdefault(id(p), {"v": torch.zeros_like(p)})
            g = p.grad
            if go.get("emaMomentum"):  # v = beta * v + (1 - beta) * g;  W = W - lr * v
                beta = go["momentum"]
                st["v"] = beta * st["v"] + (1 - beta) * g
                p.sub_(go["lr"] * st["v"])
            elif go.get("epsInsideSqrt"):  # v = beta * v + (1 - beta) * g^2;  W = W - lr / sqrt(v + eps) * g
                beta = go["alpha"]
                st["v"] = beta * st["v"] + (1 - beta) * g * g
                p.sub_(go["lr"] / torch.sqrt(st["v"] + go["eps"]) * g)
            else:
                raise ValueError(go)


# ---------------------------------------------------------------- schedules
SCHED_STEPS = 60
BASE_LRS = [0.1, 0.02]
METRICS = [1.0, 0.9, 0.85, 0.86, 0.84, 0.845, 0.85, 0.849, 0.83, 0.8301, 0.8302, 0.8303, 0.8304, 0.7, 0.71, 0.72,
           0.73, 0.69, 0.69, 0.69, 0.69, 0.69, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]


def make_optimizer(kind="SGD"):
    ps = [torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(3))]
    if kind == "Adam":
        return torch.optim.Adam([{"params": [ps[0]], "lr": BASE_LRS[0]}, {"params": [ps[1]], "lr": BASE_LRS[1]}])
    return torch.optim.SGD([{"params": [ps[0]], "lr": BASE_LRS[0]}, {"params": [ps[1]], "lr": BASE_LRS[1]}],
                           lr=BASE_LRS[0], momentum=0.9)


S = torch.optim.lr_scheduler
SCHEDULES = [
    ("ConstantLR", {"factor": 0.5, "totalIters": 4}, lambda o: S.ConstantLR(o, factor=0.5, total_iters=4)),
    ("StepLR", {"stepSize": 7, "gamma": 0.5}, lambda o: S.StepLR(o, step_size=7, gamma=0.5)),
    ("MultiStepLR", {"milestones": [5, 12, 12, 30], "gamma": 0.3},
     lambda o: S.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.3)),
    ("ExponentialLR", {"gamma": 0.95}, lambda o: S.ExponentialLR(o, gamma=0.95)),
    ("CosineAnnealingLR", {"tMax": 20, "etaMin": 0.001}, lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.001)),
    ("CosineAnnealingLR", {"tMax": 15}, lambda o: S.CosineAnnealingLR(o, T_max=15)),
    ("CosineAnnealingWarmRestarts", {"t0": 5, "tMult": 2, "etaMin": 0.001},
     lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.001)),
    ("CosineAnnealingWarmRestarts", {"t0": 7}, lambda o: S.CosineAnnealingWarmRestarts(o, T_0=7)),
    ("LinearLR", {"startFactor": 0.1, "endFactor": 1.0, "totalIters": 10},
     lambda o: S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=10)),
    ("LinearLR", {"startFactor": 1.0, "endFactor": 0.2, "totalIters": 25},
     lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=25)),
    ("OneCycleLR", {"maxLr": 0.5, "totalSteps": SCHED_STEPS}, lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=SCHED_STEPS)),
    ("OneCycleLR", {"maxLr": [0.5, 0.1], "totalSteps": SCHED_STEPS, "annealStrategy": "linear", "threePhase": True,
                    "pctStart": 0.25, "divFactor": 10, "finalDivFactor": 100, "baseMomentum": 0.8, "maxMomentum": 0.9},
     lambda o: S.OneCycleLR(o, max_lr=[0.5, 0.1], total_steps=SCHED_STEPS, anneal_strategy="linear", three_phase=True,
                            pct_start=0.25, div_factor=10, final_div_factor=100, base_momentum=0.8, max_momentum=0.9),
     "Adam"),
]


def lr_sequence(make, kind="SGD"):
    opt = make_optimizer(kind)
    sched = make(opt)
    lrs, moms = [], []

    def record():
        lrs.append([g["lr"] for g in opt.param_groups])
        moms.append([g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups])
    record()
    for _ in range(SCHED_STEPS - 1):
        opt.step()
        sched.step()
        record()
    return lrs, moms


def schedules():
    out = []
    for entry in SCHEDULES:
        name, opts, make = entry[:3]
        kind = entry[3] if len(entry) > 3 else "SGD"
        lrs, moms = lr_sequence(make, kind)
        out.append({"scheduler": name, "options": opts, "optimizer": kind, "lr": lrs, "momentum": moms})
    # Composition.
    seq = lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5), S.ExponentialLR(o, gamma=0.9)],
                                   milestones=[5])
    lrs, moms = lr_sequence(seq)
    out.append({"scheduler": "SequentialLR", "options": {"schedulers": [["LinearLR", {"startFactor": 0.1, "totalIters": 5}],
                                                                        ["ExponentialLR", {"gamma": 0.9}]],
                                                         "milestones": [5]}, "optimizer": "SGD", "lr": lrs, "momentum": moms})
    seq2 = lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.2, total_iters=3), S.CosineAnnealingLR(o, T_max=20),
                                        S.StepLR(o, step_size=4, gamma=0.5)], milestones=[8, 30])
    lrs, moms = lr_sequence(seq2)
    out.append({"scheduler": "SequentialLR", "options": {"schedulers": [["ConstantLR", {"factor": 0.2, "totalIters": 3}],
                                                                        ["CosineAnnealingLR", {"tMax": 20}],
                                                                        ["StepLR", {"stepSize": 4, "gamma": 0.5}]],
                                                         "milestones": [8, 30]}, "optimizer": "SGD", "lr": lrs, "momentum": moms})
    chain = lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=4), S.ExponentialLR(o, gamma=0.9)])
    lrs, moms = lr_sequence(chain)
    out.append({"scheduler": "ChainedScheduler", "options": {"schedulers": [["ConstantLR", {"factor": 0.1, "totalIters": 4}],
                                                                            ["ExponentialLR", {"gamma": 0.9}]]},
                "optimizer": "SGD", "lr": lrs, "momentum": moms})
    # Warm restarts stepped per iteration with fractional epochs, as PyTorch's docs show.
    opt = make_optimizer()
    sched = S.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.0)
    epochs, lrs = [], []
    iters = 4
    for epoch in range(10):
        for i in range(iters):
            e = epoch + i / iters
            sched.step(e)
            epochs.append(e)
            lrs.append([g["lr"] for g in opt.param_groups])
    out.append({"scheduler": "CosineAnnealingWarmRestarts", "options": {"t0": 3, "tMult": 2}, "optimizer": "SGD",
                "epochs": epochs, "lr": lrs})
    return out


PLATEAUS = [
    {"mode": "min", "factor": 0.5, "patience": 2, "threshold": 1e-3, "thresholdMode": "rel", "cooldown": 1,
     "minLr": 0.004},
    {"mode": "min", "factor": 0.1, "patience": 0, "threshold": 0.01, "thresholdMode": "abs", "cooldown": 0,
     "minLr": [0.0, 0.0005]},
    {"mode": "max", "factor": 0.3, "patience": 1, "threshold": 0.05, "thresholdMode": "rel", "cooldown": 2,
     "minLr": 0.0, "eps": 1e-3},
]


def plateaus():
    out = []
    for o in PLATEAUS:
        opt = make_optimizer()
        sched = S.ReduceLROnPlateau(opt, mode=o["mode"], factor=o["factor"], patience=o["patience"],
                                    threshold=o["threshold"], threshold_mode=o["thresholdMode"], cooldown=o["cooldown"],
                                    min_lr=o["minLr"], eps=o.get("eps", 1e-8))
        metrics = METRICS if o["mode"] == "min" else [-m for m in METRICS]
        lrs = []
        for m in metrics:
            sched.step(m)
            lrs.append([g["lr"] for g in opt.param_groups])
        out.append({"options": o, "metrics": metrics, "lr": lrs})
    return out


def write(name, data):
    path = os.path.join(OUT, name)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    os.replace(tmp, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def main():
    os.makedirs(OUT, exist_ok=True)
    init, target, curv = problem()
    cases = [run_case(*c) for c in CASES] + [run_case(*c) for c in GROUP_CASES]
    write("trajectories.json", {
        "torch": torch.__version__, "shapes": SHAPES,
        "init": {k: to_f32(v) for k, v in init.items()}, "target": target, "curvature": curv,
        "cases": cases})
    write("schedules.json", {"torch": torch.__version__, "baseLrs": BASE_LRS, "steps": SCHED_STEPS,
                             "schedules": schedules(), "plateaus": plateaus()})


if __name__ == "__main__":
    main()
