/**
 * Specs of tune: studies (createStudy, loadStudy, Study and Trial methods), samplers, pruners,
 * storages, distributions, reports and scores. Receivers are built synchronously: a study over
 * an InMemoryStorage whose study 0 (and trial 0) are committed by the storage calls' synchronous
 * part. Sampler and pruner hooks and the Storage interface are called by Study itself, with
 * values it made; they are covered with their valid call only (all arguments fixed).
 */
import { tune, train } from '../../../src/index.js';
import type { CallSpec, ClassSpec, MethodSpec } from '../spec.js';
import { tmp } from './fixtures.js';

const m = (args?: (self: never) => unknown[], fixed?: number[]): MethodSpec => ({ args, fixed });
/** A hook covered by its valid call only. */
const hook = (args: (self: never) => unknown[], n: number): MethodSpec => ({ args, fixed: [...Array(n).keys()] });

const float = () => new tune.FloatDistribution(-1, 1);
const frozen = (over: Partial<ConstructorParameters<typeof tune.FrozenTrial>[0]> = {}) => new tune.FrozenTrial({
  number: 0, trialId: 0, state: 'RUNNING', value: null, params: {}, distributions: {}, intermediateValues: new Map(),
  datetimeStart: new Date(0), datetimeComplete: null, userAttrs: {}, systemAttrs: {}, errorMessage: null, ...over,
});
const completed = (i: number, x: number, y = 0) => frozen({
  number: i, trialId: i, state: 'COMPLETE', value: x * x + y, params: { x, y }, distributions: { x: float(), y: float() },
  intermediateValues: new Map([[0, x * x + y + 1], [1, x * x + y]]), datetimeComplete: new Date(1),
});
const finished = () => [completed(0, 0.5, 0.1), completed(1, -0.2, 0.3), completed(2, 0.9, -0.4), completed(3, 0.1, 0.2)];

/** An InMemoryStorage holding study 0 and its RUNNING trial 0. */
const storage = () => {
  const s = new tune.InMemoryStorage();
  s.createNewStudy('minimize', 'fuzz').catch(() => undefined);
  s.createNewTrial(0).catch(() => undefined);
  return s;
};
/** A study over storage(), its snapshot as refresh() would leave it (trial 0 RUNNING). */
const study = (sampler: tune.Sampler = new tune.RandomSampler({ seed: 0 }), pruner: tune.Pruner = new tune.NopPruner()) => {
  const st = storage();
  const s = new tune.Study(st, 0, 'fuzz', 'minimize', sampler, pruner);
  (s as unknown as { snapshot: unknown[] }).snapshot = [(st as unknown as { model: { getTrial(id: number): unknown } }).model.getTrial(0)];
  return s;
};
/** A study-like view with finished trials, for reports and hooks. */
const view = () => ({
  studyName: 'fuzz', direction: 'minimize' as const, trials: finished(), getTrials: () => finished(), systemAttrs: {},
  setSystemAttr: () => undefined, setTrialSystemAttr: () => undefined, stop: () => undefined,
});
/** A RUNNING trial 0 of a fresh study. */
const trial = () => {
  const s = study();
  return new tune.Trial((s as unknown as { host: never }).host, frozen());
};
let journals = 0;
/** A fresh journal file per receiver (the child's directory outlives one case). */
const journal = () => new tune.JournalFileStorage(tmp(`journal-${journals++}.log`));

