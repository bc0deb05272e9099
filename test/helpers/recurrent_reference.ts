/**
 * Float64 references of the LSTM and GRU (PyTorch 1.13's formulas and gate order, see
 * native/common/recurrent_cells.h), written from the definitions with plain loops:
 *   one layer-direction over a sequence (the reference backend's recurrentForward, which also
 *   fills the workspace layout the backward reads), its backward through time, and whole
 *   multi-layer bidirectional models (the gradient checks' float64 function).
 */
export type Cell = 'lstm' | 'gru';
type Vec = Float64Array;

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export interface LayerShape {
  cell: Cell;
  T: number; B: number; I: number; H: number;
  batchFirst: boolean;
  reverse: boolean;
}

export const gatesOf = (cell: Cell) => (cell === 'lstm' ? 4 : 3);
export const rowOf = (s: LayerShape, t: number, b: number) => (s.batchFirst ? b * s.T + t : t * s.B + b);
const timeAt = (s: LayerShape, step: number) => (s.reverse ? s.T - 1 - step : step);

export interface LayerParams {
  wIh: Vec; wHh: Vec; bIh: Vec | null; bHh: Vec | null;
}

/**
 * One layer-direction: y [rows, H] (rows in the input's order), hN, cN [B, H], and the saved
 * values: gates [rows, gates*H] (activated), aux [rows, H] (c, or hn = W_hn h_prev + b_hn), hPrev [rows, H].
 */
export function layerForward(s: LayerShape, x: Vec, p: LayerParams, h0: Vec | null, c0: Vec | null) {
  const { T, B, I, H } = s;
  const G = gatesOf(s.cell);
  const R = T * B;
  const y = new Float64Array(R * H), gates = new Float64Array(R * G * H), aux = new Float64Array(R * H), hPrev = new Float64Array(R * H);
  const h = Float64Array.from(h0 ?? new Float64Array(B * H));
  const c = Float64Array.from(c0 ?? new Float64Array(B * H));
  const dot = (w: Vec, row: number, v: Vec, off: number, n: number) => {
    let acc = 0;
    for (let k = 0; k < n; k++) acc += w[row * n + k] * v[off + k];
    return acc;
  };
  for (let step = 0; step < T; step++) {
    const t = timeAt(s, step);
    const hNew = new Float64Array(B * H);
    for (let b = 0; b < B; b++) {
      const r = rowOf(s, t, b);
      hPrev.set(h.subarray(b * H, (b + 1) * H), r * H);
      const ax = (k: number) => dot(p.wIh, k, x, r * I, I) + (p.bIh ? p.bIh[k] : 0);
      const ah = (k: number) => dot(p.wHh, k, h, b * H, H) + (p.bHh ? p.bHh[k] : 0);
      for (let j = 0; j < H; j++) {
        const gi = r * G * H;
        if (s.cell === 'lstm') {
          const a = [0, 1, 2, 3].map((q) => ax(q * H + j) + ah(q * H + j));
          const [i, f, g, o] = [sigmoid(a[0]), sigmoid(a[1]), Math.tanh(a[2]), sigmoid(a[3])];
          const cNew = f * c[b * H + j] + i * g;
          [gates[gi + j], gates[gi + H + j], gates[gi + 2 * H + j], gates[gi + 3 * H + j]] = [i, f, g, o];
          aux[r * H + j] = cNew;
          hNew[b * H + j] = o * Math.tanh(cNew);
        } else {
          const rg = sigmoid(ax(j) + ah(j)), z = sigmoid(ax(H + j) + ah(H + j));
          const hn = ah(2 * H + j);
          const n = Math.tanh(ax(2 * H + j) + rg * hn);
          [gates[gi + j], gates[gi + H + j], gates[gi + 2 * H + j]] = [rg, z, n];
          aux[r * H + j] = hn;
          hNew[b * H + j] = (1 - z) * n + z * h[b * H + j];
        }
        y[r * H + j] = hNew[b * H + j];
      }
    }
    h.set(hNew);
    if (s.cell === 'lstm') for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) c[b * H + j] = aux[rowOf(s, t, b) * H + j];
  }
  return { y, hN: h, cN: c, gates, aux, hPrev };
}

export interface Saved {
  gates: ArrayLike<number>; aux: ArrayLike<number>; hPrev: ArrayLike<number>;
}

/**
 * Backward through time from the saved values: dy [rows, H], dhN, dcN [B, H]. Returns dx
 * [rows, I], the four parameter gradients and dh0, dc0.
 */
