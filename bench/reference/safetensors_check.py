"""Reads a safetensors file written by steepest, by the format specification alone, into
torch tensors and compares them with expected values.

    /usr/bin/python3 bench/reference/safetensors_check.py FILE.safetensors EXPECTED.json
EXPECTED.json: {"tensors": {name: {"dtype": "F32"|"I32", "shape": [...], "values": [...]}},
"metadata": {...}}. Debian has no python3-safetensors, so this parses the layout itself:
u64-LE header length, JSON header, data section tiled by data_offsets. Exits non-zero and
says why on any mismatch.
"""
import json
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "I32": torch.int32}


def main(path, expected_path):
    with open(path, "rb") as fh:
        raw = fh.read()
    (n,) = struct.unpack("<Q", raw[:8])
    if (8 + n) % 8 != 0:
        raise SystemExit(f"data section starts at {8 + n}, not 8-byte aligned")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    with open(expected_path) as fh:
        expected = json.load(fh)
    metadata = header.pop("__metadata__", {})
    for k, v in expected.get("metadata", {}).items():
        if metadata.get(k) != v:
            raise SystemExit(f"metadata {k!r}: got {metadata.get(k)!r}, expected {v!r}")
    if set(header) != set(expected["tensors"]):
        raise SystemExit(f"tensor names {sorted(header)} != expected {sorted(expected['tensors'])}")
    covered = 0
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, end = entry["data_offsets"]
        if begin != covered:
            raise SystemExit(f"{name}: data_offsets start at {begin}, expected {covered}")
        covered = end
        want = expected["tensors"][name]
        if entry["dtype"] != want["dtype"] or entry["shape"] != want["shape"]:
            raise SystemExit(f"{name}: {entry['dtype']} {entry['shape']} != {want['dtype']} {want['shape']}")
        buf = bytearray(data[begin:end])
        t = torch.frombuffer(buf, dtype=DTYPES[entry["dtype"]]) if buf else torch.empty(0, dtype=DTYPES[entry["dtype"]])
        t = t.reshape(entry["shape"])
        ref = torch.tensor(want["values"], dtype=torch.float64).reshape(entry["shape"])
        if not torch.equal(t.to(torch.float64), ref):
            raise SystemExit(f"{name}: values differ (max abs diff {(t.double() - ref).abs().max().item()})")
    if covered != len(data):
        raise SystemExit(f"data section holds {len(data)} bytes, tensors cover {covered}")
    print(f"ok: {len(header)} tensors match")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
