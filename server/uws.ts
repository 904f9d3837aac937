/**
 * Loads the best native uWebSockets.js build this machine can run, and never its JS
 * fallback. The only module that imports uWebSockets.js (everything else imports types
 * from here or from uwsTypes.ts).
 *
 * Candidates, in order:
 *   1. @btc-vision/uwebsockets.js 20.57 (optional dependency): a repack of official uWS
 *      v20.57 with binaries for Node 20/22/24/25, built against glibc 2.38 — so it loads on
 *      Debian 13 / Ubuntu 24.04 and newer, and throws on older systems.
 *   2. `uWebSockets.js` (@trufflesuite/uws-js-unofficial 20.30): Node 20 (and older) binaries
 *      that run on older glibc. When its binary does not match it prints a warning and
 *      returns a `ws`-based JS shim instead; we detect the shim and refuse it (it lacks
 *      uWS's performance and parts of its API).
 * Console output while probing (candidate 2's warnings) is swallowed: when nothing loads
 * the user gets ONE line naming Node, glibc and what to do, not a page of addon errors.
 */
import { createRequire } from 'node:module';
import type { UwsModule } from './uwsTypes.js';

export type { HttpRequest, HttpResponse, TemplatedApp, UwsModule, WebSocket, WebSocketBehavior, us_listen_socket } from './uwsTypes.js';

/** The candidates, best first. `name` is what logs and errors call the build. */
export const UWS_BUILDS = [
  { id: '@btc-vision/uwebsockets.js', name: 'uWS v20.57 (Node 20/22/24/25, glibc ≥ 2.38)' },
  { id: 'uWebSockets.js', name: 'uWS v20.30 (Node 20 build)' },
] as const;

/** What the error line reports about this machine. */
export interface UwsRuntime {
  node: string;
  platform: string;
  arch: string;
  /** glibc version at runtime; null without glibc (musl, macOS, Windows). */
  glibc: string | null;
}

export interface UwsLoaderDeps {
  /** `require` for the candidates (tests stub it). */
  require(id: string): unknown;
  /** The environment (UWS_USE_FALLBACK). */
  env: NodeJS.ProcessEnv;
  /** Facts for the error line; only asked for when nothing loads (a process report is slow). */
  runtime(): UwsRuntime;
}

export interface LoadedUws {
  uws: UwsModule;
  /** UWS_BUILDS[].name of the build that loaded. */
  build: string;
}

/** No native build loads: the message is one line for the CLI to print (exit 1). */
export class UwsUnavailableError extends Error {}

/** Why a candidate did not load; `detail` is the addon's error or the warnings it printed. */
export type UwsFailure = { kind: 'missing' } | { kind: 'fallback'; detail: string } | { kind: 'error'; detail: string };

export function isNativeUws(mod: unknown): boolean {
  const m = mod as Record<string, unknown> | null;
  // Only the native addon exports the shared compressor constants and getParts.
  return typeof m === 'object' && m !== null && typeof m.getParts === 'function' && 'SHARED_COMPRESSOR' in m && typeof m.App === 'function';
}

export function currentRuntime(): UwsRuntime {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return { node: process.versions.node, platform: process.platform, arch: process.arch, glibc: header?.glibcVersionRuntime ?? null };
}

/** The values the Node-20 package itself takes as "use the JS fallback". */
function fallbackRequested(env: NodeJS.ProcessEnv): boolean {
  const flag = env.UWS_USE_FALLBACK;
  return flag !== undefined && ['true', '1'].includes(flag.toLowerCase());
}

const defaultDeps: UwsLoaderDeps = { require: createRequire(import.meta.url), env: process.env, runtime: currentRuntime };

/** Picks the first candidate that loads natively; throws UwsUnavailableError otherwise. */
export function chooseUws(deps: UwsLoaderDeps = defaultDeps): LoadedUws {
  const failures: UwsFailure[] = [];
  if (fallbackRequested(deps.env)) {
    throw new UwsUnavailableError('UWS_USE_FALLBACK is set, but Tickwire runs only on native uWebSockets.js, never its slow JS fallback: unset UWS_USE_FALLBACK');
  }
  for (const build of UWS_BUILDS) {
    const { result, printed } = quietly(() => probe(deps, build.id));
    if ('uws' in result) return { uws: result.uws, build: build.name };
    failures.push(result.kind === 'fallback' ? { kind: 'fallback', detail: printed } : result);
  }
  throw new UwsUnavailableError(describeFailure(deps.runtime(), failures[0]!, failures[1]!));
}