export function layerBackward(s: LayerShape, x: ArrayLike<number>, wIh: ArrayLike<number>, wHh: ArrayLike<number>,
  c0: ArrayLike<number> | null, saved: Saved, dy: (r: number, j: number) => number, dhN: ArrayLike<number>, dcN: ArrayLike<number> | null) {
  const { T, B, I, H } = s;
  const G = gatesOf(s.cell), GH = G * H, R = T * B;
  const dAh = new Float64Array(R * GH), dAx = new Float64Array(R * GH);
  const dh = Float64Array.from(dhN), dc = Float64Array.from(dcN ?? new Float64Array(B * H));
  const { gates: a, aux, hPrev } = saved;
  for (let step = T - 1; step >= 0; step--) {
    const t = timeAt(s, step);
    const direct = new Float64Array(B * H);
    for (let b = 0; b < B; b++) {
      const r = rowOf(s, t, b);
      const rp = step > 0 ? rowOf(s, timeAt(s, step - 1), b) : -1;
      for (let j = 0; j < H; j++) {
        const g0 = r * GH;
        const dhj = dy(r, j) + dh[b * H + j];
        if (s.cell === 'lstm') {
          const [i, f, g, o] = [a[g0 + j], a[g0 + H + j], a[g0 + 2 * H + j], a[g0 + 3 * H + j]];
          const tc = Math.tanh(aux[r * H + j]);
          const cPrev = rp >= 0 ? aux[rp * H + j] : c0 ? c0[b * H + j] : 0;
          const dcj = dc[b * H + j] + dhj * o * (1 - tc * tc);
          const d = [dcj * g * i * (1 - i), dcj * cPrev * f * (1 - f), dcj * i * (1 - g * g), dhj * tc * o * (1 - o)];
          d.forEach((v, q) => (dAh[g0 + q * H + j] = dAx[g0 + q * H + j] = v));
          dc[b * H + j] = dcj * f;
        } else {
          const [rg, z, n] = [a[g0 + j], a[g0 + H + j], a[g0 + 2 * H + j]];
          const danx = dhj * (1 - z) * (1 - n * n);
          const dar = danx * aux[r * H + j] * rg * (1 - rg);
          const daz = dhj * (hPrev[r * H + j] - n) * z * (1 - z);
          dAh[g0 + j] = dAx[g0 + j] = dar;
          dAh[g0 + H + j] = dAx[g0 + H + j] = daz;
          dAh[g0 + 2 * H + j] = danx * rg;
          dAx[g0 + 2 * H + j] = danx;
          direct[b * H + j] = dhj * z;
        }
      }
    }
    for (let b = 0; b < B; b++) {
      const r = rowOf(s, t, b);
      for (let j = 0; j < H; j++) {
        let acc = direct[b * H + j];
        for (let k = 0; k < GH; k++) acc += dAh[r * GH + k] * wHh[k * H + j];
        dh[b * H + j] = acc;
      }
    }
  }
  const dWih = new Float64Array(GH * I), dWhh = new Float64Array(GH * H), dbIh = new Float64Array(GH), dbHh = new Float64Array(GH);
  const dx = new Float64Array(R * I);
  for (let r = 0; r < R; r++) {
    for (let k = 0; k < GH; k++) {
      const [gx, gh] = [dAx[r * GH + k], dAh[r * GH + k]];
      dbIh[k] += gx;
      dbHh[k] += gh;
      for (let q = 0; q < I; q++) {
        dWih[k * I + q] += gx * x[r * I + q];
        dx[r * I + q] += gx * wIh[k * I + q];
      }
      for (let q = 0; q < H; q++) dWhh[k * H + q] += gh * hPrev[r * H + q];
    }
  }
  return { dx, dWih, dWhh, dbIh, dbHh, dh0: dh, dc0: dc };
}

export interface ModelConfig {
  cell: Cell; inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean; batchFirst: boolean; bias: boolean;
}

/**
 * A whole model without dropout: x [T, B, I] (or [B, T, I]), params per layer and direction
 * [wIh, wHh, (bIh, bHh)] in PyTorch's order, h0 / c0 [L*D, B, H] or null.
 * Returns output (rows in the input's order, D*H wide), hN and cN [L*D, B, H].
 */
export function modelForward(m: ModelConfig, T: number, B: number, x: Vec, params: Vec[], h0: Vec | null, c0: Vec | null) {
  const D = m.bidirectional ? 2 : 1, H = m.hiddenSize, R = T * B, per = m.bias ? 4 : 2;
  let input = x;
  const hN = new Float64Array(m.numLayers * D * B * H), cN = new Float64Array(hN.length);
  for (let k = 0; k < m.numLayers; k++) {
    const out = new Float64Array(R * D * H);
    for (let d = 0; d < D; d++) {
      const [wIh, wHh, bIh, bHh] = params.slice((k * D + d) * per, (k * D + d + 1) * per);
      const s: LayerShape = { cell: m.cell, T, B, I: k === 0 ? m.inputSize : D * H, H, batchFirst: m.batchFirst, reverse: d === 1 };
      const at = (k * D + d) * B * H;
      const slice = (v: Vec | null) => (v ? v.subarray(at, at + B * H) : null);
      const r = layerForward(s, input, { wIh, wHh, bIh: bIh ?? null, bHh: bHh ?? null }, slice(h0), slice(c0));
      for (let row = 0; row < R; row++) for (let j = 0; j < H; j++) out[row * D * H + d * H + j] = r.y[row * H + j];
      hN.set(r.hN, at);
      cN.set(r.cN, at);
    }
    input = out;
  }
  return { output: input, hN, cN };
}
