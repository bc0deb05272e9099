/**
 * GroupNorm, as torch.nn.GroupNorm (Wu & He 2018): ops/group_norm.ts over x [N, C, *] with
 * numGroups groups, and, when affine, a per-channel weight and bias [C] (ones and zeros, the
 * state-dict names weight and bias).
 */
import { groupNorm as groupNormOp } from '../ops/group_norm.js';
import { full } from '../ops/creation.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkBoolean, checkInt32, checkNumber, checkTensor, option, optionKeys, readOptions } from '../validate/index.js';
import { Module } from './module.js';
/** Options of nn.GroupNorm: eps (default 1e-5) and affine (learnable per-channel weight and bias, default true). */
export interface GroupNormLayerOptions {
  eps?: number;
  /** Learn a per-channel weight and bias (default true). */
  affine?: boolean;
}

const KEYS = optionKeys<GroupNormLayerOptions>({ eps: true, affine: true });

export class GroupNorm extends Module {
  readonly eps: number;
  readonly affine: boolean;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;

  constructor(readonly numGroups: number, readonly numChannels: number, options: GroupNormLayerOptions = {}) {
    super();
    checkInt32('GroupNorm', 'numGroups', numGroups, 1);
    checkInt32('GroupNorm', 'numChannels', numChannels, 1);
    if (numChannels % numGroups !== 0) throw new RangeError(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    const o = readOptions<GroupNormLayerOptions>('GroupNorm', options, KEYS);
    this.eps = o.eps === undefined ? 1e-5 : checkNumber('GroupNorm', option('eps'), o.eps, { minOpen: 0 });
    this.affine = o.affine === undefined ? true : checkBoolean('GroupNorm', option('affine'), o.affine);
    this.weight = this.affine ? full([numChannels], 1) : null;
    this.bias = this.affine ? full([numChannels], 0) : null;
    this.registerParameter('weight', this.weight);
    this.registerParameter('bias', this.bias);
  }

  forward(x: Tensor): Tensor {
    checkTensor('GroupNorm.forward', 'x', x, 'float32');
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new RangeError(`GroupNorm: expected input [N, ${this.numChannels}, *], got ${formatShape(x.shape)}`);
    }
    return groupNormOp(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  protected override describe(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}

/** Factory for GroupNorm: `nn.groupNorm(4, 32)`. */
export const groupNorm = (numGroups: number, numChannels: number, options?: GroupNormLayerOptions) => new GroupNorm(numGroups, numChannels, options);
