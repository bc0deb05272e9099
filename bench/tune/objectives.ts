/**
 * The benchmark functions of bench:tune, each with its box and known minimum (Surjanovic &
 * Bingham, "Virtual Library of Simulation Experiments", sfu.ca/~ssurjano). The Optuna side
 * (optuna_ref.py) defines the same three from the same formulas.
 */
export interface BenchFunction {
  name: string;
  bounds: [number, number][];
  minimum: number;
  f(x: number[]): number;
}

const branin: BenchFunction = {
  name: 'branin', bounds: [[-5, 10], [0, 15]], minimum: 0.397887357729738,
  f: ([x1, x2]) => {
    const b = 5.1 / (4 * Math.PI ** 2), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]].map((r) => r.map((v) => v * 1e-4));
const ALPHA = [1, 1.2, 3, 3.2];
const hartmann6: BenchFunction = {
  name: 'hartmann6', bounds: Array.from({ length: 6 }, () => [0, 1] as [number, number]), minimum: -3.32236801141551,
  f: (x) => -ALPHA.reduce((s, a, i) => s + a * Math.exp(-A[i].reduce((q, aij, j) => q + aij * (x[j] - P[i][j]) ** 2, 0)), 0),
};

const levy10: BenchFunction = {
  name: 'levy10', bounds: Array.from({ length: 10 }, () => [-10, 10] as [number, number]), minimum: 0,
  f: (x) => {
    const w = x.map((v) => 1 + (v - 1) / 4);
    const d = w.length;
    let s = Math.sin(Math.PI * w[0]) ** 2;
    for (let i = 0; i < d - 1; i++) s += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i] + 1) ** 2);
    return s + (w[d - 1] - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[d - 1]) ** 2);
  },
};

export const BENCH_FUNCTIONS = [branin, hartmann6, levy10];
