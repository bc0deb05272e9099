// safetensors reader/writer, one-file checkpoints, atomic saves and corrupt-file errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../../src/ops/creation.js';
import type { Tensor } from '../../src/tensor.js';
import { threadId } from 'node:worker_threads';
import { loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint/checkpoint.js';
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
  const fresh = () => mkdtempSync(join(dir, 'ck-'));

  it('are one safetensors file: weights under their names, state arrays as tensors, the rest as JSON metadata', async () => {
    const folder = fresh();
    const path = join(folder, 'run.safetensors');
    const expAvg = new Float32Array([0.25, -1e-8, 3]);
    const state = {
      epoch: 3, architecture: { layers: [784, 128, 10] }, rng: { seed: 1, offset: 99 },
      optimizer: { state: { 0: { step: 120, expAvg } }, paramGroups: [{ lr: 0.001 }] },
      scheduler: [{ best: Infinity, worst: -Infinity, unknown: NaN, zero: -0 }],
      extra: { note: 'x', skipped: undefined, ids: Int32Array.from([7, -7]) },
    };
    const saved = await saveCheckpoint(path, weights(), state);
    expect(saved).toMatchObject({ path, bytes: readFileSync(path).length });
    expect(readdirSync(folder)).toEqual(['run.safetensors']); // no sidecar, no temp file
    expAvg[0] = 99; // the checkpoint was taken at the call

    const ck = loadCheckpoint(path);
    expect(ck.metadata).toMatchObject({ format: 'steepest.checkpoint', version: 2, checkpointId: saved.checkpointId, epoch: 3, rng: state.rng, architecture: state.architecture });
    expect(ck.metadata.optimizer).toEqual({ state: { 0: { step: 120, expAvg: new Float32Array([0.25, -1e-8, 3]) } }, paramGroups: [{ lr: 0.001 }] });
    // Numbers JSON cannot hold come back exactly.
    const [sched] = ck.metadata.scheduler as Record<string, number>[];
    expect([sched.best, sched.worst, sched.unknown, Object.is(sched.zero, -0)]).toEqual([Infinity, -Infinity, NaN, true]);
    expect(ck.metadata.extra).toEqual({ note: 'x', ids: Int32Array.from([7, -7]) });
    expect(Object.keys(ck.weights).sort()).toEqual(Object.keys(weights()).sort());
    expect(Array.from(ck.weights.steps.toArray())).toEqual([3, -7, 2147483647]);

    // Any safetensors reader sees the weights under their own names, and the state's arrays.
    const raw = loadSafetensors(path);
    expect(Object.keys(raw.tensors).sort()).toEqual(['empty', 'layer0.bias', 'layer0.weight', 'state/extra/ids', 'state/optimizer/state/0/expAvg', 'steps']);
    expect(raw.metadata).toMatchObject({ format: 'steepest.checkpoint', version: '2' });
    expect(JSON.parse(raw.metadata.state).optimizer.state['0'].expAvg).toEqual({ $tensor: 'state/optimizer/state/0/expAvg' });
  });

  it('a failed save never destroys the previous checkpoint, and leaves no temp files', async () => {
    const folder = fresh();
    const path = join(folder, 'safe.safetensors');
    await saveCheckpoint(path, weights(), { epoch: 1 });
    const before = readFileSync(path);

    // Non-serializable state: fails before any file is touched, naming the place.
    await expect(saveCheckpoint(path, weights(), { extra: { big: 10n } })).rejects.toThrow(/not JSON-serializable \(a BigInt at state\/extra\/big\); nothing was written/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(saveCheckpoint(path, weights(), { extra: circular })).rejects.toThrow(/a circular reference at state\/extra\/self/);
    await expect(saveCheckpoint(path, weights(), { extra: new Float64Array(2) })).rejects.toThrow(/state\/extra is a Float64Array; a checkpoint stores Float32Array and Int32Array/);
    // A disposed weight: the copy-out throws before the write starts.
    const w = weights();
    w['layer0.weight'].dispose();
    await expect(saveCheckpoint(path, w, { epoch: 2 })).rejects.toThrow(/disposed/);
    // The write itself fails (the folder is gone): the error names the user's path.
    await expect(saveCheckpoint(join(folder, 'gone', 'x.safetensors'), weights(), { epoch: 2 }))
      .rejects.toThrow(/saveCheckpoint: cannot write checkpoint '.*gone\/x.safetensors': ENOENT/);

    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(folder)).toEqual(['safe.safetensors']);
    expect(loadCheckpoint(path).metadata.epoch).toBe(1);
  });

  it("refuses state that would overwrite the file's own fields, naming the key", async () => {
    const folder = fresh();
    const path = join(folder, 'r.safetensors');
    for (const key of ['checkpointId', 'format', 'version', 'savedAt']) {
      await expect(saveCheckpoint(path, weights(), { epoch: 1, [key]: 'x' }))
        .rejects.toThrow(new RegExp(`saveCheckpoint: state key '${key}' is reserved: format, version, checkpointId, savedAt are the checkpoint file's own fields`));
    }
    await expect(saveCheckpoint(path, weights(), { extra: { $tensor: 'state/x' } })).rejects.toThrow(/the key '\$tensor' at state\/extra is reserved/);
    await expect(saveCheckpoint(path, { 'state/w': tensor([1]) }, {})).rejects.toThrow(/weight name 'state\/w' is reserved/);
    await expect(saveCheckpoint(path, { w: [1, 2] as never }, {})).rejects.toThrow(/saveCheckpoint: weights 'w' must be a Tensor, got array/);
    expect(readdirSync(folder)).toEqual([]);
    // The same names are fine one level down: only the top-level fields are the file's.
    await saveCheckpoint(path, weights(), { epoch: 1, extra: { checkpointId: 'mine' } });
    const ck = loadCheckpoint(path);
    expect(ck.metadata.checkpointId).not.toBe('mine');
    expect(ck.metadata.extra).toEqual({ checkpointId: 'mine' });
  });

  it('the next save removes temp files that killed saves left behind, and keeps those of live writers', async () => {
    const folder = fresh();
    const path = join(folder, 'k.safetensors');
    const deadPid = 4_194_305; // above Linux's largest pid_max (2^22): no such process
    const stray = [
      `.k.safetensors.${deadPid}.0.1700000000000.0.tmp`, // a killed process's
      `.k.safetensors.${process.pid}.${threadId}.1700000000000.7.tmp`, // this thread's, not in progress
    ];
    const kept = [
      `.k.safetensors.${process.ppid}.0.1700000000000.0.tmp`, // a live process's: may be writing
      `.other.safetensors.${deadPid}.0.1700000000000.0.tmp`, // another checkpoint's
      'notes.txt',
    ];
    for (const name of [...stray, ...kept]) writeFileSync(join(folder, name), 'partial');
    await saveCheckpoint(path, weights(), { epoch: 1 });
    expect(readdirSync(folder).sort()).toEqual([...kept, 'k.safetensors'].sort());
  });

  it('saves of one path started together commit in call order', async () => {
    const folder = fresh();
    const path = join(folder, 'order.safetensors');
    await Promise.all([1, 2, 3, 4, 5].map((epoch) => saveCheckpoint(path, weights(), { epoch })));
    expect(loadCheckpoint(path).metadata.epoch).toBe(5);
    expect(readdirSync(folder)).toEqual(['order.safetensors']);
  });

  it('refuses files that are not checkpoints, old two-file checkpoints and broken state, naming the path', () => {
    const folder = fresh();
    const plain = join(folder, 'plain.safetensors');
    saveSafetensors(plain, weights());
    expect(() => loadCheckpoint(plain)).toThrow(new RegExp(`loadCheckpoint: '${plain}' is not a usable steepest checkpoint: its __metadata__ has no format 'steepest.checkpoint'`));
    const v1 = join(folder, 'v1.safetensors');
    saveSafetensors(v1, weights(), { format: 'steepest.checkpoint', checkpointId: 'abc' });
    expect(() => loadCheckpoint(v1)).toThrow(/'.*v1.safetensors' is not a usable steepest checkpoint: it is a version 1 checkpoint \(weights plus a .json sidecar\).*save it again/);
    const dangling = join(folder, 'dangling.safetensors');
    saveSafetensors(dangling, weights(), { format: 'steepest.checkpoint', version: '2', state: '{"optimizer": {"$tensor": "state/nope"}}' });
    expect(() => loadCheckpoint(dangling)).toThrow(/'.*dangling.safetensors' .*refers to tensor "state\/nope", which the file does not hold/);
    const badJson = join(folder, 'badjson.safetensors');
    saveSafetensors(badJson, weights(), { format: 'steepest.checkpoint', version: '2', state: '{"epoch": ' });
    expect(() => loadCheckpoint(badJson)).toThrow(/'.*badjson.safetensors' .*its state is not valid JSON/);
    const cut = join(folder, 'cut.safetensors');
    saveSafetensors(cut, weights(), { format: 'steepest.checkpoint', version: '2', state: '{}' });
    truncateSync(cut, readFileSync(cut).length - 4);
    expect(() => loadCheckpoint(cut)).toThrow(/loadCheckpoint: '.*cut.safetensors' is not a valid safetensors file: truncated/);
    expect(() => loadCheckpoint(join(folder, 'missing.safetensors'))).toThrow(/loadCheckpoint: cannot read checkpoint '.*missing.safetensors': it does not exist/);
    expect(() => loadCheckpoint({} as never)).toThrow(/loadCheckpoint: argument 'path' must be a non-empty string, got object/);
  });
});
