/**
 * A worker thread for worker_terminate.test.ts: runs one kind of work forever, until the main
 * thread terminates it. Bundled (with the library) by the child before the first worker starts,
 * so a worker starts in tens of milliseconds instead of loading the sources through tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { data, manualSeed, nn, noGrad, optim, randn, tensor, train } from '../../src/index.js';

export interface WorkerJob {
  job: 'ops' | 'fit' | 'data';
  seed: number;
  /** Files for the data job: a CSV with a label column 'y', a gzipped IDX file, a Fashion-MNIST folder. */
  csv: string;
  idxGz: string;
  mnist: string;
}

const { job, seed, csv, idxGz, mnist } = workerData as WorkerJob;
manualSeed(seed);

/** Forward passes without and with autograd, backward and Adam steps: every op kind in a tight loop. */
function ops(): never {
  const model = nn.sequential(nn.linear(64, 128), nn.relu(), nn.linear(128, 10));
  const optimizer = new optim.Adam(model.parameters());
  const lossFn = new nn.CrossEntropyLoss();
  const y = tensor(Int32Array.from({ length: 32 }, (_, i) => i % 10), [32]);
  for (;;) {
    noGrad(() => model.forward(randn([32, 64])));
    const loss = lossFn.forward(model.forward(randn([32, 64])), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
}

/** train.fit runs again and again: async, with validation, metrics and the monitor. */
async function fit(): Promise<never> {
  const x = randn([512, 20]);
  const y = tensor(Int32Array.from({ length: 512 }, (_, i) => i % 3), [512]);
  const model = nn.sequential(nn.linear(20, 32), nn.relu(), nn.linear(32, 3));
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 16, shuffle: true });
  for (;;) {
    await train.fit(model, { data: loader, validationData: [x, y], epochs: 3, optimizer, loss: 'crossEntropy', metrics: ['accuracy'] });
  }
}

/** The loaders: CSV (both readers), IDX through the bounded inflater, Fashion-MNIST. */
async function load(): Promise<never> {
  for (let round = 0; ; round++) {
    await data.loadCsv(csv, { labelColumn: 'y', numClasses: 3 });
    await data.readIdx(idxGz);
    for await (const batch of new data.DataLoader(data.csvRows(csv, { labelColumn: 'y' }), { batchSize: 64 })) void batch;
    if (round % 4 === 0) await data.loadFashionMnist(mnist);
  }
}

parentPort!.postMessage('ready');
if (job === 'ops') ops();
else if (job === 'fit') await fit();
else await load();
