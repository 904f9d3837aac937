/**
 * A VU of the loadtest runtime in-process: its own vm context and globals, the k6 module
 * objects (unknown modules and exports fail by name), the iteration's event loop (timers
 * keep it alive, an exception in a callback ends it, an interrupt cancels it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScript } from '../../loadtest/runtime/bundle.js';
import { RuntimeError } from '../../loadtest/runtime/errors.js';
import { compileScript } from '../../loadtest/runtime/moduleTable.js';
import { blockingSleep } from '../../loadtest/runtime/syncHttp.js';
import { VuInstance } from '../../loadtest/runtime/vuInstance.js';
import type { IterationInfo, ThreadServices } from '../../loadtest/runtime/vuServices.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tickwire-vu-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function services(samples: Array<[string, number, Record<string, string>]>, logs: string[] = []): ThreadServices {
  return {
    define: () => {},
    emit: (m, v, t) => samples.push([m, v, t]),
    sleep: (ms, interrupted) => blockingSleep(ms, interrupted),
    http: () => null,
    isInterrupted: () => false,
    abortTest: () => {},
    log: (line) => logs.push(line),
    startedAt: Date.now(),
  };
}

function vusFor(code: string, count: number, samples: Array<[string, number, Record<string, string>]> = []) {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(file, code);
  const script = compileScript(loadScript(file));
  return Array.from({ length: count }, (_, i) => {
    const vu = new VuInstance(i + 1, services(samples), { GREETING: 'hi' });
    vu.init(script);
    return vu;
  });
}

const iteration = (seq: number, i = 0): IterationInfo => ({
  seq,
  exec: 'default',
  scenario: { name: 's', executor: 'constant-vus', startTime: 0 },
  iterationInScenario: i,
  iterationInTest: i,
  dataJson: null,
});

describe('a VU of the runtime', () => {
  it('runs the init code once per VU, each in its own globals', async () => {
    const vus = vusFor(
      `globalThis.inits = (globalThis.inits || 0) + 1;
let mine = 0;
export default function () { mine++; globalThis.seen = [__VU, __ITER, globalThis.inits, mine, __ENV.GREETING, typeof process, typeof require]; return globalThis.seen; }
`,
      2,
    );
    const a1 = await vus[0].call('default', 'iteration', undefined, iteration(1, 0));
    const a2 = await vus[0].call('default', 'iteration', undefined, iteration(2, 1));
    const b1 = await vus[1].call('default', 'iteration', undefined, iteration(3, 0));
    // Node's globals are not there; k6's are (k6 scripts may require() k6 modules too).
    expect([a1.value, a2.value, b1.value].map((v) => [...(v as unknown[])])).toEqual([
      [1, 0, 1, 1, 'hi', 'undefined', 'function'],
      [1, 1, 1, 2, 'hi', 'undefined', 'function'],
      [2, 0, 1, 1, 'hi', 'undefined', 'function'],
    ]);
  });

  it('keeps an iteration alive while a timer is pending, and tags samples with the scenario', async () => {
    const samples: Array<[string, number, Record<string, string>]> = [];
    const [vu] = vusFor(
      `import { setTimeout } from "k6/timers";
import { Counter } from "k6/metrics";
const c = new Counter("later");
export default function () { setTimeout(() => c.add(2, { t: "x" }), 30); }
`,
      1,
      samples,
    );
    const started = Date.now();
    const end = await vu.call('default', 'iteration', undefined, iteration(1));
    expect(end.status).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(samples).toEqual([['later', 2, { scenario: 's', t: 'x' }]]);
  });

  it('ends the iteration with the error thrown in a callback, and an interrupt cancels pending work', async () => {
    const [vu] = vusFor(
      `import { setTimeout, setInterval } from "k6/timers";
export function boom() { setTimeout(() => { throw new Error("bad frame"); }, 5); }
export default function () { setInterval(() => {}, 10); }
`,
      1,
    );
    const failed = await vu.call('boom', 'iteration', undefined, iteration(1));
    expect(failed.status).toBe('error');
    expect((failed.error as Error).message).toBe('bad frame');
    const pending = vu.call('default', 'iteration', undefined, iteration(2));
    await new Promise((r) => setTimeout(r, 30));
    vu.interrupt(1); // a stale iteration number changes nothing
    vu.interrupt(2);
    expect((await pending).status).toBe('interrupted');
  });

  it('names an unknown module or export in one line, at require or at first use', async () => {
    const [vu] = vusFor(
      `import * as k6 from "k6";
export function group() { return k6.group("g", () => {}); }
export function crypto() { return require("k6/crypto"); }
`,
      1,
    );
    const g = await vu.call('group', 'iteration', undefined, iteration(1));
    expect(g.error).toBeInstanceOf(RuntimeError);
    expect((g.error as Error).message).toBe('the script imports "group" from "k6", which this runtime does not implement (it has check, sleep, fail); run this script with k6');
    const c = await vu.call('crypto', 'iteration', undefined, iteration(2));
    expect((c.error as Error).message).toMatch(/^the script imports "k6\/crypto", which this runtime does not implement/);
  });

  it('refuses metrics declared outside the init context and timers in it', () => {
    expect(() => vusFor('import { setTimeout } from "k6/timers";\nsetTimeout(() => {}, 1);\n', 1)).toThrow(/setTimeout: only allowed inside VU code/);
  });
});
