#!/usr/bin/python3
"""Reference fixtures for steepest's data tests, from scikit-learn and imbalanced-learn.

Run:  /usr/bin/python3 bench/reference/data_fixtures.py
Writes small JSON files to test/fixtures/data/:
  class_weights.json   compute_class_weight('balanced' and dict) for several label vectors
  resample_counts.json class counts after SMOTE / RandomOverSampler / RandomUnderSampler
                       .fit_resample for every sampling_strategy form
  splits.json          train_test_split(stratify=y) class counts, KFold and StratifiedKFold
                       (no shuffle) test indices
"""
import collections
import json
import os
import sys

import numpy as np
import sklearn
import imblearn
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.utils.class_weight import compute_class_weight
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "data")
rng = np.random.default_rng(20261123)


def labels(counts):
    """A shuffled label vector with the given count per class."""
    y = np.concatenate([np.full(n, c) for c, n in counts.items()])
    return rng.permutation(y).astype(np.int64)


def counts_of(y):
    return {int(k): int(v) for k, v in sorted(collections.Counter(y.tolist()).items())}


def write(name, obj):
    obj["generator"] = f"bench/reference/data_fixtures.py (scikit-learn {sklearn.__version__}, imbalanced-learn {imblearn.__version__})"
    path = os.path.join(OUT, name)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)
    print("wrote", path, os.path.getsize(path), "bytes")


def class_weights():
    cases = []
    for counts in ({0: 90, 1: 10}, {0: 5, 1: 17, 2: 3, 3: 40}, {2: 7, 5: 3, 9: 11}):
        y = labels(counts)
        classes = np.unique(y)
        cases.append({
            "y": y.tolist(),
            "classes": classes.tolist(),
            "balanced": compute_class_weight("balanced", classes=classes, y=y).tolist(),
        })
    y = labels({0: 30, 1: 6, 2: 4})
    classes = np.unique(y)
    mapping = {0: 0.5, 2: 3.0}
    cases.append({"y": y.tolist(), "classes": classes.tolist(), "map": {str(k): v for k, v in mapping.items()},
                  "mapped": compute_class_weight(mapping, classes=classes, y=y).tolist()})
    write("class_weights.json", {"cases": cases})


def resample_counts():
    multi = labels({0: 60, 1: 25, 2: 12, 3: 25})
    binary = labels({0: 80, 1: 14})
    X_multi = rng.normal(size=(multi.size, 4))
    X_binary = rng.normal(size=(binary.size, 4))
    over = ["auto", "minority", "not minority", "not majority", "all"]
    under = ["auto", "majority", "not minority", "not majority", "all"]
    cases = []

    def run(name, cls, y, X, strategy, key):
        kw = {"sampling_strategy": strategy, "random_state": 0}
        if cls is SMOTE:
            kw["k_neighbors"] = 5
        sampler = cls(**kw)
        note = None
        try:
            sampler._validate_params()
        except ValueError as err:
            # imbalanced-learn 0.10.0's parameter table for SMOTE lists 'majority' where its own
            # sampling-strategy code (check_sampling_strategy) implements 'minority'; skip the
            # table so the real resampling runs.
            sampler._validate_params = lambda: None
            note = f"parameter validation bypassed: {err}"
        _, y_res = sampler.fit_resample(X, y)
        if note:
            cases.append({"note": note[:160]})
        cases.append({"sampler": name, "data": key, "strategy": strategy if not isinstance(strategy, dict)
                      else {str(k): v for k, v in strategy.items()}, "counts": counts_of(y_res)})

    for name, cls, strategies in (("SMOTE", SMOTE, over), ("RandomOverSampler", RandomOverSampler, over),
                                  ("RandomUnderSampler", RandomUnderSampler, under)):
        for s in strategies:
            run(name, cls, multi, X_multi, s, "multi")
        run(name, cls, binary, X_binary, 0.5 if name != "RandomUnderSampler" else 0.4, "binary")
    run("SMOTE", SMOTE, multi, X_multi, {1: 40, 2: 30}, "multi")
    run("RandomOverSampler", RandomOverSampler, multi, X_multi, {2: 50}, "multi")
    run("RandomUnderSampler", RandomUnderSampler, multi, X_multi, {0: 20, 3: 10}, "multi")
    write("resample_counts.json", {"data": {"multi": multi.tolist(), "binary": binary.tolist()}, "cases": cases})


def splits():
    y = labels({0: 70, 1: 20, 2: 9, 3: 4})
    strat = []
    for test_size in (0.25, 0.3, 17):
        tr, te = train_test_split(np.arange(y.size), test_size=test_size, stratify=y, random_state=0)
        strat.append({"testSize": test_size, "train": counts_of(y[tr]), "test": counts_of(y[te])})
    kf = [te.tolist() for _, te in KFold(n_splits=4).split(np.zeros(23))]
    skf_y = labels({1: 11, 0: 7, 4: 5})
    skf = [te.tolist() for _, te in StratifiedKFold(n_splits=3).split(np.zeros(skf_y.size), skf_y)]
    write("splits.json", {"y": y.tolist(), "stratified": strat, "kfold": {"n": 23, "k": 4, "test": kf},
                          "stratifiedKFold": {"y": skf_y.tolist(), "k": 3, "test": skf}})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    class_weights()
    resample_counts()
    splits()
