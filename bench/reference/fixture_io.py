"""Shared by the fixture scripts of bench/reference: tensors as flat lists, and an atomic write
(temp file + rename) into test/fixtures/nn/."""
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "nn")


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def write_fixture(name, data):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path + ".tmp", "w") as f:
        json.dump(data, f)
    os.replace(path + ".tmp", path)
    return path
