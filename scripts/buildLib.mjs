// Builds the library half of the package into lib/ (`npm run build:lib`, and `prepack`):
// one esbuild pass over the four public entry points with code splitting, so a class
// shared by two entries (ManualClock in `tickwire` and `tickwire/testing`) is one class,
// then `tsc -p tsconfig.lib.json` for the .d.ts files. Dependencies stay imports. The
// app server (`npm start`, the `tickwire` command) is still built by scripts/build.mjs.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PUBLIC_ENTRIES } from './publicEntries.mjs';

/** lib/<name>.js per entry point: `tickwire` → index, `tickwire/protocol` → protocol… */
export const LIB_FILES = Object.fromEntries(
  Object.entries(PUBLIC_ENTRIES).map(([name, source]) => [name === 'tickwire' ? 'index' : name.slice('tickwire/'.length), source]),
);

rmSync('lib', { recursive: true, force: true });
await esbuild.build({
  entryPoints: LIB_FILES,
  outdir: 'lib',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
});
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// --noCheck: declarations only, no second type check — `tsc -p .` (npm test, typecheck)
// checks the same files, and the emitted .d.ts are identical either way (compared when
// this was written); it halves the build, which the pack test runs.
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.lib.json', '--noCheck'], { stdio: 'inherit' });
console.log(`build: lib/{${Object.keys(LIB_FILES).join(',')}}.js and lib/types/`);
