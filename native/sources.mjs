#!/usr/bin/env node
// The one list of C++ sources of the CPU addon. binding.gyp (node-gyp) and CMakeLists.txt
// (cmake-js) both call this script, so the two builds cannot drift apart.
// Every .cc under native/napi, native/common and native/cpu belongs to the addon;
// native/cuda is a separate library built only by CMake.
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const folders = ['native/napi', 'native/common', 'native/cpu'];

export function addonSources() {
  return folders
    .flatMap((folder) =>
      readdirSync(join(root, folder))
        .filter((name) => name.endsWith('.cc'))
        .map((name) => relative(root, join(root, folder, name)).split('\\').join('/')),
    )
    .sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // gyp splits on whitespace; CMake reads one path per line.
  process.stdout.write(addonSources().join(process.argv.includes('--lines') ? '\n' : ' ') + '\n');
}
