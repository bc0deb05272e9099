/**
 * Child process of test/native/bad_input.test.ts: runs the bad-input cases of the bindings
 * named on the command line and reports each on its own line of stdout, written
 * synchronously BEFORE and after the call, so that if a case kills the process the parent
 * still knows which one did.
 *
 *   node --import tsx test/native/bad_input_child.ts binary gemm ...
 * Lines: {"start":[key,case]} then {"key","case","expect","threw","isError","message"};
 * per binding first {"key","valid":true|"message"} for the unmodified valid call.
 */
import { emitLine as emit } from '../helpers/child_lines.js';
import { casesFor, specs } from './bad_input_cases.js';

for (const key of process.argv.slice(2)) {
  const spec = specs[key];
  if (!spec) {
    emit({ key, valid: `no spec named ${key}` });
    continue;
  }
  emit({ start: [key, 'valid call'] });
  try {
    spec.call(spec.valid());
    emit({ key, valid: true });
  } catch (e) {
    emit({ key, valid: String((e as Error)?.message ?? e) });
  }
  for (const c of casesFor(spec)) {
    emit({ start: [key, c.name] });
    let threw = false;
    let isError = false;
    let message = '';
    try {
      c.run();
    } catch (e) {
      threw = true;
      isError = e instanceof Error;
      message = isError ? (e as Error).message : String(e);
    }
    emit({ key, case: c.name, expect: c.expect, threw, isError, message });
  }
  // The valid call still works after every bad one: nothing was left corrupted.
  emit({ start: [key, 'valid call after the bad ones'] });
  spec.call(spec.valid());
  emit({ key, after: true });
}
emit({ done: true });
