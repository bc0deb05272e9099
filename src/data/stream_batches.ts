/**
 * Batching for streaming datasets: data that does not fit in memory arrives as an async
 * iterable of samples (e.g. `csvRows`), and is packed into batches of native tensors.
 */
import { Tensor } from '../tensor.js';
import { defaultBackend } from '../backend/registry.js';

/** One sample of a stream: its features and its integer label. */
export type Sample = readonly [features: ArrayLike<number>, label: number];

/**
 * Packs samples into [x (float32 [b, d]), y (int32 [b])] batches. Samples are copied into a
 * JavaScript staging array (the unavoidable per-sample step of a stream) and then written into
 * one of two alternating native buffers with one call per field.
 */
export async function* streamBatches(
  source: AsyncIterable<Sample>, batchSize: number, dropLast: boolean, transform: ((x: Tensor) => void) | null,
): AsyncGenerator<[Tensor, Tensor]> {
  let d = -1;
  let xs = new Float32Array(0);
  const ys = new Int32Array(batchSize);
  const slots: [Tensor, Tensor][] = [];
  let filled = 0;
  let batchIndex = 0;
  let sampleIndex = 0;
  const backend = defaultBackend();
  const emit = (count: number): [Tensor, Tensor] => {
    let batch: [Tensor, Tensor];
    if (count === batchSize) {
      const slot = batchIndex % 2;
      slots[slot] ??= [Tensor.empty([batchSize, d], 'float32', false, backend), Tensor.empty([batchSize], 'int32', false, backend)];
      batch = slots[slot];
    } else {
      batch = [Tensor.empty([count, d], 'float32', false, backend), Tensor.empty([count], 'int32', false, backend)];
    }
    batch[0].buffer.write(count === batchSize ? xs : xs.subarray(0, count * d), batch[0].offset);
    batch[1].buffer.write(count === batchSize ? ys : ys.subarray(0, count), batch[1].offset);
    if (transform) transform(batch[0]);
    batchIndex++;
    return batch;
  };
  for await (const [features, label] of source) {
    if (d < 0) {
      d = features.length;
      if (d === 0) throw new RangeError('DataLoader: stream sample 0 has no features');
      xs = new Float32Array(batchSize * d);
    }
    if (features.length !== d) {
      throw new RangeError(`DataLoader: stream sample ${sampleIndex} has ${features.length} features, expected ${d}`);
    }
    // The range too: the int32 batch would wrap 2^32 to 0 silently.
    if (!Number.isInteger(label) || label < -(2 ** 31) || label >= 2 ** 31) {
      throw new TypeError(`DataLoader: stream sample ${sampleIndex} has label ${label}, expected a 32-bit integer`);
    }
    xs.set(features, filled * d);
    ys[filled] = label;
    filled++;
    sampleIndex++;
    if (filled === batchSize) {
      yield emit(batchSize);
      filled = 0;
    }
  }
  if (sampleIndex === 0) throw new RangeError('DataLoader: dataset is empty');
  if (filled > 0 && !dropLast) yield emit(filled);
}
