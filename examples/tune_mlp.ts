/**
 * Tuning the handbook MLP (784-hidden-10, ReLU, Adam, batch 32) on the bundled Fashion-MNIST
 * slice: TPE over the learning rate, the weight decay and the hidden width, with a MedianPruner
 * fed each epoch's validation accuracy through tune.PruningCallback.
 *
 *   npx tsx examples/tune_mlp.ts                     # 20 trials of up to 10 epochs
 *   TUNE_TRIALS=30 TUNE_EPOCHS=8 npx tsx examples/tune_mlp.ts
 *   TUNE_JOURNAL=mlp.jsonl npx tsx examples/tune_mlp.ts   # resumable: run it again to continue
 *   TUNE_CONCURRENCY=2 npx tsx examples/tune_mlp.ts        # two trials at a time, one core each
 */
import { train, tune } from '../src/index.js';
import { EPOCHS, loadData, objective } from './mlp_objective.js';

const TRIALS = Number(process.env.TUNE_TRIALS ?? 20);
const CONCURRENCY = Number(process.env.TUNE_CONCURRENCY ?? 1);
const JOURNAL = process.env.TUNE_JOURNAL;

async function main() {
  console.log(`Fashion-MNIST slice; ${TRIALS} trials of up to ${EPOCHS} epochs${CONCURRENCY > 1 ? `, ${CONCURRENCY} at a time in worker threads` : ''}`);

  const study = await tune.createStudy({
    direction: 'maximize',
    sampler: new tune.TPESampler({ seed: 0 }),
    pruner: new tune.MedianPruner({ nStartupTrials: 5, nWarmupSteps: 1 }),
    ...(JOURNAL ? { storage: `journal:${JOURNAL}`, studyName: 'tune_mlp', loadIfExists: true } : {}),
  });
  const shared = await loadData(); // once, for every trial (and every worker thread)
  // Start from the handbook's own settings.
  await study.enqueueTrial({ lr: 1e-3, weightDecay: 1e-6, hidden: 128 }, { skipIfExists: true });

  // Ctrl-C: the running trial finishes, every finished trial is kept.
  const stop = train.abortOnSignals(['SIGINT', 'SIGTERM'], (line) => console.error(`${line.split(':')[0]}: stopping after the running trial`));
  // The objective is a module (mlp_objective.ts), so that worker threads can import it too.
  await study.optimize(CONCURRENCY > 1 ? new URL('./mlp_objective.ts', import.meta.url) : objective, {
    concurrency: CONCURRENCY,
    shared,
    nTrials: TRIALS,
    signal: stop.signal,
    log: (line) => console.log(line),
  });
  stop.dispose();

  const counts = Object.fromEntries(['COMPLETE', 'PRUNED', 'FAIL'].map((s) => [s, study.trials.filter((t) => t.state === s).length]));
  console.log(`\n${study.trials.length} trials: ${counts.COMPLETE} complete, ${counts.PRUNED} pruned, ${counts.FAIL} failed`);
  const best = study.bestTrial;
  console.log(`best trial ${best.number}: val accuracy ${(100 * best.value!).toFixed(2)}%  ` +
    `lr ${(best.params.lr as number).toExponential(2)}  weightDecay ${(best.params.weightDecay as number).toExponential(2)}  hidden ${best.params.hidden}`);
  console.log('\n' + String(study.trialsTable()).split('\n').slice(0, 6).join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
