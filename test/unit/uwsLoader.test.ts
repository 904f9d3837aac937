/**
 * server/uws.ts: which native uWebSockets.js build the loader picks, and the one line it
 * gives when none loads. `require` and the runtime facts are stubbed, so every machine
 * (Node 20/22/24, old or new glibc, musl) is covered here whatever this machine is.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseUws, loadUws, UWS_BUILDS, UwsUnavailableError, type UwsLoaderDeps, type UwsRuntime } from '../../server/uws.js';
import { LISTEN_EXCLUSIVE_PORT } from '../../server/uwsTypes.js';

const REPACK = '@btc-vision/uwebsockets.js';
const NODE20 = 'uWebSockets.js';

/** Something that passes for the native addon. */
function fakeNative(tag: string) {
  return { tag, App: () => ({}), getParts: () => undefined, SHARED_COMPRESSOR: 1 };
}
/** What the Node-20 package returns when its binary does not load: the `ws` shim. */
const jsFallback = { App: () => ({}) };

function runtime(over: Partial<UwsRuntime> = {}): () => UwsRuntime {
  return () => ({ node: '22.11.0', platform: 'linux', arch: 'x64', glibc: '2.36', ...over });
}

function glibcError(): Error {
  return new Error(
    'This version of uWS.js (v20.57.0) supports only Node.js versions 20, 22, 24 and 25 on (glibc) Linux, macOS and Windows.\n\n' +
      "Error: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /app/node_modules/@btc-vision/uwebsockets.js/uws_linux_x64_127.node)",
  );
}

