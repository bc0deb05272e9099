/**
 * A fixed training-step loop for instruction counts, where timings on a shared machine are too
 * noisy to resolve a few percent: the bench:step MLP (784-128-ReLU-10, CrossEntropy, Adam) at
 * batch 32, one native thread, 20 warm-up steps then STEPS counted ones. Run it under callgrind
 * twice (STEPS=0 and STEPS=300) and divide the difference by 300; V8's --single-threaded
 * --predictable keep background compilation out of the count:
 *   STEPS=300 valgrind --tool=callgrind node --single-threaded --predictable \
 *     --import tsx bench/step/instructions.ts
 * STEEPEST_ROOT points it at another checkout (a before/after comparison).
 */
const root = process.env.STEEPEST_ROOT ?? new URL('../..', import.meta.url).pathname;
const { nn, optim, randn, tensor, setNumThreads, manualSeed } = await import(`${root}/src/index.ts`);
setNumThreads(1);
manualSeed(1);
const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const lossFn = new nn.CrossEntropyLoss();
const x = randn([32, 784]);
const y = tensor(Int32Array.from({ length: 32 }, (_, i) => i % 10), [32]);
const step = () => {
  opt.zeroGrad();
  lossFn.forward(model.forward(x), y).backward();
  opt.step();
};
for (let i = 0; i < 20; i++) step();
const steps = Number(process.env.STEPS ?? 0);
for (let i = 0; i < steps; i++) step();
