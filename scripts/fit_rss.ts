/**
 * The issue-7 memory check: a 50-epoch fit (handbook MLP, bundled Fashion-MNIST, batch 128,
 * validation every epoch) must keep RSS within 10% of its value after epoch 2; also prints the
 * native allocation counter, which must not move after epoch 2.
 *   npx tsx scripts/fit_rss.ts            (EPOCHS=50 by default)
 * Exits 1 when either check fails.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, memoryStats, nn, optim, train } from '../src/index.js';

const epochs = Number(process.env.EPOCHS ?? 50);
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'data', 'fashion-mnist');
const { train: trainSet, test } = await data.loadFashionMnist(dir);
const scaler = new data.Standardize().fit(trainSet.images);
const [x, xVal] = [scaler.transform(trainSet.images), scaler.transform(test.images)];

const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
const rss: number[] = [];
const allocations: number[] = [];
class Measure extends train.Callback {
  override onEpochEnd() {
    rss.push(process.memoryUsage().rss / 2 ** 20);
    allocations.push(memoryStats().allocations);
  }
}
const start = performance.now();
await train.fit(model, {
  data: [x, trainSet.labels], validationData: [xVal, test.labels], epochs, batchSize: 128,
  optimizer: new optim.Adam(model.parameters()), loss: 'crossEntropy', metrics: ['accuracy'], callbacks: [new Measure()],
});
const after2 = rss[1];
const worst = Math.max(...rss.slice(1));
const growth = worst / after2 - 1;
console.log(`${epochs} epochs in ${((performance.now() - start) / 1000).toFixed(1)} s`);
console.log(`RSS after epoch 2: ${after2.toFixed(1)} MiB; highest after: ${worst.toFixed(1)} MiB (${(100 * growth).toFixed(1)}%); last: ${rss.at(-1)!.toFixed(1)} MiB`);
console.log(`native allocations: after epoch 2 ${allocations[1]}, after epoch ${epochs} ${allocations.at(-1)}`);
const ok = growth <= 0.1 && allocations.at(-1) === allocations[1];
console.log(ok ? 'OK' : 'FAILED');
process.exit(ok ? 0 : 1);
