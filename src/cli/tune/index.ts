/**
 * `steepest tune <worker|report>`: the commands that let one study grow across processes and
 * machines (worker.ts) and render it from the database (report.ts).
 */
import { dispatch, type Command } from '../dispatch.js';
import { runReport } from './report.js';
import { runWorker } from './worker.js';

const COMMANDS: Record<string, Command> = { worker: runWorker, report: runReport };

export const TUNE_USAGE = `usage:
  steepest tune worker --storage URL --study NAME --objective ./objective.ts [options]
  steepest tune report --storage URL --study NAME -o study.html

URL: sqlite:path/to/study.db or postgresql://user:password@host:5432/database
Run 'steepest tune worker --help' for the worker's options.
`;

export function runTune(args: string[]): Promise<number> {
  return dispatch('steepest tune', COMMANDS, TUNE_USAGE, args);
}
