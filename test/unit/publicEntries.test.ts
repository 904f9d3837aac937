/**
 * The package's four entry points are named in three places that must agree: package.json
 * `exports` (an installed package), tsconfig `paths` (type-checking in this repo) and
 * scripts/publicEntries.mjs (vitest aliases, the example bundler, the lib build). What
 * examples/ may import is a layer rule in layers.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_ENTRIES } from '../../scripts/publicEntries.mjs';

const root = resolve(new URL('../..', import.meta.url).pathname);

describe('entry points are named the same everywhere', () => {
  it('package.json exports, tsconfig paths and scripts/publicEntries.mjs agree', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
    const exported = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json')
      .map((k) => (k === '.' ? 'tickwire' : `tickwire/${k.slice(2)}`));
    expect(exported.sort()).toEqual(Object.keys(PUBLIC_ENTRIES).sort());
    const paths = Object.fromEntries(Object.entries(tsconfig.compilerOptions.paths as Record<string, string[]>).map(([k, v]) => [k, v[0].replace(/^\.\//, '')]));
    expect(paths).toEqual(PUBLIC_ENTRIES);
    // Each entry's types and code sit where the lib build writes them.
    expect(pkg.exports['.']).toEqual({ types: './lib/types/server/index.d.ts', default: './lib/index.js' });
    for (const sub of ['protocol', 'client', 'testing']) expect(pkg.exports[`./${sub}`]).toEqual({ types: `./lib/types/${sub}/index.d.ts`, default: `./lib/${sub}.js` });
  });
});
