/**
 * The games under examples/ are written as a user outside this repo would write them: they
 * may import only the package's public entry points, pixi.js, Node built-ins and their own
 * files (tests also vitest). Also: the three places that name the entry points agree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_ENTRIES } from '../../scripts/publicEntries.mjs';

const root = resolve(new URL('../..', import.meta.url).pathname);
const examplesDir = join(root, 'examples');
const PUBLIC = new Set(Object.keys(PUBLIC_ENTRIES));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'dist' || name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [p] : [];
  });
}

/** Every module specifier in `source`: static imports/exports, side-effect imports, import(). */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]);
  return out;
}

/** Why `spec` is not allowed in `file` (inside the game folder `gameDir`), or null. */
function forbidden(spec: string, file: string, gameDir: string): string | null {
  if (PUBLIC.has(spec) || spec === 'pixi.js') return null;
  if (spec.startsWith('node:') || builtinModules.includes(spec)) return null;
  if (spec === 'vitest' && /\.test\.ts$/.test(file)) return null;
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), spec);
    return target.startsWith(gameDir + sep) ? null : `reaches outside its game folder (${relative(root, target)})`;
  }
  return 'is not a public entry point (tickwire, tickwire/protocol, tickwire/client, tickwire/testing), pixi.js or a Node built-in';
}

describe('examples import only public entry points', () => {
  const games = readdirSync(examplesDir).filter((n) => statSync(join(examplesDir, n)).isDirectory());

  it('has at least one game, each with sources', () => {
    expect(games).toContain('tag');
    for (const g of games) expect(sourceFiles(join(examplesDir, g)).length).toBeGreaterThan(3);
  });

  it('finds no internal import in any example file', () => {
    const problems: string[] = [];
    for (const g of games) {
      const gameDir = join(examplesDir, g);
      for (const file of sourceFiles(gameDir)) {
        for (const spec of specifiers(readFileSync(file, 'utf8'))) {
          const why = forbidden(spec, file, gameDir);
          if (why) problems.push(`${relative(root, file)}: '${spec}' ${why}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the rule catches internal paths, other packages and escapes from the game folder', () => {
    const gameDir = join(examplesDir, 'tag');
    const file = join(gameDir, 'server', 'x.ts');
    const src = [
      "import { startServer } from '../../../server/app.js';",
      "export { Room } from 'tickwire/server/rooms/room';",
      "import 'ws';",
      "run(process.execPath, ['--import', 'tsx']);",
      "const m = await import('../../arena/x.js');",
      "import { tagMode } from './tagMode.js';",
      "import { Application } from 'pixi.js';",
      "import { readFileSync } from 'node:fs';",
      "import { defineMode } from 'tickwire';",
    ].join('\n');
    const flagged = specifiers(src).filter((s) => forbidden(s, file, gameDir));
    expect(flagged.sort()).toEqual(['../../../server/app.js', '../../arena/x.js', 'tickwire/server/rooms/room', 'ws']);
    expect(forbidden('vitest', file, gameDir)).not.toBeNull();
    expect(forbidden('vitest', join(gameDir, 'test', 'a.test.ts'), gameDir)).toBeNull();
  });
});

describe('entry points are named the same everywhere', () => {
  it('package.json exports, tsconfig paths and scripts/publicEntries.mjs agree', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
    const exported = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json')
      .map((k) => (k === '.' ? 'tickwire' : `tickwire/${k.slice(2)}`));
    expect(exported.sort()).toEqual([...PUBLIC].sort());
    const paths = Object.fromEntries(Object.entries(tsconfig.compilerOptions.paths as Record<string, string[]>).map(([k, v]) => [k, v[0].replace(/^\.\//, '')]));
    expect(paths).toEqual(PUBLIC_ENTRIES);
  });
});
