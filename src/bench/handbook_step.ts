/**
 * One training step of the handbook MLP (784-128-ReLU-10, CrossEntropy, Adam lr 1e-3) on a fixed
 * random batch: zeroGrad, forward, loss, backward, step. Shared by the step benchmark and its
 * crossing-count child (step_crossings.ts).
 */
import { nn, optim, randn, tensor } from '../index.js';

export function handbookStep(batch: number): () => void {
  const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = randn([batch, 784]);
  const y = tensor(Int32Array.from({ length: batch }, (_, i) => (i * 7) % 10), [batch]);
  return () => {
    const loss = lossFn.forward(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  };
}
