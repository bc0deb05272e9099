/**
 * Benchmark objectives for the tune tests (Surjanovic and Bingham's Virtual Library of
 * Simulation Experiments, https://www.sfu.ca/~ssurjano/), each with its box and global minimum.
 */
export interface TestFunction {
  name: string;
  bounds: Array<[number, number]>;
  minimum: number;
  f(x: number[]): number;
}

/** Branin-Hoo on [−5, 10] × [0, 15]; minimum 0.397887 at (−π, 12.275), (π, 2.275), (9.42478, 2.475). */
export const branin: TestFunction = {
  name: 'branin',
  bounds: [[-5, 10], [0, 15]],
  minimum: 0.39788735772973816,
  f([x1, x2]) {
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

/** Hartmann-6 on [0, 1]^6: −Σ α_i exp(−Σ_j A_ij (x_j − P_ij)²); minimum −3.32237. */
export const hartmann6: TestFunction = {
  name: 'hartmann6',
  bounds: Array.from({ length: 6 }, () => [0, 1] as [number, number]),
  minimum: -3.322368011415515,
  f(x) {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i][j] * (x[j] - H_P[i][j]) ** 2;
      sum += H_ALPHA[i] * Math.exp(-inner);
    }
    return -sum;
  },
};

/** Rosenbrock in 10-D on [−5, 10]^10: Σ 100(x_{i+1} − x_i²)² + (x_i − 1)²; minimum 0 at (1, …, 1). */
export const rosenbrock10: TestFunction = {
  name: 'rosenbrock10',
  bounds: Array.from({ length: 10 }, () => [-5, 10] as [number, number]),
  minimum: 0,
  f(x) {
    let s = 0;
    for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2;
    return s;
  },
};

/** Levy in 10-D on [−10, 10]^10 with w_i = 1 + (x_i − 1)/4; minimum 0 at (1, …, 1). */
export const levy10: TestFunction = {
  name: 'levy10',
  bounds: Array.from({ length: 10 }, () => [-10, 10] as [number, number]),
  minimum: 0,
  f(x) {
    const w = x.map((v) => 1 + (v - 1) / 4);
    const d = w.length;
    let s = Math.sin(Math.PI * w[0]) ** 2;
    for (let i = 0; i < d - 1; i++) s += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i] + 1) ** 2);
    return s + (w[d - 1] - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[d - 1]) ** 2);
  },
};
