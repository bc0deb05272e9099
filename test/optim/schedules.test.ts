/**
 * Every schedule's lr sequence (and OneCycleLR's momentum) against PyTorch 1.13
 * (test/fixtures/optim/schedules.json, made by bench/reference/optim_fixtures.py), on an
 * optimizer with two groups (lr 0.1 and 0.02), plus the handbook's schedule formulas checked
 * literally and scheduler state dicts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optim, tensor } from '../../src/index.js';

const S = optim.lrScheduler;

interface ScheduleCase {
  scheduler: string;
  options: Record<string, unknown>;
  optimizer: 'SGD' | 'Adam';
  lr: number[][];
  momentum?: number[][];
  epochs?: number[];
}
interface PlateauCase { options: Record<string, unknown>; metrics: number[]; lr: number[][] }

const fixture = JSON.parse(readFileSync(new URL('../fixtures/optim/schedules.json', import.meta.url), 'utf8')) as {
  baseLrs: number[]; steps: number; schedules: ScheduleCase[]; plateaus: PlateauCase[];
};

function makeOptimizer(kind: 'SGD' | 'Adam' = 'SGD') {
  const groups = fixture.baseLrs.map((lr, i) => ({ params: [tensor([0, 0, 0].slice(0, i + 2), [i + 2]).requiresGrad_()], lr }));
  return kind === 'Adam' ? new optim.Adam(groups) : new optim.SGD(groups, { lr: fixture.baseLrs[0], momentum: 0.9 });
}

type Opt = ReturnType<typeof makeOptimizer>;
type Stepper = { step(epoch?: number): void };

function build(opt: Opt, name: string, options: Record<string, unknown>): Stepper {
  switch (name) {
    case 'ConstantLR': return new S.ConstantLR(opt, options);
    case 'StepLR': return new S.StepLR(opt, options as never);
    case 'MultiStepLR': return new S.MultiStepLR(opt, options as never);
    case 'ExponentialLR': return new S.ExponentialLR(opt, options);
    case 'CosineAnnealingLR': return new S.CosineAnnealingLR(opt, options as never);
    case 'CosineAnnealingWarmRestarts': return new S.CosineAnnealingWarmRestarts(opt, options as never);
    case 'LinearLR': return new S.LinearLR(opt, options);
    case 'OneCycleLR': return new S.OneCycleLR(opt, options as never);
    case 'SequentialLR': {
      const children = (options.schedulers as [string, Record<string, unknown>][]).map(([n, o]) => build(opt, n, o));
      return new S.SequentialLR(opt, children as optim.lrScheduler.LRScheduler[], options.milestones as number[]);
    }
    case 'ChainedScheduler': {
      const children = (options.schedulers as [string, Record<string, unknown>][]).map(([n, o]) => build(opt, n, o));
      return new S.ChainedScheduler(children as optim.lrScheduler.LRScheduler[]);
    }
    default: throw new Error(`unknown scheduler ${name}`);
  }
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
const momentumOf = (opt: Opt) => opt.paramGroups.map((g) => ('betas' in g ? (g.betas as number[])[0] : (g as { momentum: number }).momentum));

describe('schedules match PyTorch', () => {
  fixture.schedules.forEach((c, idx) => {
    it(`${idx}: ${c.scheduler} ${JSON.stringify(c.options)}`, () => {
      const opt = makeOptimizer(c.optimizer);
      const sched = build(opt, c.scheduler, c.options);
      let worst = 0;
      if (c.epochs) {
        c.epochs.forEach((e, k) => {
          sched.step(e);
          opt.paramGroups.forEach((g, i) => { worst = Math.max(worst, rel(g.lr, c.lr[k][i])); });
        });
      } else {
        for (let k = 0; k < c.lr.length; k++) {
          if (k > 0) sched.step();
          opt.paramGroups.forEach((g, i) => { worst = Math.max(worst, rel(g.lr, c.lr[k][i])); });
          if (c.scheduler === 'OneCycleLR') momentumOf(opt).forEach((m, i) => { worst = Math.max(worst, rel(m, c.momentum![k][i])); });
        }
      }
      expect(worst).toBeLessThan(1e-5);
      opt.dispose();
    });
  });

  fixture.plateaus.forEach((c, idx) => {
    it(`${idx}: ReduceLROnPlateau ${JSON.stringify(c.options)}`, () => {
      const opt = makeOptimizer();
      const sched = new S.ReduceLROnPlateau(opt, c.options);
      c.metrics.forEach((m, k) => {
        sched.step(m);
        opt.paramGroups.forEach((g, i) => expect(rel(g.lr, c.lr[k][i])).toBeLessThan(1e-5));
      });
      // the sequence is not trivial: it reduced at least twice
      expect(new Set(c.lr.map((l) => l[0])).size).toBeGreaterThan(2);
      opt.dispose();
    });
  });
});

describe("the handbook's schedule formulas, literally", () => {
  const run = (make: (opt: Opt) => Stepper, epochs: number) => {
    const opt = makeOptimizer();
    const sched = make(opt);
    const lrs = [opt.paramGroups[0].lr];
    for (let e = 1; e < epochs; e++) {
      sched.step();
      lrs.push(opt.paramGroups[0].lr);
    }
    opt.dispose();
    return lrs;
  };
  const lr0 = fixture.baseLrs[0];

  it('step decay: lr = initial_lr * decay_rate^(epoch / decay_steps)', () => {
    const lrs = run((o) => new S.StepLR(o, { stepSize: 4, gamma: 0.5, staircase: false }), 20);
    lrs.forEach((lr, e) => expect(rel(lr, lr0 * 0.5 ** (e / 4))).toBeLessThan(1e-12));
  });
  it('step decay: lr = initial_lr * (drop_rate ** floor(epoch / drop_every))', () => {
    const lrs = run((o) => new S.StepLR(o, { stepSize: 4, gamma: 0.5 }), 20);
    lrs.forEach((lr, e) => expect(rel(lr, lr0 * 0.5 ** Math.floor(e / 4))).toBeLessThan(1e-12));
  });
  it('exponential decay: lr = initial_lr * e^(-decay_constant * epoch)', () => {
    const lrs = run((o) => new S.ExponentialLR(o, { decayConstant: 0.15 }), 30);
    lrs.forEach((lr, e) => expect(rel(lr, lr0 * Math.exp(-0.15 * e))).toBeLessThan(1e-12));
  });
  it('cosine annealing: lr = 0.5 * initial_lr * (1 + cos(epoch * pi / total_epochs))', () => {
    const closed = run((o) => new S.CosineAnnealingLR(o, { tMax: 25, form: 'closed' }), 26);
    closed.forEach((lr, e) => expect(Math.abs(lr - 0.5 * lr0 * (1 + Math.cos((e * Math.PI) / 25)))).toBeLessThan(1e-15));
    // PyTorch's recursive form follows the same curve.
    const chained = run((o) => new S.CosineAnnealingLR(o, { tMax: 25 }), 26);
    chained.forEach((lr, e) => expect(Math.abs(lr - 0.5 * lr0 * (1 + Math.cos((e * Math.PI) / 25)))).toBeLessThan(1e-12));
  });
});

describe('schedule state', () => {
  it('a schedule saved mid-run and loaded into a fresh one continues identically', () => {
    const a = makeOptimizer();
    const sa = new S.CosineAnnealingWarmRestarts(a, { t0: 4, tMult: 2, etaMin: 0.001 });
    for (let k = 0; k < 9; k++) sa.step();
    const saved = JSON.parse(JSON.stringify({ opt: a.stateDict(), sched: sa.stateDict() }));
    const b = makeOptimizer();
    const sb = new S.CosineAnnealingWarmRestarts(b, { t0: 4, tMult: 2, etaMin: 0.001 });
    b.loadStateDict(saved.opt);
    sb.loadStateDict(saved.sched);
    for (let k = 0; k < 20; k++) {
      sa.step();
      sb.step();
      expect(sb.getLastLr()).toEqual(sa.getLastLr());
    }
    a.dispose();
    b.dispose();
  });

  it('validates its options', () => {
    const opt = makeOptimizer();
    expect(() => new S.StepLR(opt, { stepSize: 0 })).toThrow("StepLR: option 'stepSize' must be an integer > 0, got 0");
    expect(() => new S.ExponentialLR(opt, {})).toThrow('ExponentialLR: give exactly one of gamma and decayConstant');
    expect(() => new S.ReduceLROnPlateau(opt, { factor: 1 })).toThrow("ReduceLROnPlateau: option 'factor' must be >= 0 and < 1, got 1");
    expect(() => new S.OneCycleLR(opt, { maxLr: 0.1 })).toThrow('OneCycleLR: give totalSteps, or epochs and stepsPerEpoch');
    const one = new S.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 3 });
    one.step();
    one.step();
    one.step();
    expect(() => one.step()).toThrow('OneCycleLR: tried to step 5 times; totalSteps is 3');
    opt.dispose();
  });
});
