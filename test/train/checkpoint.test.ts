// safetensors reader/writer, checkpoint sidecars, atomic saves and corrupt-file errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../../src/ops/creation.js';
import type { Tensor } from '../../src/tensor.js';
import { loadCheckpoint, saveCheckpoint, sidecarPath } from '../../src/train/checkpoint/checkpoint.js';
import { loadSafetensors, parseSafetensors, saveSafetensors } from '../../src/train/checkpoint/safetensors.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function weights(): Record<string, Tensor> {
  return {
    'layer0.weight': tensor([[0.5, -1.25, 3], [1e-30, -0, 7.5]]),
    'layer0.bias': tensor([0.1, -0.2]),
    steps: tensor(Int32Array.from([3, -7, 2147483647])),
    empty: tensor(new Float32Array(0), [0, 4]),
  };
}

/** A safetensors file from a header object and data bytes, for corruption tests. */
function handMade(header: unknown, data: Uint8Array, headerText = JSON.stringify(header)): Buffer {
  const h = Buffer.from(headerText);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, data]);
}

describe('safetensors', () => {
  it('round-trips float32 and int32 tensors with metadata, header aligned to 8 bytes', () => {
    const path = join(dir, 'w.safetensors');
    const w = weights();
    saveSafetensors(path, w, { note: 'hello' });
    const raw = readFileSync(path);
    const n = Number(raw.readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    expect(raw.subarray(8, 8 + n).toString()).toMatch(/ *$/);
    const { tensors, metadata } = loadSafetensors(path);
    expect(metadata).toEqual({ note: 'hello' });
    for (const [name, t] of Object.entries(w)) {
      expect(tensors[name].dtype).toBe(t.dtype);
      expect(tensors[name].shape).toEqual(t.shape);
      expect(Array.from(tensors[name].toArray())).toEqual(Array.from(t.toArray()));
    }
    // -0 and denormal-adjacent values survive bit for bit.
    expect(Object.is(tensors['layer0.weight'].toArray()[4], -0)).toBe(true);
  });

  it('reads unpadded files from other writers (unaligned data section)', () => {
    const data = new Uint8Array(new Float32Array([1.5, -2]).buffer);
    const bytes = handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, data);
    expect(Array.from(parseSafetensors(bytes).tensors.a.toArray())).toEqual([1.5, -2]);
  });

  const f32x2 = new Uint8Array(8);
  const cases: [string, Buffer, RegExp][] = [
    ['too short', Buffer.from([1, 2, 3]), /holds 3 bytes, fewer than the 8-byte header length/],
    ['bad header length', (() => { const b = handMade({}, f32x2); b.writeBigUInt64LE(5000n); return b; })(), /header length 5000 runs past the end of the file/],
    ['absurd header length', (() => { const b = handMade({}, f32x2); b.writeBigUInt64LE(2n ** 60n); return b; })(), /larger than the 100000000-byte limit/],
    ['bad JSON', handMade(null, f32x2, '{"a": {"dtype": "F32",'), /header is not valid JSON/],
    ['header not an object', handMade([1, 2], new Uint8Array(0)), /header is not a JSON object/],
    ['wrong dtype', handMade({ a: { dtype: 'F16', shape: [4], data_offsets: [0, 8] } }, f32x2), /tensor 'a' has dtype "F16"; steepest reads F32 and I32/],
    ['offsets not matching the shape', handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 400] } }, f32x2), /data_offsets \[0, 400\] span 400 bytes, but shape \[2\] of F32 needs 8/],
    ['offsets reversed', handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, f32x2), /expected \[begin, end\] with 0 <= begin <= end/],
    ['offsets with a gap', handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32x2), /leave a gap after byte 0/],
    ['overlapping tensors', handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32x2), /overlap the previous tensor/],
    ['trailing bytes', handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32x2), /4 bytes after the last tensor/],
    ['bad shape', handMade({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, f32x2), /shape \[-2\], expected a list of non-negative integers/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`rejects a file with ${what}`, () => {
      const path = join(dir, `bad-${what.replace(/\W+/g, '-')}.safetensors`);
      writeFileSync(path, bytes);
      expect(() => loadSafetensors(path)).toThrow(message);
      expect(() => loadSafetensors(path)).toThrow(/loadSafetensors: '.*' is not a valid safetensors file/);
    });
  }

  it('rejects a truncated file', () => {
    const path = join(dir, 'trunc.safetensors');
    saveSafetensors(path, weights());
    const size = readFileSync(path).length;
    truncateSync(path, size - 5);
    expect(() => loadSafetensors(path)).toThrow(/truncated: the header describes 44 bytes of tensor data but the file holds 39/);
    expect(() => loadSafetensors(join(dir, 'missing.safetensors'))).toThrow(/cannot read '.*missing.safetensors'/);
  });

  it('Python reads our file by the spec (bench/reference/safetensors_check.py)', () => {
    const path = join(dir, 'py.safetensors');
    const w = weights();
    saveSafetensors(path, w, { format: 'test' });
    const expected = {
      metadata: { format: 'test' },
      tensors: Object.fromEntries(Object.entries(w).map(([k, t]) => [k, { dtype: t.dtype === 'float32' ? 'F32' : 'I32', shape: t.shape, values: Array.from(t.toArray()) }])),
    };
    writeFileSync(join(dir, 'py.json'), JSON.stringify(expected));
    const out = execFileSync('python3', ['bench/reference/safetensors_check.py', path, join(dir, 'py.json')], { encoding: 'utf8' });
    expect(out).toMatch(/ok: 4 tensors match/);
    // The checker is not a rubber stamp: a changed value fails it.
    expected.tensors['layer0.bias'].values[0] = 0.25;
    writeFileSync(join(dir, 'py.json'), JSON.stringify(expected));
    const bad = spawnSync('python3', ['bench/reference/safetensors_check.py', path, join(dir, 'py.json')], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/layer0.bias: values differ/);
  });
});

