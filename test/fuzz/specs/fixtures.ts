/**
 * Small valid values the specs build their calls from, made fresh for every case: tensors of
 * a few elements, a two-layer model, an optimizer over fresh parameters, a temporary directory.
 */
import { join } from 'node:path';
import { Generator, mul, nn, optim, sum, tensor } from '../../../src/index.js';

/** x [4, 3] float32. */
export const x43 = () => tensor([[1, -2, 3], [0.5, 0, -1], [2, 1, 0], [-3, 4, 1]]);
/** Another [4, 3]. */
export const t43 = () => tensor([[0, 1, 0], [1, 1, 0], [0.5, 0.5, 2], [1, -1, 0]]);
/** [4, 2] logits and [4, 2] binary targets. */
export const x42 = () => tensor([[1, -1], [0.5, 2], [-1, 0], [3, 1]]);
export const b42 = () => tensor([[1, 0], [0, 1], [1, 1], [0, 0]]);
/** int32 class labels [4] over 3 classes (every class present, class 0 twice). */
export const y4 = () => tensor(Int32Array.of(0, 1, 2, 0), [4]);
/** int32 labels [8] over 2 classes, 5 : 3, for the resamplers and stratified splits. */
export const y8 = () => tensor(Int32Array.of(0, 0, 0, 0, 0, 1, 1, 1), [8]);
/** x [8, 2], rows distinct. */
export const x82 = () => tensor([[0, 0], [1, 0], [0, 1], [1, 1], [2, 2], [5, 5], [6, 5], [5, 6]]);
/** A leaf [3] that requires grad. */
export const param = () => tensor([0.5, -1, 2], { requiresGrad: true });
/** A scalar loss over a fresh parameter: backward() works on it once. */
export const lossOf = () => sum(mul(param(), param()));
export const gen = () => new Generator(7);
/** 3 -> 4 -> 2 MLP. */
export const mlp = () => nn.sequential(nn.linear(3, 4, { generator: gen() }), nn.relu(), nn.linear(4, 2, { generator: gen() }));
/** An Adam over a fresh parameter. */
export const adam = () => new optim.Adam([param()], { lr: 0.1 });
/** An SGD with momentum over fresh parameters, after one step (so it has state). */
export function steppedSgd() {
  const o = new optim.SGD([param()], { lr: 0.1, momentum: 0.9 });
  o.step();
  return o;
}
/** A deep copy of a module's state dict (loading one's own views would alias). */
export const stateCopy = (m: nn.Module) =>
  Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, tensor(t.toArray(), t.shape, { dtype: t.dtype })]));

/** A file in the working directory, which the fuzz child makes a temporary one of its own. */
export const tmp = (name: string): string => join(process.cwd(), name);
