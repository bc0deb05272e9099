#!/usr/bin/env node
/**
 * The `steepest` command: a dispatcher over command groups (`bench`, `info`, `tune`). A group's module
 * exports `run(args): Promise<number>` and prints its own usage; this file only routes, prints
 * one line for an error and sets the exit code.
 */
import { dispatch } from './dispatch.js';
import { runBench } from './bench.js';
import { runInfo } from './info.js';
import { runTune } from './tune/index.js';

const GROUPS: Record<string, { run: (args: string[]) => Promise<number>; about: string }> = {
  bench: { run: runBench, about: 'GEMM, optimizer, training-step and epoch benchmarks on this machine (--compare torch)' },
  info: { run: runInfo, about: 'versions, the native addon loaded, GEMM kernels, threads, CUDA status' },
  tune: { run: runTune, about: 'run or report a hyperparameter study kept in a database' },
};

const usage = `usage: steepest <command> …\n\ncommands:\n${Object.entries(GROUPS).map(([k, g]) => `  ${k.padEnd(8)}${g.about}`).join('\n')}\n`;

export function main(argv: string[]): Promise<number> {
  return dispatch('steepest', Object.fromEntries(Object.entries(GROUPS).map(([k, g]) => [k, g.run])), usage, argv);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message.startsWith('steepest') ? '' : 'steepest: '}${message}\n`);
    process.exitCode = err instanceof Error && err.name === 'UsageError' ? 2 : 1;
  },
);
