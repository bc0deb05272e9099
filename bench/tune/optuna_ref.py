"""Optuna side of `npm run bench:tune` (Debian's python3-optuna): best-so-far regret of TPE and
random search on the three functions of test/tune/helpers/objectives.ts (same formulas), and the time of one suggestion after 100
and 500 finished trials.

    /usr/bin/python3 bench/tune/optuna_ref.py regret FUNCTION SAMPLER SEEDS TRIALS
    /usr/bin/python3 bench/tune/optuna_ref.py overhead SAMPLER FINISHED...
Prints one JSON object on stdout.
"""
import json
import math
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(x):
    x1, x2 = x
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[v * 1e-4 for v in r] for r in [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                                      [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]]
ALPHA = [1, 1.2, 3, 3.2]


def hartmann6(x):
    return -sum(a * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i, a in enumerate(ALPHA))


def levy10(x):
    w = [1 + (v - 1) / 4 for v in x]
    s = math.sin(math.pi * w[0]) ** 2
    for i in range(len(w) - 1):
        s += (w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2)
    return s + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)


FUNCTIONS = {
    "branin": (branin, [(-5, 10), (0, 15)], 0.397887357729738),
    "hartmann6": (hartmann6, [(0, 1)] * 6, -3.32236801141551),
    "levy10": (levy10, [(-10, 10)] * 10, 0.0),
}


def sampler(name, seed):
    return optuna.samplers.TPESampler(seed=seed) if name == "tpe" else optuna.samplers.RandomSampler(seed=seed)


def regret(fname, sname, seeds, trials):
    f, bounds, minimum = FUNCTIONS[fname]
    curves = []
    for seed in range(seeds):
        study = optuna.create_study(direction="minimize", sampler=sampler(sname, seed))
        best, curve = math.inf, []

        def objective(trial):
            return f([trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)])

        for _ in range(trials):
            t = study.ask()
            v = objective(t)
            study.tell(t, v)
            best = min(best, v)
            curve.append(best - minimum)
        curves.append(curve)
    return {"curves": curves}


OVERHEAD_REPEATS = 15  # as bench/tune/index.ts


def overhead(sname, counts):
    """Milliseconds of ask() + 6 suggestions after `count` finished trials of a 6-D sphere."""
    out = {}
    study = optuna.create_study(direction="minimize", sampler=sampler(sname, 0))
    done = 0
    for count in counts:
        while done < count:
            t = study.ask()
            study.tell(t, sum((t.suggest_float(f"x{i}", 0, 1) - 0.3) ** 2 for i in range(6)))
            done += 1
        times = []
        for _ in range(OVERHEAD_REPEATS):
            start = time.perf_counter()
            t = study.ask()
            xs = [t.suggest_float(f"x{i}", 0, 1) for i in range(6)]
            times.append((time.perf_counter() - start) * 1000)
            study.tell(t, sum((v - 0.3) ** 2 for v in xs))
            done += 1
        out[str(count)] = sorted(times)[len(times) // 2]
    return out


if __name__ == "__main__":
    if sys.argv[1] == "regret":
        print(json.dumps(regret(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))))
    else:
        print(json.dumps(overhead(sys.argv[2], [int(c) for c in sys.argv[3:]])))
