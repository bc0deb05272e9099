/** Flatten: a view merging dimensions startDim..endDim, as torch.nn.Flatten. */
import { formatShape, type Tensor } from '../tensor.js';
import { checkInteger, checkTensor } from '../validate/index.js';
import { Module } from './module.js';

/** Merges dimensions startDim..endDim (default 1..-1: everything but the batch) into one. */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
    checkInteger('Flatten', 'startDim', startDim);
    checkInteger('Flatten', 'endDim', endDim);
  }

  forward(x: Tensor): Tensor {
    checkTensor('Flatten.forward', 'x', x);
    const nd = x.ndim;
    const s = this.startDim < 0 ? this.startDim + nd : this.startDim;
    const e = this.endDim < 0 ? this.endDim + nd : this.endDim;
    if (nd === 0) return x.reshape([1]);
    if (s < 0 || e >= nd || s > e) {
      throw new RangeError(`Flatten: dims ${this.startDim}..${this.endDim} are out of range for ${formatShape(x.shape)}`);
    }
    const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
    return x.reshape([...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
  }
}

/** Factory for Flatten. */
export const flatten = (startDim?: number, endDim?: number) => new Flatten(startDim, endDim);
