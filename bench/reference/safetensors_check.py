"""Reads a safetensors file written by steepest, by the format specification alone, and
compares its tensors with expected values. Python's standard library only (struct), so the
cross-check runs wherever node-gyp's Python 3 is.

    python3 bench/reference/safetensors_check.py FILE.safetensors EXPECTED.json
EXPECTED.json: {"tensors": {name: {"dtype": "F32"|"I32", "shape": [...], "values": [...]}},
"metadata": {...}}. Debian has no python3-safetensors, so this parses the layout itself:
u64-LE header length, JSON header, data section tiled by data_offsets. Exits non-zero and
says why on any mismatch.
"""
import json
import struct
import sys

# safetensors dtype -> struct format letter (little-endian, 4 bytes each).
DTYPES = {"F32": "f", "I32": "i"}


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
        count = 1
        for d in entry["shape"]:
            count *= d
        if end - begin != 4 * count:
            raise SystemExit(f"{name}: {end - begin} bytes for shape {entry['shape']}, expected {4 * count}")
        values = struct.unpack(f"<{count}{DTYPES[entry['dtype']]}", data[begin:end])
        if len(want["values"]) != count:
            raise SystemExit(f"{name}: expected {len(want['values'])} values, the shape holds {count}")
        diff = max((abs(a - b) for a, b in zip(values, want["values"])), default=0.0)
        if diff != 0:
            raise SystemExit(f"{name}: values differ (max abs diff {diff})")
    if covered != len(data):
        raise SystemExit(f"data section holds {len(data)} bytes, tensors cover {covered}")
    print(f"ok: {len(header)} tensors match")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