const sampler = (ctor: () => unknown[], make: () => unknown, before = true): ClassSpec => ({
  ctor: { args: ctor },
  make,
  methods: {
    inferRelativeSearchSpace: hook(() => [view(), frozen()], 2),
    sampleRelative: hook(() => [view(), frozen(), { x: float() }], 3),
    sampleIndependent: hook(() => [view(), frozen(), 'x', float()], 4),
    ...(before ? { beforeTrial: hook(() => [view(), frozen()], 2) } : {}),
    afterTrial: hook(() => [view(), frozen(), 'COMPLETE', 0.5], 4),
  },
});
const pruner = (ctor: () => unknown[], extra: Record<string, MethodSpec> = {}): ClassSpec => ({
  ctor: { args: ctor },
  methods: { prune: hook(() => [view(), completed(4, 0.7)], 2), ...extra },
});
const distribution = (ctor: () => unknown[], value: unknown, internal: number): ClassSpec => ({
  ctor: { args: ctor },
  methods: {
    single: m(), contains: m(() => [internal]), toInternalRepr: m(() => [value]), toExternalRepr: m(() => [internal]),
    equals: m(() => [float()]), toJSON: m(), toString: m(),
  },
});
const storageMethods: Record<string, MethodSpec> = {
  createNewStudy: hook(() => ['maximize', 'other'], 2),
  getStudyIdFromName: hook(() => ['fuzz'], 1),
  getStudyDirection: hook(() => [0], 1),
  getAllStudies: m(),
  getStudySystemAttrs: hook(() => [0], 1),
  setStudySystemAttr: hook(() => [0, 'k', 1], 3),
  getStudyUserAttrs: hook(() => [0], 1),
  setStudyUserAttr: hook(() => [0, 'k', 'v'], 3),
  createNewTrial: hook(() => [0, {}], 2),
  claimWaitingTrial: hook(() => [0], 1),
  setTrialParam: hook(() => [0, 'x', 0.5, float()], 4),
  setTrialIntermediateValue: hook(() => [0, 1, 0.5], 3),
  setTrialSystemAttr: hook(() => [0, 'k', 1], 3),
  setTrialUserAttr: hook(() => [0, 'k', 1], 3),
  setTrialStateValues: hook(() => [0, 'COMPLETE', 0.5, null], 4),
  getTrial: hook(() => [0], 1),
  getAllTrials: hook(() => [0, ['RUNNING']], 2),
};
const error = (args: () => unknown[]): ClassSpec => ({ ctor: { args }, methods: { toString: m() } });

export const tuneClasses: Record<string, ClassSpec> = {
  'tune.FloatDistribution': distribution(() => [1e-5, 1, { log: true }], 0.5, 0.5),
  'tune.IntDistribution': distribution(() => [1, 9, { step: 2 }], 3, 3),
  'tune.CategoricalDistribution': distribution(() => [['a', 'b', 1, null]], 'b', 1),
  'tune.FrozenTrial': { ctor: { args: () => [{ ...completed(0, 0.5) }], fixed: [0] }, methods: { toJSON: m() } },
  'tune.TrialPruned': error(() => ['pruned at step 3']),
  'tune.TrialTimeout': error(() => ['took too long']),
  'tune.DuplicatedStudyError': error(() => ['fuzz']),
  'tune.StudyNotFoundError': error(() => ['fuzz']),
  'tune.RandomSampler': sampler(() => [{ seed: 1 }], () => new tune.RandomSampler({ seed: 0 }), false),
  'tune.GridSampler': {
    ...sampler(() => [{ x: [-1, 0, 1] }, { seed: 1 }], () => new tune.GridSampler({ x: [-1, 0, 1], y: [0] }, { seed: 0 })),
    methods: {
      ...sampler(() => [], () => null).methods,
      sampleIndependent: hook(() => [view(), frozen({ systemAttrs: { grid_id: 0 } }), 'x', new tune.CategoricalDistribution([-1, 0, 1])], 4),
      isExhausted: hook(() => [view()], 1),
    },
    internal: ['status', 'sameSpace'],
  },
  'tune.QMCSampler': sampler(() => [{ seed: 1, scramble: true }], () => new tune.QMCSampler({ seed: 0 })),
  'tune.GPSampler': { ...sampler(() => [{ seed: 1 }], () => new tune.GPSampler({ seed: 0 })), internal: ['candidates'] },
  'tune.TPESampler': { ...sampler(() => [{ seed: 1, nStartupTrials: 2 }], () => new tune.TPESampler({ seed: 0 }), false), internal: ['sample'] },
  'tune.Sobol': { ctor: { args: () => [3, 7] }, methods: { point: m(() => [5]) } },
  'tune.NopPruner': pruner(() => []),
  'tune.MedianPruner': pruner(() => [{ nStartupTrials: 1, nWarmupSteps: 0 }]),
  'tune.PercentilePruner': pruner(() => [25, { nStartupTrials: 1 }]),
  'tune.SuccessiveHalvingPruner': pruner(() => [{ minResource: 1, reductionFactor: 3 }]),
  'tune.HyperbandPruner': {
    ...pruner(() => [{ minResource: 1, maxResource: 9, reductionFactor: 3 }], { bracketOf: hook(() => ['fuzz', 2], 2) }),
    internal: ['initialize'],
  },
  'tune.PruningCallback': {
    ctor: { args: () => [trial(), 'valLoss'] },
    make: () => {
      const c = new tune.PruningCallback(trial(), 'valLoss');
      c.setTrainer(train.createTrainerContext({ history: new train.History(), epochs: 2 }));
      return c;
    },
    methods: { checkPruned: m() },
  },
  'tune.InMemoryStorage': { ctor: { args: () => [] }, make: storage, methods: storageMethods, internal: ['commit', 'sync', 'worker', 'claim'] },
  'tune.JournalFileStorage': {
    ctor: { args: () => [tmp('journal2.log')] },
    make: () => {
      const s = journal();
      s.createNewStudy('minimize', 'fuzz').catch(() => undefined);
      s.createNewTrial(0).catch(() => undefined);
      return s;
    },
    methods: { ...storageMethods, failStaleTrials: hook(() => [0], 1), close: m() },
    internal: ['commit', 'sync', 'worker', 'claim', 'transaction', 'append', 'readNew', 'applyLine'],
  },
  'tune.Study': {
    // The constructor is internal (createStudy / loadStudy make studies): no ctor spec.
    make: () => study(),
    methods: {
      getTrials: m(() => [['COMPLETE', 'RUNNING']]),
      setSystemAttr: m(() => ['k', 1]),
      setUserAttr: m(() => ['k', { a: [1, 'b'] }]),
      setTrialSystemAttr: {
        make: () => {
          const s = study();
          const inner = s as unknown as { host: never; live: Map<number, unknown> };
          inner.live.set(0, new tune.Trial(inner.host, frozen()));
          return s;
        },
        args: () => [0, 'k', 1],
      },
      stop: m(),
      // A two-point grid: optimize ends when it is exhausted, also when a case drops nTrials.
      optimize: {
        make: () => study(new tune.GridSampler({ x: [-1, 1] }, { seed: 0 })),
        args: () => [(t: tune.Trial) => t.suggestFloat('x', -1, 1) ** 2, { nTrials: 2 }],
      },
      ask: m(() => [{ x: float() }]),
      tell: { make: () => study(), args: () => [0, 0.5] },
      enqueueTrial: m(() => [{ x: 0.5 }, { skipIfExists: true }]),
      trialsTable: m(() => [{}]),
      refresh: m(),
    },
    internal: ['takeStop', 'describeStates'],
  },
  'tune.Trial': {
    make: trial,
    methods: {
      suggestFloat: m(() => ['lr', 1e-5, 1e-1, { log: true }]),
      suggestInt: m(() => ['units', 1, 64, { step: 1 }]),
      suggestCategorical: m(() => ['act', ['relu', 'tanh']]),
      report: m(() => [0.5, 1]),
      shouldPrune: m(),
      markPruned: m(() => ['pruned by the fuzz']),
      setUserAttr: m(() => ['k', 1]),
    },
    internal: ['setSystemAttr', 'setRelative', 'suggestDistribution', 'finish', 'abort', 'freeze', 'suggest', 'pick', 'checkRunning'],
  },
};

