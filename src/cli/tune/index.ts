/**
 * `steepest tune <worker|report>`: the commands that let one study grow across processes and
 * machines (worker.ts) and render it from the database (report.ts).
 */
import { runReport } from './report.js';
import { runWorker } from './worker.js';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { worker: runWorker, report: runReport };

export const TUNE_USAGE = `usage:
  steepest tune worker --storage URL --study NAME --objective ./objective.ts [options]
  steepest tune report --storage URL --study NAME -o study.html

URL: sqlite:path/to/study.db or postgresql://user:password@host:5432/database
Run 'steepest tune worker --help' for the worker's options.
`;

export async function runTune(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(TUNE_USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`steepest tune: unknown command '${command}'\n${TUNE_USAGE}`);
    return 2;
  }
  return run(rest);
}
