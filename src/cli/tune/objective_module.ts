/**
 * Loads the worker's objective module: its `objective` export, else its default export (as
 * study.optimize(moduleUrl) reads it). A TypeScript file is loaded by Node itself where the
 * runtime strips types, else through tsx's tsImport (tsx resolved from the current project, then
 * from steepest's own dependencies); without either the error says what to install.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Objective } from '../../tune/optimize.js';
import { UsageError } from './args.js';

const TS = /\.[cm]?tsx?$/i;

/** tsx's ESM API (its package.json's "./esm/api" import entry), from the project, then from steepest. */
function tsxApi(): string | null {
  for (const base of [join(process.cwd(), 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      const manifest = createRequire(base).resolve('tsx/package.json');
      const entry = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> }).exports?.['./esm/api']?.import?.default;
      if (entry) return pathToFileURL(join(dirname(manifest), entry)).href;
    } catch {
      // Not installed there.
    }
  }
  return null;
}

export async function loadObjective(command: string, path: string): Promise<Objective> {
  const file = resolve(path);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${command}: --objective names no file: '${path}' (${file} does not exist or is not a file)`);
  const url = pathToFileURL(file).href;
  let mod: { objective?: unknown; default?: unknown };
  // Running from TypeScript sources (tsx active), or a runtime that strips types: a plain import.
  const native = !TS.test(file) || import.meta.url.endsWith('.ts') || (process.features as { typescript?: unknown }).typescript;
  if (native) {
    mod = await import(url);
  } else {
    const api = tsxApi();
    if (api === null) throw new UsageError(`${command}: '${path}' is TypeScript; install tsx (npm install --save-dev tsx), use a Node that strips types, or pass the compiled .js file`);
    const { tsImport } = (await import(api)) as { tsImport: (specifier: string, parent: string) => Promise<typeof mod> };
    mod = await tsImport(url, import.meta.url);
  }
  const objective = typeof mod.objective === 'function' ? mod.objective : mod.default;
  if (typeof objective !== 'function') throw new UsageError(`${command}: the module '${path}' exports no objective function (export default or export const objective)`);
  return objective as Objective;
}