const cvOptions = () => ({ k: 2, n: 6, shuffle: true, seed: 1 });
export const tuneFunctions: Record<string, CallSpec> = {
  'tune.createStudy': { args: () => [{ direction: 'maximize', sampler: new tune.RandomSampler({ seed: 0 }), pruner: new tune.NopPruner(), studyName: 'fuzz' }] },
  'tune.loadStudy': {
    args: () => {
      const s = new tune.InMemoryStorage();
      s.createNewStudy('minimize', 'fuzz').catch(() => undefined);
      return [{ studyName: 'fuzz', storage: s }];
    },
  },
  'tune.isFinished': { args: () => ['COMPLETE'] },
  'tune.checkDistributionCompatibility': { args: () => ['fuzz', 'x', float(), new tune.FloatDistribution(0, 2)] },
  'tune.distributionFromJSON': { args: () => [float().toJSON()] },
  'tune.trialsTable': { args: () => [finished(), 'minimize', {}] },
  'tune.intersectionSearchSpace': { args: () => [finished(), false] },
  'tune.defaultGamma': { args: () => [10] },
  'tune.hyperoptDefaultGamma': { args: () => [10] },
  'tune.defaultWeights': { args: () => [30] },
  'tune.renderStudyReport': { args: () => [view(), 'Fuzz study'] },
  'tune.writeStudyReport': { args: () => [view(), tmp('study.html'), { title: 'Fuzz' }] },
  'tune.parameterImportances': { args: () => [finished()] },
  'tune.crossValidationScore': { args: () => [trial(), () => 0.5, cvOptions()], names: ['crossValidate'] },
  'tune.bestValidationScore': {
    args: () => {
      const h = new train.History();
      h.recordEpoch(0, { loss: 1, valLoss: 0.8 });
      h.recordEpoch(1, { loss: 0.5, valLoss: 0.6 });
      return [h, 'valLoss', 'min'];
    },
  },
};
