/**
 * Float64 references for the convolution and pooling kernels, written from the definitions
 * (PyTorch's Conv2d / MaxPool2d / AvgPool2d / AdaptiveAvgPool2d docs), one loop per formula:
 *   y[n, o, i, j] = b[o] + sum_{c in group(o), p, q} w[o, c, p, q] x[n, c, i*sh - ph + p*dh, j*sw - pw + q*dw]
 * and the gradients as the adjoints of that sum.
 */
export interface Conv {
  N: number; C: number; H: number; W: number; OC: number; KH: number; KW: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number; groups: number;
}
export const outSize = (n: number, k: number, s: number, p: number, d: number) => Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
export const geometry = (c: Conv) => [c.N, c.C, c.H, c.W, c.OC, c.KH, c.KW, c.sh, c.sw, c.ph, c.pw, c.dh, c.dw, c.groups];

/** Visits every (n, o, i, j, c, p, q) term of the convolution sum with the flat indices it touches. */
function forEachTerm(c: Conv, f: (yi: number, wi: number, xi: number, o: number) => void) {
  const OH = outSize(c.H, c.KH, c.sh, c.ph, c.dh), OW = outSize(c.W, c.KW, c.sw, c.pw, c.dw);
  const Cg = c.C / c.groups, OCg = c.OC / c.groups;
  for (let n = 0; n < c.N; n++) for (let o = 0; o < c.OC; o++) {
    const grp = Math.floor(o / OCg);
    for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
      const yi = ((n * c.OC + o) * OH + i) * OW + j;
      for (let cc = 0; cc < Cg; cc++) for (let p = 0; p < c.KH; p++) for (let q = 0; q < c.KW; q++) {
        const ih = i * c.sh - c.ph + p * c.dh, iw = j * c.sw - c.pw + q * c.dw;
        if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
        const ch = grp * Cg + cc;
        f(yi, ((o * Cg + cc) * c.KH + p) * c.KW + q, ((n * c.C + ch) * c.H + ih) * c.W + iw, o);
      }
    }
  }
}

export function convForwardRef(c: Conv, x: Float64Array, w: Float64Array, b: Float64Array | null): Float64Array {
  const OH = outSize(c.H, c.KH, c.sh, c.ph, c.dh), OW = outSize(c.W, c.KW, c.sw, c.pw, c.dw);
  const y = new Float64Array(c.N * c.OC * OH * OW);
  if (b) for (let k = 0; k < y.length; k++) y[k] = b[Math.floor(k / (OH * OW)) % c.OC];
  forEachTerm(c, (yi, wi, xi) => { y[yi] += w[wi] * x[xi]; });
  return y;
}

export function convBackwardRef(c: Conv, x: Float64Array, w: Float64Array, dy: Float64Array) {
  const dx = new Float64Array(x.length), dW = new Float64Array(w.length), db = new Float64Array(c.OC);
  forEachTerm(c, (yi, wi, xi) => { dx[xi] += w[wi] * dy[yi]; dW[wi] += x[xi] * dy[yi]; });
  const P = dy.length / (c.N * c.OC);
  for (let k = 0; k < dy.length; k++) db[Math.floor(k / P) % c.OC] += dy[k];
  return { dx, dW, db };
}

export interface Pool {
  N: number; C: number; H: number; W: number; KH: number; KW: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
}
export const poolGeometry = (p: Pool) => [p.N, p.C, p.H, p.W, p.KH, p.KW, p.sh, p.sw, p.ph, p.pw, p.dh, p.dw];

/** Max pooling: values and PyTorch's indices (h * W + w within the plane). */
export function maxPoolRef(p: Pool, x: Float64Array) {
  const OH = outSize(p.H, p.KH, p.sh, p.ph, p.dh), OW = outSize(p.W, p.KW, p.sw, p.pw, p.dw);
  const y = new Float64Array(p.N * p.C * OH * OW), idx = new Int32Array(y.length);
  for (let pl = 0; pl < p.N * p.C; pl++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    let best = -Infinity, where = -1;
    for (let a = 0; a < p.KH; a++) for (let b = 0; b < p.KW; b++) {
      const ih = i * p.sh - p.ph + a * p.dh, iw = j * p.sw - p.pw + b * p.dw;
      if (ih < 0 || ih >= p.H || iw < 0 || iw >= p.W) continue;
      const v = x[(pl * p.H + ih) * p.W + iw];
      if (where < 0 || v > best || Number.isNaN(v)) { best = v; where = ih * p.W + iw; }
    }
    y[(pl * OH + i) * OW + j] = best;
    idx[(pl * OH + i) * OW + j] = where;
  }
  return { y, idx };
}

/** Average pooling windows as PyTorch's avg_pool2d (ceil_mode false). */
export function avgPoolRef(p: Pool, x: Float64Array, countIncludePad: boolean, dy?: Float64Array) {
  const OH = outSize(p.H, p.KH, p.sh, p.ph, 1), OW = outSize(p.W, p.KW, p.sw, p.pw, 1);
  const y = new Float64Array(p.N * p.C * OH * OW), dx = new Float64Array(x.length);
  for (let pl = 0; pl < p.N * p.C; pl++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    let h0 = i * p.sh - p.ph, w0 = j * p.sw - p.pw;
    let h1 = Math.min(h0 + p.KH, p.H + p.ph), w1 = Math.min(w0 + p.KW, p.W + p.pw);
    const padded = (h1 - h0) * (w1 - w0);
    h0 = Math.max(h0, 0); w0 = Math.max(w0, 0); h1 = Math.min(h1, p.H); w1 = Math.min(w1, p.W);
    const divisor = countIncludePad ? padded : (h1 - h0) * (w1 - w0);
    const o = (pl * OH + i) * OW + j;
    for (let a = h0; a < h1; a++) for (let b = w0; b < w1; b++) {
      y[o] += x[(pl * p.H + a) * p.W + b] / divisor;
      if (dy) dx[(pl * p.H + a) * p.W + b] += dy[o] / divisor;
    }
  }
  return { y, dx };
}

export function adaptiveAvgPoolRef(N: number, C: number, H: number, W: number, OH: number, OW: number, x: Float64Array, dy?: Float64Array) {
  const y = new Float64Array(N * C * OH * OW), dx = new Float64Array(x.length);
  for (let pl = 0; pl < N * C; pl++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    const h0 = Math.floor((i * H) / OH), h1 = Math.ceil(((i + 1) * H) / OH);
    const w0 = Math.floor((j * W) / OW), w1 = Math.ceil(((j + 1) * W) / OW);
    const area = (h1 - h0) * (w1 - w0), o = (pl * OH + i) * OW + j;
    for (let a = h0; a < h1; a++) for (let b = w0; b < w1; b++) {
      y[o] += x[(pl * H + a) * W + b] / area;
      if (dy) dx[(pl * H + a) * W + b] += dy[o] / area;
    }
  }
  return { y, dx };
}
