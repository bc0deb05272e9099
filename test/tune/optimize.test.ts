// study.optimize: how trials end (values, pruning, errors, timeouts) and how the loop stops.
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';

const study = () => tune.createStudy({ sampler: new tune.RandomSampler({ seed: 1 }), pruner: new tune.NopPruner() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('optimize', () => {
  it('records a throwing trial as FAIL with its message and goes on', async () => {
    const s = await study();
    await s.optimize((t) => {
      const x = t.suggestFloat('x', 0, 1);
      if (t.number === 1) throw new Error('CUDA out of memory');
      return x;
    }, { nTrials: 4 });
    expect(s.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE']);
    expect(s.trials[1].errorMessage).toBe('CUDA out of memory');
    expect(s.trials[1].params.x).toBeTypeOf('number');
    expect(s.trials[1].datetimeComplete).toBeInstanceOf(Date);
  });

  it('catch: a list of classes rethrows other errors after recording the trial', async () => {
    const s = await study();
    const objective = (t: tune.Trial) => {
      if (t.number === 0) throw new RangeError('bad range');
      throw new TypeError('bug');
    };
    await expect(s.optimize(objective, { nTrials: 3, catch: [RangeError] })).rejects.toThrow('bug');
    expect(s.trials.map((t) => [t.state, t.errorMessage])).toEqual([['FAIL', 'bad range'], ['FAIL', 'bug']]);
  });

  it('non-numbers and NaN fail the trial; TrialPruned and markPruned prune it', async () => {
    const s = await study();
    await s.optimize(async (t) => {
      t.report(t.number + 0.5, 0);
      if (t.number === 0) return 'high' as never;
      if (t.number === 1) return NaN;
      if (t.number === 2) throw new tune.TrialPruned();
      t.markPruned();
      return 42;
    }, { nTrials: 4 });
    expect(s.trials.map((t) => [t.state, t.value])).toEqual([['FAIL', null], ['FAIL', null], ['PRUNED', 2.5], ['PRUNED', 3.5]]);
    expect(s.trials[0].errorMessage).toBe('the objective returned string, expected a number');
  });

  it('trialTimeoutMs fails a trial that runs too long, aborts its signal, and the study goes on', async () => {
    const s = await study();
    let abortedWith: unknown;
    await s.optimize(async (t) => {
      if (t.number === 0) {
        await new Promise((resolve) => t.signal.addEventListener('abort', () => resolve(null)));
        abortedWith = t.signal.reason;
        t.report(1, 0); // the abandoned objective keeps running; the trial is already finished
      }
      return t.number;
    }, { nTrials: 2, trialTimeoutMs: 30 });
    expect(s.trials.map((t) => t.state)).toEqual(['FAIL', 'COMPLETE']);
    expect(s.trials[0].errorMessage).toBe('trial 0 timed out after 30 ms');
    expect(abortedWith).toBeInstanceOf(tune.TrialTimeout);
    expect(s.trials[0].intermediateValues.size).toBe(0);
  });

  it('an AbortSignal stops after the running trial and keeps every finished one', async () => {
    const s = await study();
    const controller = new AbortController();
    await s.optimize(async (t) => {
      if (t.number === 2) controller.abort();
      await sleep(1);
      return t.number;
    }, { nTrials: 10, signal: controller.signal });
    expect(s.trials.map((t) => [t.state, t.value])).toEqual([['COMPLETE', 0], ['COMPLETE', 1], ['COMPLETE', 2]]);
    await s.optimize(() => 0, { nTrials: 5, signal: controller.signal });
    expect(s.trials.length).toBe(3);
  });

  it('timeoutMs starts no trial once the time has passed', async () => {
    const s = await study();
    await s.optimize(async () => {
      await sleep(25);
      return 0;
    }, { nTrials: 10, timeoutMs: 1 });
    expect(s.trials.length).toBe(1);
    await s.optimize(() => 0, { timeoutMs: 0 });
    expect(s.trials.length).toBe(1);
  });

  it('nTrials counts this call; study.stop() ends the loop; callbacks and log see every trial', async () => {
    const s = await study();
    const seen: number[] = [];
    const lines: string[] = [];
    await s.optimize((t) => {
      if (t.number === 3) s.stop();
      return t.number;
    }, { nTrials: 10, callbacks: [(_s, t) => void seen.push(t.number)], log: (l) => lines.push(l) });
    await s.optimize((t) => t.number, { nTrials: 2 });
    expect(s.trials.length).toBe(6);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(lines[1]).toBe('Trial 1 finished with value: 1 and parameters: {}. Best is trial 0 with value: 0.');
  });

  it('refuses nested optimize calls and bad options', async () => {
    const s = await study();
    await expect(s.optimize(async () => {
      await s.optimize(() => 0, { nTrials: 1 });
      return 0;
    }, { nTrials: 1, catch: [] })).rejects.toThrow('optimize: this study is already optimizing');
    await expect(s.optimize(() => 0, { nTrials: -1 })).rejects.toThrow('optimize: nTrials must be an integer >= 0, got -1');
  });
});
