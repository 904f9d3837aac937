/**
 * The layer rules, checked on every import of every TypeScript file in the repository
 * (static imports, re-exports and dynamic `import()`, read with TypeScript's own
 * pre-processor). Each rule names the files it governs and what they may not import (or,
 * for the strictest layers, the only things they may import). To add a layer, add a rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'build', 'coverage']);

/** One import: the importing file and what it names — a repo path ("server/x.ts") or a package specifier. */
interface Import {
  file: string;
  /** Repo-relative target for relative imports (extension normalized to .ts), else null. */
  path: string | null;
  /** The specifier as written. */
  spec: string;
}

interface Rule {
  name: string;
  /** Which importing files the rule governs. */
  applies(file: string): boolean;
  /** A message when `imp` breaks the rule, else null. */
  check(imp: Import): string | null;
}

const under = (...dirs: string[]) => (p: string | null) => p !== null && dirs.some((d) => p === d || p.startsWith(`${d}/`));
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec);
const pkgName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

function forbid(name: string, applies: (f: string) => boolean, bad: (imp: Import) => boolean): Rule {
  return { name, applies, check: (imp) => (bad(imp) ? `${name}: ${imp.file} imports ${imp.path ?? imp.spec}` : null) };
}
function onlyAllow(name: string, applies: (f: string) => boolean, ok: (imp: Import) => boolean): Rule {
  return { name, applies, check: (imp) => (ok(imp) ? null : `${name}: ${imp.file} imports ${imp.path ?? imp.spec}`) };
}

/** The server core: everything under server/ except the games and the serve app's entry points. */
const isServerCore = (f: string) => f.startsWith('server/') && !f.startsWith('server/game/') && !/^server\/(cli[^/]*|main)\.ts$/.test(f);
/**
 * The one allowance into examples/: the serve app's mode list (server/cliModes.ts) hosts
 * the example games beside the arena, so it imports their server side (a plugin built on
 * the public API only) — never their clients, tools or tests, and no other server file may.
 */
const isServeAppGame = (i: Import) => i.file === 'server/cliModes.ts' && i.path !== null && /^examples\/[^/]+\/server\//.test(i.path);
/** Services: rooms and what sits beside them; they never know how they are reached. */
const SERVICES = ['server/rooms', 'server/lobby', 'server/admin', 'server/notifications', 'server/presence', 'server/auth', 'server/limits', 'server/observability', 'server/modes'];

export const RULES: readonly Rule[] = [
  onlyAllow('protocol imports only protocol (and msgpack)', under('protocol'), (i) => (i.path ? under('protocol')(i.path) : i.spec === '@msgpack/msgpack')),
  forbid('server never imports clients, tools or tests', under('server'), (i) => under('game-client', 'client', 'loadtest', 'test', 'bench', 'probe', 'examples', 'testing')(i.path) && !isServeAppGame(i)),
  forbid('the server core never imports a game (games are registered: server/cliModes.ts)', isServerCore, (i) => under('server/game')(i.path)),
  onlyAllow(
    'game code imports only protocol, the GameMode contract and plugin types (never transport)',
    under('server/game'),
    (i) => (i.path ? under('protocol', 'server/game', 'server/modes')(i.path) || i.path === 'server/rooms/gameMode.ts' : isBuiltin(i.spec)),
  ),
  forbid('transport never imports services above it (invert through an interface)', under('server/transport'), (i) =>
    under('server/lobby', 'server/admin', 'server/http', 'server/app', 'server/cluster', 'server/notifications', 'server/game')(i.path),
  ),
  forbid('services never import transport, HTTP or the app composition', under(...SERVICES), (i) => under('server/transport', 'server/http', 'server/app', 'server/cluster')(i.path) || i.path === 'server/app.ts'),
  forbid(
    'uWebSockets.js only through server/uws.ts',
    (f) => !f.startsWith('test/') && f !== 'server/uws.ts' && f !== 'server/uwsTypes.ts',
    (i) => i.path === null && pkgName(i.spec) === 'uWebSockets.js',
  ),
  forbid('the browser game never imports the server', under('game-client'), (i) => under('server')(i.path)),
  // tickwire/client (engineer "client"): no Pixi, no DOM game, no server.
  forbid('client/ (tickwire/client) imports neither Pixi nor the server nor the browser game', under('client'), (i) => under('server', 'game-client')(i.path) || (i.path === null && pkgName(i.spec) === 'pixi.js')),
  // examples/: each game is built only from the public entry points, like a game outside
  // this repo (its own folder, Node built-ins, pixi.js; its tests also vitest).
  onlyAllow('examples import only public entry points, pixi.js, built-ins and their own folder', under('examples'), (i) =>
    i.path
      ? under(i.file.split('/').slice(0, 2).join('/'))(i.path)
      : isBuiltin(i.spec) || ['tickwire', 'tickwire/protocol', 'tickwire/client', 'tickwire/testing', 'pixi.js'].includes(i.spec) || (i.spec === 'vitest' && i.file.endsWith('.test.ts')),
  ),
];

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) tsFiles(join(dir, e.name), out);
    } else if (/\.(ts|mts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(join(dir, e.name));
  }
  return out;
}

