/**
 * Keras-style sugar over fit/evaluate/predict:
 *
 *   const net = train.compile(model, { optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
 *                                      loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
 *   const history = await net.fit(xTrain, yTrain, { epochs: 10, batchSize: 32, validationData: [xVal, yVal] });
 *   const { loss, accuracy } = await net.evaluate(xTest, yTest);
 *   const probabilities = await net.predict(xTest);
 *
 * A function rather than methods on nn.Module, so that the module stays a plain torch-style
 * module and the compiled state (optimizer, loss, metrics) lives in one visible object.
 * The optimizer may be named ('adam', 'sgd', 'rmsprop', 'adamw', 'adagrad'): it is then built
 * over model.parameters() with Keras's default learning rate (0.001; 0.01 for sgd).
 */
import type { Module } from '../nn/module.js';
import { Adagrad } from '../optim/adagrad.js';
import { Adam } from '../optim/adam.js';
import { AdamW } from '../optim/adamw.js';
import { RMSprop } from '../optim/rmsprop.js';
import { SGD } from '../optim/sgd.js';
import type { Tensor } from '../tensor.js';
import type { Logs } from './contracts.js';
import { evaluate } from './evaluate.js';
import { fit, type FitOptimizer, type FitOptions } from './fit.js';
import type { History } from './history.js';
import type { LossSpec } from './loss_spec.js';
import type { MetricSpec } from './metrics/index.js';
import { predict } from './predict.js';
import { checkFitOptimizer, checkLoss, checkMetrics, checkModel, FIT_KEYS } from './fit_options.js';
import { checkChoice, checkTensor, option, optionKeys, readOptions, readSafely, typeError } from '../validate/index.js';

const KEYS = optionKeys<CompileOptions>({ optimizer: true, loss: true, metrics: true });
const NAMES = ['adam', 'sgd', 'rmsprop', 'adamw', 'adagrad'] as const;
const BATCH_KEYS = optionKeys<{ batchSize?: number }>({ batchSize: true });
/** fit's keys less those compile sets (data, optimizer, loss, metrics). */
const MODEL_FIT_KEYS = FIT_KEYS.filter((k) => !['data', 'optimizer', 'loss', 'metrics'].includes(k)) as readonly (keyof ModelFitOptions & string)[];

/** An optimizer built by name over the model's parameters. */
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop' | 'adamw' | 'adagrad';

/** An optimizer compile can hold: what fit needs, and dispose() (every optim.* optimizer). */
export type CompiledOptimizer = FitOptimizer & { dispose(): void };

/** Options of compile(). */
export interface CompileOptions {
  /**
   * An optimizer, or a name to build one over the model's parameters. Compiling a model again
   * builds a new one, which takes the parameters over from the previous (optim/arena.ts).
   */
  optimizer: CompiledOptimizer | OptimizerName;
  loss: LossSpec;
  metrics?: MetricSpec[];
}

/** Options of CompiledModel.fit: fit's options less data, optimizer, loss and metrics. */
export type ModelFitOptions = Partial<Omit<FitOptions, 'data' | 'optimizer' | 'loss' | 'metrics' | 'validationData'>> & {
  /** Validation tensors [x, y] (Keras's validation_data), or any data form fit takes. */
  validationData?: FitOptions['validationData'];
};

function namedOptimizer(name: OptimizerName, model: Module): CompiledOptimizer {
  const params = model.namedParameters();
  switch (name) {
    case 'adam': return new Adam(params, { lr: 1e-3 });
    case 'adamw': return new AdamW(params, { lr: 1e-3 });
    case 'rmsprop': return new RMSprop(params, { lr: 1e-3 });
    case 'adagrad': return new Adagrad(params, { lr: 1e-3 });
    case 'sgd': return new SGD(params, { lr: 1e-2 });
    default: throw new RangeError(`compile: unknown optimizer '${String(name)}'; expected an optimizer object or adam, adamw, sgd, rmsprop, adagrad`);
  }
}

/** An optimizer object compile can hold: fit's checks, and a dispose() method. */
function compiledOptimizer(op: string, optimizer: unknown): CompiledOptimizer {
  const checked = checkFitOptimizer(op, optimizer);
  const dispose = readSafely(op, option('optimizer'), () => (checked as Partial<CompiledOptimizer>).dispose);
  if (typeof dispose !== 'function') typeError(op, option('optimizer'), 'an optim.* optimizer (paramGroups, step, zeroGrad, dispose)', optimizer);
  return checked as CompiledOptimizer;
}

/** A model with its optimizer, loss and metrics attached. */
export class CompiledModel<M extends Module = Module> {
  readonly optimizer: CompiledOptimizer;
  readonly loss: LossSpec;
  readonly metrics: MetricSpec[];

  constructor(readonly model: M, options: CompileOptions) {
    const op = 'CompiledModel';
    checkModel(op, model);
    const o = readOptions<CompileOptions>(op, options, KEYS);
    if (o.loss === undefined) throw new TypeError("CompiledModel: option 'loss' is required");
    checkLoss(op, o.loss);
    if (o.metrics !== undefined) checkMetrics(op, o.metrics);
    if (o.optimizer === undefined) throw new TypeError("CompiledModel: option 'optimizer' is required");
    this.optimizer = typeof o.optimizer === 'string'
      ? namedOptimizer(checkChoice(op, option('optimizer'), o.optimizer, NAMES), model)
      : compiledOptimizer(op, o.optimizer);
    this.loss = o.loss;
    this.metrics = o.metrics ?? [];
  }

  /**
   * Trains on tensors x [n, ...] and y [n]; Keras's defaults: 1 epoch, batch 32, shuffled,
   * verbose 1 (a progress bar).
   */
  fit(x: Tensor, y: Tensor, options: ModelFitOptions = {}): Promise<History> {
    const op = 'CompiledModel.fit';
    checkTensor(op, 'x', x);
    checkTensor(op, 'y', y);
    const o = readOptions<ModelFitOptions>(op, options, MODEL_FIT_KEYS);
    return fit(this.model, {
      verbose: 1, ...o, epochs: o.epochs ?? 1,
      data: [x, y], optimizer: this.optimizer, loss: this.loss, metrics: this.metrics,
    });
  }

  /** { loss, ...metrics } on x, y (batch 256 unless given). */
  evaluate(x: Tensor, y: Tensor, options: { batchSize?: number } = {}): Promise<Logs> {
    const op = 'CompiledModel.evaluate';
    checkTensor(op, 'x', x);
    checkTensor(op, 'y', y);
    const { batchSize } = readOptions<{ batchSize?: number }>(op, options, BATCH_KEYS);
    return evaluate(this.model, [x, y], { loss: this.loss, metrics: this.metrics, batchSize });
  }

  /** Releases the optimizer's hold on the parameters and its state (they keep their values). */
  dispose(): void {
    this.optimizer.dispose();
  }

  /** The model's outputs for x, batched. */
  predict(x: Tensor, options: { batchSize?: number } = {}): Promise<Tensor> {
    checkTensor('CompiledModel.predict', 'x', x);
    return predict(this.model, x, readOptions<{ batchSize?: number }>('CompiledModel.predict', options, BATCH_KEYS));
  }
}

/** Attaches an optimizer, a loss and metrics to `model` (Keras's model.compile). */
export function compile<M extends Module>(model: M, options: CompileOptions): CompiledModel<M> {
  return new CompiledModel(model, options);
}
