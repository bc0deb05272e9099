"""Reference values for steepest's metrics (src/train/metrics), from scikit-learn.

Run with Debian's interpreter (sklearn from apt):
    /usr/bin/python3 bench/reference/metrics_fixtures.py
Writes test/fixtures/train/metrics.json. Inputs are rounded to float32 first, so the
TypeScript side sees exactly the values sklearn scored. Each case carries the batch sizes
the test feeds, to exercise accumulation across batches.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn import metrics as skm

rng = np.random.default_rng(7)
f32 = lambda a: np.asarray(a, dtype=np.float32)
flat = lambda a: [float(v) for v in np.asarray(a).ravel()]


def classification_case(name, n, c, present, skill, batches):
    """Logits [n, c] whose argmax agrees with the label with some probability `skill`."""
    y = rng.choice(present, size=n)
    logits = f32(rng.normal(size=(n, c)))
    boost = rng.random(n) < skill
    logits[np.arange(n)[boost], y[boost]] += 2.5
    pred = logits.argmax(axis=1)
    out = {
        "name": name, "n": n, "classes": c, "batches": batches,
        "logits": flat(logits), "target": [int(v) for v in y],
        "accuracy": skm.accuracy_score(y, pred),
        "topK": {str(k): skm.top_k_accuracy_score(y, logits, k=k, labels=list(range(c))) for k in (1, 2, 3)},
        "confusion": skm.confusion_matrix(y, pred, labels=list(range(c))).tolist(),
        "prf": {},
    }
    for zd in (0, 1):
        for avg in ("macro", "micro", "weighted", None):
            p, r, f, _ = skm.precision_recall_fscore_support(y, pred, average=avg, zero_division=zd)
            key = f"{avg or 'none'}/{zd}"
            out["prf"][key] = {"precision": np.asarray(p).tolist(), "recall": np.asarray(r).tolist(), "f1": np.asarray(f).tolist()}
    return out


def binary_case(n, batches):
    y = rng.integers(0, 2, size=n)
    prob = f32(np.clip(0.5 + (y - 0.5) * 0.4 + rng.normal(scale=0.3, size=n), 0, 1))
    pred = (prob >= 0.5).astype(int)
    out = {"name": "binary", "n": n, "batches": batches, "scores": flat(prob), "target": [int(v) for v in y],
           "accuracy": skm.accuracy_score(y, pred), "prf": {}}
    for avg in ("binary", "macro", "micro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(y, pred, average=avg, zero_division=0)
        out["prf"][avg] = {"precision": float(p), "recall": float(r), "f1": float(f)}
    return out


def zero_division_case():
    """Class 2 is true but never predicted; class 3 is predicted but never true."""
    y = np.array([0, 0, 1, 1, 2, 2, 0, 1])
    pred = np.array([0, 1, 1, 1, 0, 3, 0, 3])
    out = {"name": "zeroDivision", "classes": 4, "target": y.tolist(), "pred": pred.tolist(), "prf": {}}
    for zd in (0, 1):
        for avg in ("macro", "micro", "weighted", None):
            p, r, f, _ = skm.precision_recall_fscore_support(y, pred, average=avg, zero_division=zd)
            out["prf"][f"{avg or 'none'}/{zd}"] = {"precision": np.asarray(p).tolist(), "recall": np.asarray(r).tolist(), "f1": np.asarray(f).tolist()}
    # Pinned labels include class 4, absent from both: its 0/0 scores follow zero_division.
    for zd in (0, 1):
        p, r, f, _ = skm.precision_recall_fscore_support(y, pred, labels=[0, 1, 2, 3, 4], average="macro", zero_division=zd)
        out["prf"][f"macroPinned/{zd}"] = {"precision": float(p), "recall": float(r), "f1": float(f)}
    return out


def regression_case(name, n, d, batches, constant_column=False):
    y = f32(rng.normal(loc=3.0, scale=2.0, size=(n, d)))
    if constant_column:
        y[:, -1] = 1.5
    pred = f32(y + rng.normal(scale=0.7, size=(n, d)))
    shape = [n] if d == 1 else [n, d]
    y64, p64 = y.astype(np.float64), pred.astype(np.float64)
    if d == 1:
        y64, p64 = y64.ravel(), p64.ravel()
    return {
        "name": name, "shape": shape, "batches": batches, "pred": flat(pred), "target": flat(y),
        "mse": skm.mean_squared_error(y64, p64), "mae": skm.mean_absolute_error(y64, p64),
        "r2": skm.r2_score(y64, p64),
        "r2Raw": np.atleast_1d(skm.r2_score(y64, p64, multioutput="raw_values")).tolist(),
    }


fixtures = {
    "generator": "bench/reference/metrics_fixtures.py",
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "classification": [
        classification_case("multiclass", 203, 5, [0, 1, 2, 3, 4], 0.6, [64, 64, 64, 11]),
        # Class 5 never occurs as a label; it may still be predicted.
        classification_case("absentClass", 150, 6, [0, 1, 2, 3, 4], 0.5, [50, 50, 50]),
    ],
    "binary": binary_case(120, [32, 32, 32, 24]),
    "zeroDivision": zero_division_case(),
    "regression": [
        regression_case("single", 157, 1, [50, 50, 57]),
        regression_case("multi", 90, 3, [30, 30, 30]),
        regression_case("constantColumn", 60, 2, [25, 35], constant_column=True),
    ],
}

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
path = os.path.join(root, "test", "fixtures", "train", "metrics.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
tmp = path + ".tmp"
with open(tmp, "w") as fh:
    json.dump(fixtures, fh)
os.replace(tmp, path)
print(f"wrote {path} ({os.path.getsize(path)} bytes) with sklearn {sklearn.__version__}", file=sys.stderr)