let loaded: LoadedUws | null = null;

/** The process's uWS module (chosen once, then cached). */
export function loadUws(): UwsModule {
  loaded ??= chooseUws();
  return loaded.uws;
}

/** Which build loadUws() chose, for the start-up log. */
export function uwsBuildName(): string {
  loaded ??= chooseUws();
  return loaded.build;
}

function probe(deps: UwsLoaderDeps, id: string): { uws: UwsModule } | UwsFailure {
  let mod: unknown;
  try {
    mod = deps.require(id);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // Not installed at all (as opposed to installed with a binary that does not load).
    if (err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${id}'`)) return { kind: 'missing' };
    return { kind: 'error', detail: String(err.message ?? err) };
  }
  return isNativeUws(mod) ? { uws: mod as UwsModule } : { kind: 'fallback', detail: '' };
}

/**
 * Runs `fn` with the console captured instead of printed: the Node-20 package warns before
 * falling back to its shim. What it printed becomes the failure's detail.
 */
function quietly<T>(fn: () => T): { result: T; printed: string } {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const printed: string[] = [];
  const capture = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  Object.assign(console, { log: capture, info: capture, warn: capture, error: capture, debug: capture });
  try {
    return { result: fn(), printed: printed.join('\n') };
  } finally {
    Object.assign(console, saved);
  }
}

const NEEDED_GLIBC = [2, 38];
const REPACK_NODE_MAJORS = [20, 22, 24, 25];

function glibcAtLeast(version: string, [major, minor]: number[]): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major! || (a === major && b >= minor!);
}

/** One line: the machine, why each build did not load, and what to do. */
export function describeFailure(rt: UwsRuntime, repack: UwsFailure, node20: UwsFailure): string {
  const major = Number(rt.node.split('.')[0]);
  const libc = rt.platform !== 'linux' ? '' : rt.glibc ? `, glibc ${rt.glibc}` : ', no glibc (musl?)';
  const head = `no native uWebSockets.js loads on Node ${rt.node} (${rt.platform}-${rt.arch}${libc})`;
  const oldGlibc = rt.platform === 'linux' && rt.glibc !== null && !glibcAtLeast(rt.glibc, NEEDED_GLIBC);
  const musl = rt.platform === 'linux' && rt.glibc === null;

  let why: string;
  let fix: string;
  if (musl) {
    why = 'both builds need glibc (musl/Alpine is not supported)';
    fix = 'use a glibc system or image, e.g. node:22-trixie-slim or node:20-bookworm-slim';
  } else if (major === 20) {
    // The Node-20 build loads on any supported Node 20 system: the install is broken or the platform is not supported.
    why = `the Node 20 build did not load (${node20.kind === 'missing' ? 'uWebSockets.js is not installed' : firstLine(node20.detail)})`;
    fix = 'reinstall dependencies (rm -rf node_modules && npm ci) on Linux, macOS or Windows, x64 or arm64';
  } else if (repack.kind === 'missing') {
    why = 'the Node 22/24 build (optional dependency @btc-vision/uwebsockets.js) is not installed and the other build supports Node 20 only';
    fix = 'run npm install without --omit=optional, or use Node 20 (nvm install reads .nvmrc)';
  } else if (oldGlibc) {
    why = `the Node 22/24 build needs glibc ≥ ${NEEDED_GLIBC.join('.')} and the other build supports Node 20 only`;
    fix = 'use Node 20 here (nvm install reads .nvmrc), or Node 22/24 on glibc 2.38+ (Debian 13, Ubuntu 24.04)';
  } else if (!REPACK_NODE_MAJORS.includes(major)) {
    why = 'there are builds for Node 20, 22, 24 and 25 only';
    fix = 'use Node 22 or 24 (or Node 20: nvm install reads .nvmrc)';
  } else {
    why = `the Node 22/24 build did not load (${repack.kind === 'error' ? firstLine(repack.detail) : 'no native binary'})`;
    fix = 'use Linux, macOS or Windows on x64 or arm64, or Node 20 (nvm install reads .nvmrc)';
  }
  return `${head}: ${why}; ${fix} (see "Node and glibc" in docs/hosting.md)`;
}

/** The useful line of an addon error (the loader's own preamble is the first). */
function firstLine(detail: string): string {
  const lines = detail.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /^Error:|not found|cannot open|invalid ELF|wrong ELF/i.test(l)) ?? lines[0] ?? 'unknown error';
  return line.replace(/^Error:\s*/, '').slice(0, 200);
}
