/**
 * The backend seam: tensors carry their device from creation, ops run on their tensors'
 * device and refuse to mix devices, moves copy values between devices, modules move in
 * place, optimizers follow their parameters, and nothing outside src/backend/ reaches the addon.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { add, crossEntropy, matmul, nn, optim, tensor, zeros, randn } from '../../src/index.js';
import { backendFor, devices, registerBackend } from '../../src/backend/registry.js';
import { referenceBackend, useReferenceBackend } from '../helpers/reference_backend.js';

useReferenceBackend();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('backend seam', () => {
  it('no file outside src/backend imports the addon or loads a native binary', () => {
    const root = new URL('../../src/', import.meta.url).pathname;
    const offenders = sourceFiles(root)
      .filter((f) => !relative(root, f).startsWith('backend/'))
      .filter((f) => /backend\/addon\.js|node-gyp-build|\.node['"]/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('registers backends by device, refusing a second one for the same device', () => {
    expect(devices()).toEqual(['cpu', 'ref']);
    expect(backendFor('ref')).toBe(referenceBackend);
    expect(() => registerBackend(referenceBackend)).toThrow("registerBackend: a backend for device 'ref' is already registered");
    expect(() => zeros([2], { device: 'tpu' })).toThrow("zeros: option 'device' must be one of 'cpu', 'ref', 'cuda' or 'auto', got 'tpu'");
    expect(() => zeros([2], { device: 'cuda' })).toThrow(/device 'cuda' is unavailable: (no NVIDIA driver|backend not built)/);
  });

  it('tensors carry their device from creation, and results stay on it', () => {
    const a = tensor([1, 2, 3], { device: 'ref' });
    const b = zeros([3], { device: 'ref' });
    expect([a.device, b.device, add(a, b).device, randn([2], { device: 'ref' }).device]).toEqual(['ref', 'ref', 'ref', 'ref']);
    expect(tensor([1]).device).toBe('cpu');
    expect(String(a)).toBe('Tensor([3], float32, ref)');
  });

  it('an op mixing devices throws naming the op and both devices, and changes nothing', () => {
    const a = tensor([1, 2], { device: 'ref' });
    const b = tensor([3, 4]);
    expect(() => add(a, b)).toThrow("add: tensors on 'ref' and 'cpu'");
    expect(() => matmul(tensor([[1, 2]]), tensor([[1], [2]], { device: 'ref' }))).toThrow("gemm: tensors on 'cpu' and 'ref'");
    expect(() => crossEntropy(randn([2, 3]), tensor(Int32Array.from([0, 1]), { device: 'ref' }))).toThrow("crossEntropy: tensors on 'cpu' and 'ref'");
    expect(Array.from(a.toArray())).toEqual([1, 2]);
  });

  it('to(device) copies the values across and carries the gradient back', () => {
    const x = tensor([1, -2, 3]).requiresGrad_();
    const y = x.to('ref');
    expect(y.device).toBe('ref');
    expect(x.to('cpu')).toBe(x);
    const loss = y.mul(y).sum();
    loss.backward();
    expect(Array.from(x.grad!.toArray())).toEqual([2, -4, 6]);
    expect(x.grad!.device).toBe('cpu');
  });

  it('module.to moves parameters in place; a new optimizer steps on their device', () => {
    const model = new nn.Linear(3, 2);
    const weight = model.weight;
    expect(model.to('ref')).toBe(model);
    expect(model.weight).toBe(weight);
    expect(weight.device).toBe('ref');
    const opt = new optim.Adam(model.parameters(), { lr: 0.1 });
    const before = Array.from(weight.toArray());
    const x = randn([4, 3], { device: 'ref' });
    model.forward(x).sum().backward();
    opt.step();
    expect(weight.device).toBe('ref');
    expect(Array.from(weight.toArray())).not.toEqual(before);
  });

  it('an optimizer refuses parameters on two devices, and parameters moved after it was made', () => {
    const a = tensor([1, 2]).requiresGrad_();
    const b = tensor([1, 2], { device: 'ref' }).requiresGrad_();
    expect(() => new optim.SGD([a, b], { lr: 0.1 })).toThrow("sgd: parameter 1 of group 0 is on 'ref', parameter 0 on 'cpu'; an optimizer's parameters share one device");
    const model = new nn.Linear(2, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    model.to('ref');
    expect(() => opt.step()).toThrow(/sgd: parameter 0 \[1, 2\] left the optimizer's arena \(moved to 'ref'\?\); create the optimizer after module.to\(device\)/);
  });

  it('loadStateDict copies a state dict from another device', () => {
    const src = new nn.Linear(2, 2);
    const dst = new nn.Linear(2, 2).to('ref');
    dst.loadStateDict(src.stateDict());
    expect(Array.from(dst.weight.toArray())).toEqual(Array.from(src.weight.toArray()));
    expect(dst.weight.device).toBe('ref');
  });
});