function notInstalled(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- /app/server/uws.ts`), { code: 'MODULE_NOT_FOUND' });
}

/** A require that answers per id and records what was asked. */
function stubRequire(answers: Record<string, () => unknown>) {
  const asked: string[] = [];
  return {
    asked,
    require(id: string): unknown {
      asked.push(id);
      const a = answers[id];
      if (!a) throw notInstalled(id);
      return a();
    },
  };
}

function failWith(deps: UwsLoaderDeps): string {
  try {
    chooseUws(deps);
  } catch (e) {
    expect(e).toBeInstanceOf(UwsUnavailableError);
    const msg = (e as Error).message;
    expect(msg.split('\n')).toHaveLength(1);
    return msg;
  }
  throw new Error('expected chooseUws to fail');
}

afterEach(() => vi.restoreAllMocks());

describe('picking a build', () => {
  it('takes the v20.57 repack where its binary loads, without touching the Node-20 build', () => {
    const r = stubRequire({ [REPACK]: () => fakeNative('repack'), [NODE20]: () => fakeNative('node20') });
    const loaded = chooseUws({ require: r.require, env: {}, runtime: runtime({ node: '24.4.0', glibc: '2.39' }) });
    expect((loaded.uws as unknown as { tag: string }).tag).toBe('repack');
    expect(loaded.build).toBe(UWS_BUILDS[0].name);
    expect(r.asked).toEqual([REPACK]);
  });

  it('falls back to the Node-20 build when the repack needs a newer glibc, prints nothing while probing, asks no runtime facts', () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const r = stubRequire({
      [REPACK]: () => {
        throw glibcError();
      },
      [NODE20]: () => {
        console.warn('This version of µWS is not compatible with your Node.js build'); // what the package does on other paths
        return fakeNative('node20');
      },
    });
    const facts = vi.fn(runtime({ node: '20.20.2' }));
    const loaded = chooseUws({ require: r.require, env: {}, runtime: facts });
    expect(facts).not.toHaveBeenCalled();
    expect((loaded.uws as unknown as { tag: string }).tag).toBe('node20');
    expect(loaded.build).toBe(UWS_BUILDS[1].name);
    expect(r.asked).toEqual([REPACK, NODE20]);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    // The console is back once the probe is over.
    console.warn('after');
    expect(warn).toHaveBeenCalledWith('after');
  });

  it('falls back to the Node-20 build when the optional repack is not installed', () => {
    const r = stubRequire({ [NODE20]: () => fakeNative('node20') });
    expect(chooseUws({ require: r.require, env: {}, runtime: runtime({ node: '20.20.2' }) }).build).toBe(UWS_BUILDS[1].name);
  });

  it('refuses the JS fallback of the Node-20 package', () => {
    const r = stubRequire({
      [REPACK]: () => {
        throw glibcError();
      },
      [NODE20]: () => {
        console.warn("This version of µWS is not compatible with your Node.js build:\n\nError: Cannot find module '../binaries/uws_linux_x64_127.node'");
        console.warn('Falling back to a NodeJS implementation; performance may be degraded.');
        return jsFallback;
      },
    });
    const msg = failWith({ require: r.require, env: {}, runtime: runtime() });
    expect(msg).not.toContain('Falling back');
    // On Node 20 the shim means a broken install; the line quotes the warning's error.
    const on20 = failWith({ require: r.require, env: {}, runtime: runtime({ node: '20.20.2' }) });
    expect(on20).toMatch(/Node 20 build did not load \(Cannot find module '\.\.\/binaries\/uws_linux_x64_127\.node'\); reinstall dependencies/);
  });

  it('UWS_USE_FALLBACK is refused up front, before anything is loaded', () => {
    const r = stubRequire({ [REPACK]: () => fakeNative('repack'), [NODE20]: () => fakeNative('node20') });
    for (const value of ['1', 'true', 'TRUE']) {
      const msg = failWith({ require: r.require, env: { UWS_USE_FALLBACK: value }, runtime: runtime() });
      expect(msg).toMatch(/UWS_USE_FALLBACK is set.*unset UWS_USE_FALLBACK/);
    }
    expect(r.asked).toEqual([]);
    // Any other value is not a request for the fallback (the package ignores it too).
    expect(chooseUws({ require: r.require, env: { UWS_USE_FALLBACK: '0' }, runtime: runtime() }).build).toBe(UWS_BUILDS[0].name);
  });
});

describe('the one line when nothing loads', () => {
  const bothFail = (node20: () => unknown = () => jsFallback) =>
    stubRequire({
      [REPACK]: () => {
        throw glibcError();
      },
      [NODE20]: node20,
    });

  it('Node 22 on glibc 2.36 (Debian 12): names Node and glibc, says use Node 20 or glibc 2.38+', () => {
    const msg = failWith({ require: bothFail().require, env: {}, runtime: runtime({ node: '22.11.0', glibc: '2.36' }) });
    expect(msg).toBe(
      'no native uWebSockets.js loads on Node 22.11.0 (linux-x64, glibc 2.36): the Node 22/24 build needs glibc ≥ 2.38 and the other build supports Node 20 only; ' +
        'use Node 20 here (nvm install reads .nvmrc), or Node 22/24 on glibc 2.38+ (Debian 13, Ubuntu 24.04) (see "Node and glibc" in docs/hosting.md)',
    );
  });

  it('Node 24 without the optional dependency: says how to install it', () => {
    const r = stubRequire({ [NODE20]: () => jsFallback });
    const msg = failWith({ require: r.require, env: {}, runtime: runtime({ node: '24.4.0', glibc: '2.39' }) });
    expect(msg).toContain('Node 24.4.0 (linux-x64, glibc 2.39)');
    expect(msg).toMatch(/optional dependency @btc-vision\/uwebsockets\.js\) is not installed.*npm install without --omit=optional/);
  });

  it('Alpine (musl, no glibc): says to use a glibc image', () => {
    const msg = failWith({ require: bothFail().require, env: {}, runtime: runtime({ node: '22.11.0', glibc: null }) });
    expect(msg).toContain('(linux-x64, no glibc (musl?))');
    expect(msg).toMatch(/musl\/Alpine is not supported\); use a glibc system or image/);
  });

  it('an unsupported Node major on a new glibc: names the supported ones', () => {
    const r = stubRequire({
      [REPACK]: () => {
        throw new Error("This version of uWS.js (v20.57.0) supports only Node.js versions 20, 22, 24 and 25\n\nError: Cannot find module './uws_linux_x64_131.node'");
      },
      [NODE20]: () => jsFallback,
    });
    const msg = failWith({ require: r.require, env: {}, runtime: runtime({ node: '23.1.0', glibc: '2.39' }) });
    expect(msg).toMatch(/builds for Node 20, 22, 24 and 25 only; use Node 22 or 24/);
  });

  it('Node 20 where even the Node-20 build fails: a broken install, with the addon error', () => {
    const r = bothFail(() => {
      throw new Error('Error: /app/node_modules/uWebSockets.js/binaries/uws_linux_x64_115.node: invalid ELF header');
    });
    const msg = failWith({ require: r.require, env: {}, runtime: runtime({ node: '20.20.2', glibc: '2.36' }) });
    expect(msg).toMatch(/Node 20 build did not load \(.*invalid ELF header\); reinstall dependencies/);
  });

  it('macOS shows no glibc part', () => {
    const r = stubRequire({
      [REPACK]: () => {
        throw new Error('Error: dlopen failed: code signature invalid');
      },
      [NODE20]: () => jsFallback,
    });
    const msg = failWith({ require: r.require, env: {}, runtime: runtime({ node: '22.11.0', platform: 'darwin', arch: 'arm64', glibc: null }) });
    expect(msg).toContain('Node 22.11.0 (darwin-arm64)');
    expect(msg).toContain('Node 22/24 build did not load (dlopen failed: code signature invalid)');
  });
});

describe('on this machine', () => {
  it('loads a native build, which takes the exclusive listen option we pass', () => {
    const uws = loadUws() as unknown as Record<string, unknown>;
    expect(typeof uws.App).toBe('function');
    // Our constant is the addon's own value (exported by the builds that export it).
    if ('LIBUS_LISTEN_EXCLUSIVE_PORT' in uws) expect(uws.LIBUS_LISTEN_EXCLUSIVE_PORT).toBe(LISTEN_EXCLUSIVE_PORT);
  });
});