/** Every import of one file's source. */
export function importsOf(file: string, source: string): Import[] {
  const info = ts.preProcessFile(source, true, true);
  return info.importedFiles.map(({ fileName: spec }) => {
    if (!spec.startsWith('.')) return { file, path: null, spec };
    const abs = resolve(ROOT, dirname(file), spec).replace(/\.(m?js)$/, '.ts');
    return { file, path: relative(ROOT, abs).split('\\').join('/'), spec };
  });
}

export function violations(imports: readonly Import[], rules: readonly Rule[] = RULES): string[] {
  const out: string[] = [];
  for (const imp of imports) for (const r of rules) if (r.applies(imp.file)) {
    const v = r.check(imp);
    if (v) out.push(v);
  }
  return out;
}

describe('layer rules', () => {
  const files = tsFiles(ROOT).map((f) => relative(ROOT, f).split('\\').join('/'));
  const all = files.flatMap((f) => importsOf(f, readFileSync(join(ROOT, f), 'utf8')));

  it('reads the whole repository', () => {
    expect(files).toContain('server/app.ts');
    expect(files).toContain('protocol/index.ts');
    expect(all.length).toBeGreaterThan(500);
  });

  it('holds for every import', () => {
    expect(violations(all)).toEqual([]);
  });

  it('catches each kind of violation (the rules can fail)', () => {
    const fake = (file: string, source: string) => violations(importsOf(file, source));
    expect(fake('protocol/x.ts', "import { a } from '../server/clock.js';")).toHaveLength(1);
    expect(fake('protocol/x.ts', "import ws from 'ws';")).toHaveLength(1);
    expect(fake('server/http/x.ts', "import { arenaMode } from '../game/arena/arenaMode.js';")).toHaveLength(1);
    expect(fake('server/cliModes.ts', "import { arenaPlugin } from './game/arena/arenaPlugin.js';")).toEqual([]);
    expect(fake('server/cliModes.ts', "import { tagPlugin } from '../examples/tag/server/tagPlugin.js';")).toEqual([]);
    expect(fake('server/cliModes.ts', "import { x } from '../examples/tag/client/main.js';")).toHaveLength(1);
    expect(fake('server/cliOptions.ts', "import { tagPlugin } from '../examples/tag/server/tagPlugin.js';")).toHaveLength(1);
    expect(fake('server/rooms/x.ts', "import { tagMode } from '../../examples/tag/server/tagMode.js';")).toHaveLength(1);
    expect(fake('server/game/tag/tag.ts', "export * from '../../transport/namespace.js';")).toHaveLength(1);
    expect(fake('server/transport/x.ts', "const m = await import('../lobby/lobbyService.js');")).toHaveLength(1);
    expect(fake('server/rooms/x.ts', "import type { X } from '../http/exchange.js';")).toHaveLength(1);
    expect(fake('server/app/x.ts', "import uWS from 'uWebSockets.js';")).toHaveLength(1);
    expect(fake('game-client/x.ts', "import { Room } from '../server/rooms/room.js';")).toHaveLength(1);
    expect(fake('client/x.ts', "import { Application } from 'pixi.js';")).toHaveLength(1);
    expect(fake('examples/tag/server/mode.ts', "import { defineMode } from 'tickwire';")).toEqual([]);
    expect(fake('examples/tag/server/mode.ts', "import { Room } from '../../../server/rooms/room.js';")).toHaveLength(1);
    expect(fake('examples/tag/server/mode.ts', "import { x } from '../../arena/mode.js';")).toHaveLength(1);
    expect(fake('examples/tag/server/mode.ts', "import WebSocket from 'ws';")).toHaveLength(1);
    expect(fake('examples/tag/server/mode.ts', "import { it } from 'vitest';")).toHaveLength(1);
    expect(fake('examples/tag/test/mode.test.ts', "import { it } from 'vitest';")).toEqual([]);
  });
});
