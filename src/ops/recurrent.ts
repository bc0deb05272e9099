/**
 * A multi-layer, optionally bidirectional LSTM or GRU over a whole sequence, as one autograd
 * node: each layer-direction is one native call forward (the input projection of every step in
 * one GEMM, then one W_hh GEMM and one fused gate kernel per step, native/cpu/recurrent.h) and
 * one backward through time. Dropout between layers (training only) regenerates its mask in
 * the backward from the same counter-based draws, as ops/dropout.ts does.
 *
 * The results (output, hN, cN) are views of one packed buffer [output | hN | cN] whose node
 * holds the backward: a gradient reaching any view lands in its slice, so a loss on the last
 * hidden state, on every step's output, or on both flows through the one closure.
 */
import { markIntermediate, needsGrad, record } from '../autograd/graph.js';
import type { Backend, CellName } from '../backend/backend.js';
import type { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { backendOf } from './device.js';
import { fillKernel } from './kernels.js';

export type { CellName };

export interface RecurrentConfig {
  cell: CellName;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  batchFirst: boolean;
  /** Dropout on the outputs of every layer but the last (applied when `training`). */
  dropout: number;
  training: boolean;
  generator: Generator;
  /** Results without the batch dimension (an unbatched input, B = 1). */
  unbatched?: boolean;
}

/** One layer-direction's parameters, in PyTorch's order: weight_ih, weight_hh, bias_ih, bias_hh. */
export type LayerWeights = [Tensor, Tensor, Tensor | null, Tensor | null];

export interface RecurrentResult {
  /** [T, B, D*H], or [B, T, D*H] when batchFirst. */
  output: Tensor;
  /** [numLayers * D, B, H] */
  hN: Tensor;
  /** [numLayers * D, B, H] (LSTM), else null. */
  cN: Tensor | null;
}

const optional = (t: Tensor | null) => [t?.buffer ?? null, t?.offset ?? 0] as const;

/**
 * x: [T, B, I] (or [B, T, I]) contiguous; h0, c0: [numLayers * D, B, H] or null (zeros);
 * weights: per layer and direction, layer-major (forward direction first). Shapes are the
 * caller's (the modules') to check.
 */
export function recurrent(x: Tensor, h0: Tensor | null, c0: Tensor | null, weights: LayerWeights[], c: RecurrentConfig): RecurrentResult {
  const lstm = c.cell === 'lstm';
  const op = lstm ? 'LSTM' : 'GRU';
  const params = weights.flat().filter((w): w is Tensor => w !== null);
  const backend = backendOf(op, x, h0, c0, ...params);
  const [T, B] = c.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
  const H = c.hiddenSize, D = c.bidirectional ? 2 : 1, L = c.numLayers;
  const R = T * B, DH = D * H, BH = B * H;
  const nY = R * DH, nH = L * D * BH;
  const gates = lstm ? 4 : 3;
  const drop = c.training && c.dropout > 0 && L > 1 ? c.dropout : 0;

  const packed = x.newEmpty([nY + nH * (lstm ? 2 : 1)]);
  const shapeOf = (k: number, d: number) => [T, B, k === 0 ? x.shape[2] : DH, H, c.batchFirst ? 1 : 0, d, DH];
  // Per layer: its input (x, or the previous output after dropout), its output and the
  // workspaces of its directions; and the dropout draws that made each input.
  const inputs: Tensor[] = [x];
  const outputs: Tensor[] = [];
  const workspaces: Tensor[] = [];
  const draws: { seed: number; start: number }[] = [];
  for (let k = 0; k < L; k++) {
    const input = inputs[k];
    const out = k === L - 1 ? packed : x.newEmpty([R, DH]);
    for (let d = 0; d < D; d++) {
      const [wIh, wHh, bIh, bHh] = weights[k * D + d];
      const ws = x.newEmpty([R * (gates + 2) * H]);
      workspaces.push(ws);
      const at = (k * D + d) * BH;
      backend.recurrentForward(c.cell, input.buffer, input.offset, wIh.buffer, wIh.offset, wHh.buffer, wHh.offset, ...optional(bIh),
        ...optional(bHh), h0?.buffer ?? null, (h0?.offset ?? 0) + at, c0?.buffer ?? null, (c0?.offset ?? 0) + at,
        out.buffer, out.offset + d * H, packed.buffer, packed.offset + nY + at, lstm ? packed.buffer : null,
        packed.offset + nY + nH + at, ws.buffer, ws.offset, shapeOf(k, d));
    }
    if (k === L - 1) break;
    outputs.push(out);
    if (drop > 0) {
      const dropped = x.newEmpty([R, DH]);
      draws[k + 1] = { seed: c.generator.seed, start: c.generator.take(R * DH) };
      dropout(backend, out, dropped, drop, draws[k + 1]);
      inputs.push(dropped);
    } else {
      inputs.push(out);
    }
  }
  const saved = [...workspaces, ...outputs, ...inputs.slice(1).filter((t) => !outputs.includes(t))];
  const nodeInputs = [x, ...(h0 ? [h0] : []), ...(c0 ? [c0] : []), ...params];
  const recorded = needsGrad(nodeInputs);
  if (!recorded) {
    for (const t of saved) t.dispose();
  } else {
    record(packed, op, nodeInputs, (g, targets) => {
      const gradFor = (t: Tensor, i: number) => (t.requiresGrad ? (targets[i] ?? t.newEmpty(t.shape, 'float32', true)) : null);
      const firstParam = nodeInputs.length - params.length;
      const grads = nodeInputs.map((t, i) => (i < firstParam ? null : gradFor(t, i)));
      // h0 and c0 are overwritten slice by slice, so they start uninitialized.
      const dh0 = h0?.requiresGrad ? x.newEmpty(h0.shape) : null;
      const dc0 = c0?.requiresGrad ? x.newEmpty(c0.shape) : null;
      const gradOf = (w: Tensor | null) => (w ? grads[nodeInputs.indexOf(w)] : null);
      let dOut = g; // the gradient of layer k's output
      let dx: Tensor | null = null;
      for (let k = L - 1; k >= 0; k--) {
        const input = inputs[k];
        const dIn = k > 0 ? x.newEmpty([R, DH]) : x.requiresGrad ? x.newEmpty(x.shape) : null;
        for (let d = 0; d < D; d++) {
          const [wIh, wHh, bIh, bHh] = weights[k * D + d];
          const at = (k * D + d) * BH;
          const ws = workspaces[k * D + d];
          backend.recurrentBackward(c.cell, input.buffer, input.offset, wIh.buffer, wIh.offset, wHh.buffer, wHh.offset,
            c0?.buffer ?? null, (c0?.offset ?? 0) + at, ws.buffer, ws.offset, dOut.buffer, dOut.offset + d * H,
            g.buffer, g.offset + nY + at, lstm ? g.buffer : null, g.offset + nY + nH + at, ...optional(dIn),
            ...optional(gradOf(wIh)), ...optional(gradOf(wHh)), ...optional(gradOf(bIh)), ...optional(gradOf(bHh)),
            dh0?.buffer ?? null, (dh0?.offset ?? 0) + at, dc0?.buffer ?? null, (dc0?.offset ?? 0) + at, shapeOf(k, d), d === 1);
        }
        if (dOut !== g) dOut.dispose();
        if (k === 0) dx = dIn;
        else {
          if (draws[k]) dropout(backend, dIn!, dIn!, drop, draws[k]);
          dOut = dIn!;
        }
      }
      for (const t of saved) t.dispose();
      const result: (Tensor | null)[] = [dx];
      if (h0) result.push(dh0);
      if (c0) result.push(dc0);
      return [...result, ...grads.slice(firstParam)];
    });
  }
  const yShape = c.unbatched ? [T, DH] : c.batchFirst ? [B, T, DH] : [T, B, DH];
  const stateShape = c.unbatched ? [L * D, H] : [L * D, B, H];
  const result: RecurrentResult = {
    output: slice(packed, 0, yShape),
    hN: slice(packed, nY, stateShape),
    cN: lstm ? slice(packed, nY + nH, stateShape) : null,
  };
  // The views hold the storage; the packed tensor itself is freed with its node (or now).
  if (recorded) markIntermediate(packed);
  else packed.dispose();
  return result;
}

/**
 * The elements [from, from + size(shape)) of `packed` as a tensor of `shape` (a view, no copy);
 * its gradient is zeros with the upstream gradient in that slice. One view per result, so a
 * caller disposing the results releases every hold on the packed storage.
 */
function slice(packed: Tensor, from: number, shape: number[]): Tensor {
  const view = new Tensor(packed.storage.retain(), packed.offset + from, shape, packed.dtype);
  return record(view, 'slice', [packed], (g) => {
    const full = packed.newEmpty(packed.shape, 'float32', true);
    full.buffer.copyFrom(g.buffer, g.offset, from, g.size);
    return [full];
  });
}

/** dst = dropout(src) with the given draws; p = 1 drops everything (no 1 / (1 - p) to take). */
function dropout(backend: Backend, src: Tensor, dst: Tensor, p: number, draw: { seed: number; start: number }): void {
  if (p === 1) fillKernel(dst, 0);
  else backend.dropout(src.buffer, src.offset, dst.buffer, dst.offset, src.size, p, draw.seed, draw.start);
}
