/**
 * SMOTE (Chawla et al., 2002), as imbalanced-learn's SMOTE: for each class to grow, find every
 * member's k nearest neighbours within the class (native brute-force kNN, threaded), then make
 * each synthetic sample by picking a member x and one of its neighbours x_nn uniformly and
 * stepping t ~ U[0, 1) along the segment:  x_new = x + t * (x_nn - x).
 * Output: the original samples first, then the synthetic ones class by class (sorted classes),
 * as imbalanced-learn's fit_resample.
 */
import { checkInt32, checkInteger, checkTensor, option, optionKeys, readOptions } from '../validate/index.js';
import { checkSamplingStrategy } from './sampling_strategy_check.js';
import { gatherRows } from '../ops/layout.js';
import { tensor } from '../ops/creation.js';
import { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { columnStats } from './column_stats.js';
import { indexTensor, indicesByClass } from './labels.js';
import { backendOf } from '../ops/device.js';
import { type Resampled, resampleInputs } from './resampled.js';
import { resolveSamplingStrategy, type SamplingStrategy } from './sampling_strategy.js';

/** SMOTE options (imbalanced-learn's names). */
export interface SmoteOptions {
  /** Neighbours to interpolate towards (default 5). */
  kNeighbors?: number;
  /** Which classes to grow and by how much (default 'auto' = every class but the majority). */
  samplingStrategy?: SamplingStrategy;
  /** Seed (default 0). */
  seed?: number;
}

const SMOTE_KEYS = optionKeys<SmoteOptions>({ kNeighbors: true, samplingStrategy: true, seed: true });

/** Synthetic Minority Over-sampling TEchnique. */
export class SMOTE {
  readonly kNeighbors: number;
  readonly samplingStrategy: SamplingStrategy;
  readonly seed: number;
  /** Samples added per class by the last fitResample. */
  samplingStrategy_: Map<number, number> | null = null;

  constructor(options: SmoteOptions = {}) {
    const o = readOptions<SmoteOptions>('SMOTE', options, SMOTE_KEYS);
    this.kNeighbors = o.kNeighbors === undefined ? 5 : checkInt32('SMOTE', option('kNeighbors'), o.kNeighbors, 1);
    this.samplingStrategy = checkSamplingStrategy('SMOTE', o.samplingStrategy ?? 'auto');
    this.seed = o.seed === undefined ? 0 : checkInteger('SMOTE', option('seed'), o.seed, { min: 0 });
  }

  /** Returns the resampled data: x with synthetic rows appended, y with their labels. */
  fitResample(x: Tensor, y: Tensor | Int32Array | ArrayLike<number>): Resampled {
    const { x2, labels } = resampleInputs('SMOTE', x, y);
    columnStats(x2, true, 'SMOTE');
    const plan = resolveSamplingStrategy('SMOTE', this.samplingStrategy, labels, 'over');
    const members = indicesByClass(labels);
    for (const [c, add] of plan) {
      const have = members.get(c)!.length;
      if (add > 0 && this.kNeighbors >= have) {
        throw new RangeError(`SMOTE: kNeighbors (${this.kNeighbors}) must be smaller than the number of samples of class ${c} (${have})`);
      }
    }
    this.samplingStrategy_ = plan;
    const [n, d] = x2.shape;
    const added = [...plan.values()].reduce((a, b) => a + b, 0);
    const out = x2.newEmpty([n + added, ...x.shape.slice(1)]);
    out.buffer.copyFrom(x2.buffer, x2.offset, out.offset, n * d);
    const yOut = new Int32Array(n + added);
    yOut.set(labels);
    const g = new Generator(this.seed);
    let row = n;
    const k = this.kNeighbors;
    for (const [c, count] of plan) {
      if (count === 0) continue;
      const index = indexTensor(members.get(c)!);
      const xc = gatherRows(x2, index);
      const m = index.size;
      const nn = xc.newEmpty([m, k], 'int32');
      xc.backend.knn(xc.buffer, xc.offset, m, d, xc.buffer, xc.offset, m, k, true, nn.buffer, nn.offset, null, 0);
      xc.backend.smoteInterpolate(xc.buffer, xc.offset, m, d, nn.buffer, nn.offset, k, count, g.seed, g.take(2 * count),
        out.buffer, out.offset + row * d);
      yOut.fill(c, row, row + count);
      row += count;
      for (const t of [index, xc, nn]) t.dispose();
    }
    return { x: out, y: tensor(yOut, [n + added]) };
  }
}

/** k nearest neighbours (Euclidean) of each query row among `data` rows, nearest first. */
export function kNeighbors(data: Tensor, k: number, query?: Tensor): { indices: Tensor; distances: Tensor } {
  checkTensor('kNeighbors', 'data', data, 'float32');
  if (data.ndim !== 2) throw new TypeError(`kNeighbors: data must be a float32 [n, d] tensor`);
  const [n, d] = data.shape;
  const q = query === undefined ? data : checkTensor('kNeighbors', 'query', query, 'float32');
  if (q.ndim !== 2 || q.shape[1] !== d) throw new TypeError(`kNeighbors: query must be a float32 [m, ${d}] tensor`);
  // A point is not its own neighbour when querying the data itself, so k < n there.
  checkInt32('kNeighbors', 'k', k, 1);
  if (k > (query === undefined ? n - 1 : n)) throw new RangeError(`kNeighbors: k is ${k}, but there are only ${query === undefined ? n - 1 : n} candidate neighbours`);
  const m = q.shape[0];
  const backend = backendOf('kNeighbors', data, q);
  const indices = data.newEmpty([m, k], 'int32');
  const distances = data.newEmpty([m, k]);
  backend.knn(data.buffer, data.offset, n, d, q.buffer, q.offset, m, k, !query, indices.buffer, indices.offset,
    distances.buffer, distances.offset);
  return { indices, distances };
}
