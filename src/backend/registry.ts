/**
 * The backends by device name, as tfjs-core's registry keys kernels by backend: the CPU backend
 * is always there; others (the CUDA backend, a test's reference backend) register themselves.
 * Registering a name twice throws, so two backends can never silently claim one device.
 */
import type { Backend, Device } from './backend.js';
import { cpuBackend } from './cpu.js';

const backends = new Map<string, Backend>([['cpu', cpuBackend]]);
let defaultName: Device = 'cpu';

/** Adds `backend` under its device name; throws if that name is taken. */
export function registerBackend(backend: Backend): void {
  const name = backend?.device;
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`registerBackend: backend.device must be a non-empty string, got ${typeof name === 'string' ? "''" : typeof name}`);
  }
  if (backends.has(name)) throw new Error(`registerBackend: a backend for device '${name}' is already registered`);
  backends.set(name, backend);
}

/**
 * The backend of `device`; `op` and `arg` name the caller and its argument in the error for an
 * unknown device: `zeros: option 'device' must be one of 'cpu', got 'gpu'`.
 */
export function backendFor(device: Device, op = 'tensor', arg = 'device'): Backend {
  const backend = typeof device === 'string' ? backends.get(device) : undefined;
  if (backend) return backend;
  const known = [...backends.keys()].map((d) => `'${d}'`).join(', ');
  const what = typeof device === 'string' ? `'${device}'` : typeof device;
  const hint = device === 'cuda' ? ' (the CUDA backend is not built yet)' : '';
  throw new Error(`${op}: ${arg} must be one of ${known}, got ${what}${hint}`);
}

/** The device names with a backend, 'cpu' first. */
export function devices(): Device[] {
  return [...backends.keys()];
}

/** The device creation functions use when none is given (torch.set_default_device's default). */
export function defaultDevice(): Device {
  return defaultName;
}

/** @internal Sets the default device (tests run whole files on another backend with it). */
export function setDefaultDevice(device: Device): void {
  backendFor(device, 'setDefaultDevice');
  defaultName = device;
}

/** The backend of the default device: where tensors made from JS data (files, arrays) go. */
export function defaultBackend(): Backend {
  return backendFor(defaultName);
}
