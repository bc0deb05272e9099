/**
 * What LSTM and GRU share, as torch.nn.RNNBase (PyTorch 1.13): the options and their defaults
 * (numLayers 1, bias true, batchFirst false, dropout 0, bidirectional false), the parameters
 *   weight_ih_l{k}[_reverse] [gates*H, I_k], weight_hh_l{k}[_reverse] [gates*H, H],
 *   bias_ih_l{k}[_reverse], bias_hh_l{k}[_reverse] [gates*H]
 * (I_0 = inputSize, I_k = D*H above, gates 4 for the LSTM, 3 for the GRU), registered in that
 * order and initialized U(-1/sqrt(H), 1/sqrt(H)) as reset_parameters does; the input checks,
 * unbatched inputs ([T, I] with hx [numLayers*D, H]) and the call of ops/recurrent.ts.
 */
import { recurrent, type CellName, type LayerWeights, type RecurrentResult } from '../ops/recurrent.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import { formatShape, Tensor } from '../tensor.js';
import { checkBoolean, checkInt32, checkNumber, checkOptionalTensor, checkTensor, MAX_ELEMENTS, option, optionKeys, readOptions } from '../validate/index.js';
import { defaultBackend } from '../backend/registry.js';
import { uniform } from './init.js';
import { Module } from './module.js';

/** Options of nn.LSTM and nn.GRU, with PyTorch's defaults: numLayers 1, bias true, batchFirst false, dropout 0, bidirectional false. */
export interface RecurrentOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Learn bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Input and output as [B, T, features] instead of [T, B, features] (default false). */
  batchFirst?: boolean;
  /** Dropout on the outputs of each layer but the last, in training mode (default 0). */
  dropout?: number;
  /** A second, reversed direction per layer, outputs concatenated (default false). */
  bidirectional?: boolean;
  /** Generator for the initial weights and the dropout draws (default: the global one). */
  generator?: Generator;
}

const KEYS = optionKeys<RecurrentOptions>({ numLayers: true, bias: true, batchFirst: true, dropout: true, bidirectional: true, generator: true });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export abstract class RecurrentBase<In extends any[], Out> extends Module<In, Out> {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  private readonly generator: Generator;
  private readonly layerWeights: LayerWeights[] = [];

  constructor(private readonly op: 'LSTM' | 'GRU', private readonly cell: CellName, readonly inputSize: number,
    readonly hiddenSize: number, options: RecurrentOptions) {
    super();
    checkInt32(op, 'inputSize', inputSize, 1);
    checkInt32(op, 'hiddenSize', hiddenSize, 1);
    const o = readOptions<RecurrentOptions>(op, options, KEYS);
    this.numLayers = o.numLayers === undefined ? 1 : checkInt32(op, option('numLayers'), o.numLayers, 1);
    this.bias = o.bias === undefined ? true : checkBoolean(op, option('bias'), o.bias);
    this.batchFirst = o.batchFirst === undefined ? false : checkBoolean(op, option('batchFirst'), o.batchFirst);
    this.dropout = o.dropout === undefined ? 0 : checkNumber(op, option('dropout'), o.dropout, { min: 0, max: 1 });
    this.bidirectional = o.bidirectional === undefined ? false : checkBoolean(op, option('bidirectional'), o.bidirectional);
    this.generator = o.generator === undefined ? defaultGenerator : checkGenerator(op, option('generator'), o.generator);
    const D = this.bidirectional ? 2 : 1, GH = (cell === 'lstm' ? 4 : 3) * hiddenSize;
    const widest = Math.max(inputSize, D * hiddenSize);
    if (GH * widest > MAX_ELEMENTS) throw new RangeError(`${op}: a weight of ${formatShape([GH, widest])} has more than 2^32 elements`);
    const bound = 1 / Math.sqrt(hiddenSize);
    const make = (shape: number[]) => uniform(Tensor.empty(shape, 'float32', false, defaultBackend()), -bound, bound, { generator: this.generator });
    for (let k = 0; k < this.numLayers; k++) {
      for (let d = 0; d < D; d++) {
        const suffix = `_l${k}${d === 1 ? '_reverse' : ''}`;
        const w: LayerWeights = [make([GH, k === 0 ? inputSize : D * hiddenSize]), make([GH, hiddenSize]),
          this.bias ? make([GH]) : null, this.bias ? make([GH]) : null];
        ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].forEach((name, i) => {
          if (w[i]) this.registerParameter(name + suffix, w[i]);
        });
        this.layerWeights.push(w);
      }
    }
  }

  /** Runs the layers over x with the initial states (null: zeros), checked against PyTorch's rules. */
  protected run(x: unknown, h0: unknown, c0: unknown): RecurrentResult {
    const op = `${this.op}.forward`;
    const input = checkTensor(op, 'input', x, 'float32');
    const D = this.bidirectional ? 2 : 1, H = this.hiddenSize;
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 1] !== this.inputSize) {
      const layout = this.batchFirst ? 'B, T' : 'T, B';
      throw new RangeError(`${this.op}: input must be [${layout}, ${this.inputSize}] (or unbatched [T, ${this.inputSize}]), got ${formatShape(input.shape)}`);
    }
    const unbatched = input.ndim === 2;
    const B = unbatched ? 1 : input.shape[this.batchFirst ? 0 : 1];
    if (input.size === 0) throw new RangeError(`${this.op}: input ${formatShape(input.shape)} is empty`);
    const state = (name: string, value: unknown) => {
      const t = checkOptionalTensor(op, name, value, 'float32');
      if (!t) return null;
      const expected = unbatched ? [this.numLayers * D, H] : [this.numLayers * D, B, H];
      if (t.ndim !== expected.length || t.shape.some((v, i) => v !== expected[i])) {
        throw new RangeError(`${this.op}: expected ${name} of ${formatShape(expected)}, got ${formatShape(t.shape)}`);
      }
      return unbatched ? t.reshape(this.numLayers * D, 1, H) : t;
    };
    const [h, c] = [state(this.cell === 'lstm' ? 'h0' : 'hx', h0), state('c0', c0)];
    const seq = unbatched ? input.reshape(input.shape[0], 1, this.inputSize) : input;
    return recurrent(seq, h, c, this.layerWeights, {
      cell: this.cell, hiddenSize: H, numLayers: this.numLayers, bidirectional: this.bidirectional,
      batchFirst: this.batchFirst && !unbatched, dropout: this.dropout, training: this.training, generator: this.generator, unbatched,
    });
  }

  protected override describe(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.numLayers !== 1 ? `, numLayers=${this.numLayers}` : ''}` +
      `${this.bias ? '' : ', bias=false'}${this.batchFirst ? ', batchFirst=true' : ''}` +
      `${this.dropout ? `, dropout=${this.dropout}` : ''}${this.bidirectional ? ', bidirectional=true' : ''}`;
  }
}
