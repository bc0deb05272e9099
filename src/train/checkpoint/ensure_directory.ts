/**
 * Creating a checkpoint's folder without a recursive mkdir. Node's `mkdir(dir, { recursive:
 * true })` retries a component whose mkdir fails with ENOENT by creating its parent again, so
 * under a file system that refuses new entries that way (/proc) it never returns (issue 13).
 * Here the walk is bounded by the path's depth: up to the nearest folder that exists, then one
 * plain mkdir per missing component, the first failure reported as is. Async, off the event loop.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Makes sure `dir` exists as a folder, creating missing components. `op` and `target` (the
 * file to be written there) name the caller and the user's path in errors.
 */
export async function ensureDirectory(dir: string, op: string, target: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const kind = await kindOf(current, op, target);
    if (kind === 'directory') break;
    if (kind === 'other') throw new Error(`${op}: cannot save '${target}': '${current}' exists and is not a folder`);
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) throw new Error(`${op}: cannot save '${target}': the root '${current}' does not exist`);
    current = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (e) {
      // Created meanwhile by someone else: fine, if it is a folder.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await kindOf(folder, op, target)) === 'directory') continue;
      throw new Error(`${op}: cannot create folder '${folder}' for '${target}': ${(e as Error).message}`, { cause: e });
    }
  }
}

async function kindOf(path: string, op: string, target: string): Promise<'directory' | 'other' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new Error(`${op}: cannot save '${target}': cannot inspect '${path}': ${(e as Error).message}`, { cause: e });
  }
}
