/** Specs of optim: the optimizers (base methods and each constructor), the arena, penalties, schedules. */
import { optim } from '../../../src/index.js';
import type { CallSpec, ClassSpec, MethodSpec } from '../spec.js';
import { adam, param, steppedSgd } from './fixtures.js';

const m = (args?: (self: never) => unknown[]): MethodSpec => ({ args });
const S = optim.lrScheduler;

/** Options every optimizer takes (BaseHyper and GlobalOptions). */
const base = { weightDecay: 0.01, l1: 0, l1Proximal: false, maximize: false, clipGradNorm: 1, clipGradValue: 5, nonFinite: 'skip' };
const optimizer = (options: Record<string, unknown>): ClassSpec => ({ ctor: { args: () => [[param()], { ...base, ...options }] } });

/** A scheduler over a fresh optimizer with `options`. */
const schedule = (options: () => Record<string, unknown>): ClassSpec => ({ ctor: { args: () => [adam(), options()] } });

export const optimClasses: Record<string, ClassSpec> = {
  'optim.Optimizer': {
    internal: ['validate', 'fillRow', 'fillGroupRow', 'slotHasState', 'afterStep', 'restoredSlot', 'stateStorage', 'locate'],
    methods: {
      zeroGrad: m(), step: m(), stateDict: m(), dispose: m(),
      loadStateDict: { make: steppedSgd, args: (self: optim.SGD) => [self.stateDict()] },
    },
  },
  'optim.SGD': optimizer({ lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, emaMomentum: false, decoupledWeightDecay: false }),
  'optim.Adam': optimizer({ lr: 0.01, betas: [0.9, 0.99], eps: 1e-8, amsgrad: true }),
  'optim.AdamW': optimizer({ lr: 0.01, betas: [0.9, 0.99], eps: 1e-7, amsgrad: false }),
  'optim.RMSprop': optimizer({ lr: 0.01, alpha: 0.9, eps: 1e-8, momentum: 0.5, centered: true, epsInsideSqrt: false }),
  'optim.Adagrad': optimizer({ lr: 0.01, lrDecay: 0.1, initialAccumulatorValue: 0.1, eps: 1e-10 }),
  'optim.ParameterArena': {
    ctor: { args: () => [[[param()], [param()]], 'ParameterArena'] },
    internal: ['checkAlive', 'retire'],
    methods: { zeroGrad: m(), sync: m(), paramAt: m(() => [17]), allocateState: m(), dispose: m() },
  },
  'optim.lrScheduler.LRScheduler': {
    internal: ['getLr', 'closedFormLr', 'initialStep', 'currentLrs', 'advance'],
    methods: { step: m(() => [3]), getLastLr: m(), stateDict: m(), loadStateDict: m((self: optim.lrScheduler.StepLR) => [self.stateDict()]) },
  },
  'optim.lrScheduler.ConstantLR': schedule(() => ({ factor: 0.5, totalIters: 3, lastEpoch: -1 })),
  'optim.lrScheduler.StepLR': schedule(() => ({ stepSize: 2, gamma: 0.5, staircase: true })),
  'optim.lrScheduler.MultiStepLR': schedule(() => ({ milestones: [2, 4], gamma: 0.5 })),
  'optim.lrScheduler.ExponentialLR': schedule(() => ({ gamma: 0.9 })),
  'optim.lrScheduler.CosineAnnealingLR': schedule(() => ({ tMax: 10, etaMin: 0.001, form: 'pytorch' })),
  'optim.lrScheduler.CosineAnnealingWarmRestarts': schedule(() => ({ t0: 3, tMult: 2, etaMin: 0 })),
  'optim.lrScheduler.LinearLR': schedule(() => ({ startFactor: 0.5, endFactor: 1, totalIters: 4 })),
  'optim.lrScheduler.OneCycleLR': {
    ...schedule(() => ({
      maxLr: 0.1, totalSteps: 10, pctStart: 0.3, annealStrategy: 'cos', cycleMomentum: true, baseMomentum: 0.85,
      maxMomentum: 0.95, divFactor: 25, finalDivFactor: 1e4, threePhase: false,
    })),
    internal: ['anneal', 'setMomentum'],
  },
  'optim.lrScheduler.ReduceLROnPlateau': {
    ctor: { args: () => [adam(), { mode: 'min', factor: 0.5, patience: 2, threshold: 1e-4, thresholdMode: 'rel', cooldown: 1, minLr: 0, eps: 1e-8 }] },
    internal: ['worst', 'reduceLr'],
    methods: {
      step: m(() => [0.5]), isBetter: m(() => [1, 2]), getLastLr: m(), stateDict: m(),
      loadStateDict: m((self: optim.lrScheduler.ReduceLROnPlateau) => [self.stateDict()]),
    },
  },
  'optim.lrScheduler.SequentialLR': {
    ctor: {
      args: () => {
        const o = adam();
        return [o, [new S.ConstantLR(o, { factor: 0.5, totalIters: 2 }), new S.ExponentialLR(o, { gamma: 0.9 })], [2], -1];
      },
    },
    methods: { step: m(), getLastLr: m(), stateDict: m(), loadStateDict: m((self: optim.lrScheduler.SequentialLR) => [self.stateDict()]) },
  },
  'optim.lrScheduler.ChainedScheduler': {
    ctor: {
      args: () => {
        const o = adam();
        return [[new S.ConstantLR(o, { factor: 0.5, totalIters: 2 }), new S.ExponentialLR(o, { gamma: 0.9 })]];
      },
    },
    methods: { step: m(), getLastLr: m(), stateDict: m(), loadStateDict: m((self: optim.lrScheduler.ChainedScheduler) => [self.stateDict()]) },
  },
};

export const optimFunctions: Record<string, CallSpec> = {
  'optim.l1Penalty': { args: () => [[param(), param()], 0.1] },
  'optim.l2Penalty': { args: () => [[param()], 0.01] },
};
