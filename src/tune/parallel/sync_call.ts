/**
 * A synchronous call from a worker thread to the main thread, for `trial.suggest*()` and
 * `shouldPrune()` in an objective that runs in a worker: they must return a value at once (the
 * define-by-run API is synchronous), while the sampler that decides it lives with the study in
 * the main thread. The worker posts the request and blocks in Atomics.wait on a shared flag; the
 * main thread answers into a shared buffer (JSON, length-prefixed) and wakes it. A round trip
 * costs tens of microseconds, next to milliseconds of training per suggestion.
 */
const HEADER = 2; // int32 slots: [0] flag (0 waiting, 1 answered), [1] byte length of the answer
export const CALL_BUFFER_BYTES = 1 << 16;

export interface CallRequest { type: 'call'; method: string; args: unknown[] }
export type CallAnswer = { ok: true; value: unknown } | { ok: false; name: string; message: string };

export function createCallBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER * 4 + CALL_BUFFER_BYTES);
}

/** Main thread: writes the answer and wakes the worker. */
export function answerCall(buffer: SharedArrayBuffer, answer: CallAnswer): void {
  const flag = new Int32Array(buffer, 0, HEADER);
  let bytes = new TextEncoder().encode(JSON.stringify(answer));
  if (bytes.length > CALL_BUFFER_BYTES) {
    bytes = new TextEncoder().encode(JSON.stringify({ ok: false, name: 'RangeError', message: `the answer is ${bytes.length} bytes, more than ${CALL_BUFFER_BYTES}` }));
  }
  new Uint8Array(buffer, HEADER * 4, bytes.length).set(bytes);
  Atomics.store(flag, 1, bytes.length);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/** Worker: posts the request, blocks until the answer is written, returns it or throws. */
export function callMain(buffer: SharedArrayBuffer, post: (request: CallRequest) => void, method: string, args: unknown[]): unknown {
  const flag = new Int32Array(buffer, 0, HEADER);
  Atomics.store(flag, 0, 0);
  post({ type: 'call', method, args });
  Atomics.wait(flag, 0, 0);
  const length = Atomics.load(flag, 1);
  const answer = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, HEADER * 4, length).slice())) as CallAnswer;
  if (answer.ok) return answer.value;
  const error = new Error(answer.message);
  error.name = answer.name;
  throw error;
}