describe('checkpoints', () => {
  it('saves weights and a sidecar that load back together', () => {
    const path = join(dir, 'run.safetensors');
    const state = { epoch: 3, architecture: { layers: [784, 128, 10] }, optimizer: { lr: 0.001, step: 120 }, rng: { seed: 1, offset: 99 } };
    const paths = saveCheckpoint(path, weights(), state);
    expect(paths.sidecar).toBe(join(dir, 'run.json'));
    expect(sidecarPath('a/b.bin')).toBe('a/b.bin.json');
    const ck = loadCheckpoint(path);
    expect(ck.sidecar).toMatchObject({ format: 'steepest.checkpoint', version: 1, weights: 'run.safetensors', ...state });
    expect(Array.from(ck.weights.steps.toArray())).toEqual([3, -7, 2147483647]);
  });

  it('a failed save never destroys the previous checkpoint, and leaves no temp files', () => {
    const path = join(dir, 'safe.safetensors');
    saveCheckpoint(path, weights(), { epoch: 1 });
    const before = [readFileSync(path), readFileSync(sidecarPath(path))];
    const entriesBefore = readdirSync(dir).sort();

    // 1. Non-serializable sidecar state: fails before any file is touched.
    expect(() => saveCheckpoint(path, weights(), { extra: { big: 10n } })).toThrow(/not JSON-serializable.*nothing was written/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => saveCheckpoint(path, weights(), { extra: circular })).toThrow(/not JSON-serializable/);

    // 2. Failure midway through the weights: the third tensor (in write order) is disposed,
    //    so the writer throws after the header and two tensors reached the temp file.
    const w = weights();
    w['layer0.weight'].dispose();
    expect(() => saveCheckpoint(path, w, { epoch: 2 })).toThrow(/disposed/);

    expect(readFileSync(path).equals(before[0])).toBe(true);
    expect(readFileSync(sidecarPath(path)).equals(before[1])).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(entriesBefore);
    expect(loadCheckpoint(path).sidecar.epoch).toBe(1);
  });

  it('refuses weights and sidecar from different saves, and corrupt sidecars', () => {
    const a = join(dir, 'a.safetensors');
    const b = join(dir, 'b.safetensors');
    saveCheckpoint(a, weights(), { epoch: 1 });
    saveCheckpoint(b, weights(), { epoch: 2 });
    writeFileSync(sidecarPath(a), readFileSync(sidecarPath(b)));
    expect(() => loadCheckpoint(a)).toThrow(/come from different saves/);
    writeFileSync(sidecarPath(a), '{"format": "steepest.checkpoint", ');
    expect(() => loadCheckpoint(a)).toThrow(/sidecar '.*a.json' is not valid JSON/);
    rmSync(sidecarPath(a));
    expect(() => loadCheckpoint(a)).toThrow(/sidecar '.*a.json' for '.*' does not exist/);
    expect(existsSync(b)).toBe(true);
  });
});
