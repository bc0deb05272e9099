/**
 * The backends by device name, as tfjs-core's registry keys kernels by backend: the CPU backend
 * is always there; others (the CUDA backend, a test's reference backend) register themselves.
 * Registering a name twice throws, so two backends can never silently claim one device.
 */
import type { Backend, Device } from './backend.js';
import { cpuBackend } from './cpu.js';
import { cudaBackend } from './cuda.js';
import { cudaStatus } from './host.js';

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
 * unknown device: `zeros: option 'device' must be one of 'cpu', 'cuda' or 'auto', got 'gpu'`.
 */
export function backendFor(device: Device, op = 'tensor', arg = 'device'): Backend {
  if (device === 'auto') return backendFor(resolveAuto(), op, arg);
  const backend = typeof device === 'string' ? backends.get(device) : undefined;
  if (backend) return backend;
  if (device === 'cuda') {
    const reason = cudaReason();
    if (reason === null) {
      backends.set('cuda', cudaBackend);
      return cudaBackend;
    }
    throw new Error(`${op}: device 'cuda' is unavailable: ${reason} (cuda.unavailableReason(); device 'auto' falls back to the CPU)`);
  }
  const known = [...backends.keys()].map((d) => `'${d}'`).join(', ');
  const what = typeof device === 'string' ? `'${device}'` : typeof device;
  throw new Error(`${op}: ${arg} must be one of ${known}, 'cuda' or 'auto', got ${what}`);
}

let cudaProbe: string | null | undefined;
/** Why 'cuda' cannot be used, or null when it can (probed once per process). */
function cudaReason(): string | null {
  if (cudaProbe === undefined) cudaProbe = cudaStatus().reason;
  return cudaProbe;
}

let autoNoted = false;
/**
 * 'auto': 'cuda' where it runs, else 'cpu', saying once per process (on stderr, as a warning
 * a server's logger can catch) why the GPU is not used.
 */
export function resolveAuto(): Device {
  const reason = cudaReason();
  if (reason === null) return 'cuda';
  if (!autoNoted) {
    autoNoted = true;
    process.emitWarning(`device 'auto' runs on the CPU: CUDA is unavailable (${reason})`, { code: 'STEEPEST_AUTO_CPU' });
  }
  return 'cpu';
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
