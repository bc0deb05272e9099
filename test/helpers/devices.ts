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
