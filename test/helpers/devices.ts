/**
 * Runs a test file's specifications once per device: 'cpu', the float64 reference backend
 * (test/helpers/reference_backend.ts), and 'cuda' when a later backend registers it. Each run
 * makes its device the default, so the creation functions put the file's tensors there and
 * every op, gradient and optimizer step of the file goes through that device's backend.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { setDefaultDevice } from '../../src/backend/registry.js';
import { testDevices } from './reference_backend.js';

export const devices = testDevices();

export function onEachDevice(body: (device: string) => void): void {
  describe.each(devices)('on %s', (device) => {
    beforeAll(() => setDefaultDevice(device));
    afterAll(() => setDefaultDevice('cpu'));
    body(device);
  });
}

/**
 * What a check of index or label values says on `device`, for an expression that reads the
 * result: on the host devices the op's own error (`hostOp: ...message`); on 'cuda', where the
 * kernel checks device memory without waiting for the host, the error of the next read from the
 * device, naming the kernel that found it (native/cuda/runtime.cu's device errors).
 */
export function dataError(device: string, hostOp: string, message: string, kernel = hostOp): RegExp {
  const m = message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return device === 'cuda' ? new RegExp(`${m} \\(found on the GPU by an earlier ${kernel}\\)`) : new RegExp(`${hostOp}: (.*: )?${m}`);
}
