/**
 * The k6 compatibility runtime end to end, as a user runs it (the built
 * loadtest/dist/runtime/main.js on small scripts): per-VU globals, synchronous HTTP against
 * a local server, handleSummary's data and outputs, interrupts at the end of a scenario,
 * and the one-line errors with k6's exit codes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { MAX_RESPONSE_BYTES } from '../../loadtest/runtime/httpTypes.js';
import { MAX_WS_MESSAGE_BYTES } from '../../loadtest/runtime/modules/websockets.js';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNTIME = join(ROOT, 'loadtest/dist/runtime/main.js');
let dir: string;
let server: Server;
let wss: WebSocketServer;
let base: string;
const children = new Set<ChildProcess>();

function runScript(name: string, code: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const file = join(dir, name);
  writeFileSync(file, code);
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [RUNTIME, 'run', '-q', '-e', `BASE=${base}`, '-e', `OUT=${dir}`, ...args, file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      children.delete(child);
      resolvePromise({ code: exitCode, stdout, stderr, ms: Date.now() - started });
    });
  });
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['loadtest/build.mjs'], { cwd: ROOT });
  dir = mkdtempSync(join(tmpdir(), 'tickwire-k6rt-'));
  // A tiny HTTP server: echoes POST bodies as JSON, answers 404 elsewhere.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/hang') return; // never answers: for the request timeout
      if (req.url === '/big' || req.url === '/limit') {
        res.writeHead(200);
        res.end(Buffer.alloc(req.url === '/big' ? MAX_RESPONSE_BYTES + 1 : MAX_RESPONSE_BYTES, 97));
      } else if (req.url === '/echo') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
      } else {
        res.writeHead(404);
        res.end('nope');
      }
    });
  });
  // WebSocket: sends one binary message of the size the path asks for, then closes.
  wss = new WebSocketServer({ server, handleProtocols: (protocols) => [...protocols][0] ?? false });
  wss.on('connection', (ws, req) => {
    const size = Number(new URL(req.url!, 'http://x').searchParams.get('size'));
    ws.send(Buffer.alloc(size, 1), () => ws.close(4000, 'done'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  wss?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('loadtest runtime', () => {
  it('gives every VU its own globals and module state, and hands k6-shaped data to handleSummary', async () => {
    const r = await runScript(
      'isolation.js',
      `import { check } from "k6";
import { Counter, Trend } from "k6/metrics";
import exec from "k6/execution";
const perVu = new Counter("per_vu_inits");
const seen = new Trend("seen");
globalThis.initCount = (globalThis.initCount || 0) + 1;
let moduleIters = 0;
export const options = {
  scenarios: { a: { executor: "per-vu-iterations", vus: 4, iterations: 3 } },
  thresholds: { checks: ["rate==1"], seen: ["max<=3", "avg>0"] },
  summaryTrendStats: ["avg", "max", "count"],
};
export default function () {
  moduleIters++;
  globalThis.iters = (globalThis.iters || 0) + 1;
  check(null, {
    "init ran once in this VU": () => globalThis.initCount === 1,
    "module state is this VU's": () => moduleIters === exec.vu.iterationInScenario + 1,
    "globals are this VU's": () => globalThis.iters === moduleIters,
    "__ITER counts this VU's iterations": () => __ITER === moduleIters - 1,
  });
  seen.add(globalThis.iters);
  if (__ITER === 0) perVu.add(1, { vu: String(__VU) });
}
export function handleSummary(data) {
  return { stdout: "summary for " + Object.keys(data.metrics).length + " metrics\\n", [__ENV.OUT + "/isolation.json"]: JSON.stringify(data) };
}
`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^summary for \d+ metrics\n$/);
    const data = JSON.parse(readFileSync(join(dir, 'isolation.json'), 'utf8'));
    expect(data.metrics.iterations.values.count).toBe(12);
    expect(data.metrics.per_vu_inits.values.count).toBe(4);
    expect(data.metrics.seen).toEqual({ type: 'trend', contains: 'default', values: { avg: 2, max: 3, count: 12 }, thresholds: { 'max<=3': { ok: true }, 'avg>0': { ok: true } } });
    expect(data.metrics.checks.values).toEqual({ rate: 1, passes: 48, fails: 0 });
    expect(data.root_group.checks.map((c: { name: string; passes: number }) => [c.name, c.passes])).toEqual([
      ["init ran once in this VU", 12],
      ["module state is this VU's", 12],
      ["globals are this VU's", 12],
      ["__ITER counts this VU's iterations", 12],
    ]);
    expect(data.state.testRunDurationMs).toBeGreaterThan(0);
    expect(data.options.summaryTrendStats).toEqual(['avg', 'max', 'count']);
  }, 30_000);

  it('makes http.get/post synchronous, with status, body, json(), timings, and http_* metrics', async () => {
    const r = await runScript(
      'http.js',
      `import { check } from "k6";
import http from "k6/http";
export const options = { iterations: 2, vus: 1, thresholds: { checks: ["rate==1"], http_req_failed: ["rate<0.8"], http_reqs: ["count==8"] } };
export default function () {
  const res = http.post(__ENV.BASE + "/echo", JSON.stringify({ a: 1 }), { headers: { Authorization: "Bearer t" }, tags: { name: "echo" } });
  const body = res.json();
  check(res, {
    "post 200": (r) => r.status === 200,
    "post body echoed": () => body.method === "POST" && body.body === '{"a":1}' && body.auth === "Bearer t",
    "json() is an object of this VU's realm": () => Object.getPrototypeOf(body) === Object.prototype,
    "timings": (r) => r.timings.duration > 0 && r.timings.duration < 5000 && r.timings.waiting >= 0,
  });
  const missing = http.get(__ENV.BASE + "/missing");
  check(missing, { "get 404": (r) => r.status === 404 && r.body === "nope" && r.error === "" });
  const refused = http.get("http://127.0.0.1:1/");
  check(refused, { "refused: status 0 with an error": (r) => r.status === 0 && r.error !== "" && r.error_code > 0 });
  const started = Date.now();
  const hung = http.get(__ENV.BASE + "/hang", { timeout: "300ms" });
  check(hung, { "timeout: status 0, error_code 1050, after the timeout": (r) => r.status === 0 && r.error_code === 1050 && Date.now() - started >= 290 && Date.now() - started < 5000 });
}
export function handleSummary(data) { return { [__ENV.OUT + "/http.json"]: JSON.stringify(data) }; }
`,
    );
    expect(r.code, r.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(dir, 'http.json'), 'utf8'));
    expect(data.metrics.checks.values).toEqual({ rate: 1, passes: 14, fails: 0 });
    expect(data.metrics.http_req_failed.values).toEqual({ rate: 6 / 8, passes: 6, fails: 2 });
    expect(data.metrics.http_req_failed.thresholds['rate<0.8'].ok).toBe(true);
    expect(data.metrics.http_reqs.values.count).toBe(8);
    expect(data.metrics.data_received.values.count).toBeGreaterThan(0);
  }, 30_000);

  it('interrupts iterations still running after gracefulStop (a blocking sleep and a pending interval alike)', async () => {
    const r = await runScript(
      'interrupt.js',
      `import { sleep } from "k6";
import { setInterval } from "k6/timers";
import { Counter } from "k6/metrics";
const ticks = new Counter("ticks");
export const options = { scenarios: {
  sleeper: { executor: "constant-vus", vus: 1, duration: "1s", gracefulStop: "500ms", exec: "sleeper" },
  looper: { executor: "constant-vus", vus: 2, duration: "1s", gracefulStop: "500ms", exec: "looper" },
} };
export function sleeper() { sleep(30); }
export function looper() { setInterval(() => ticks.add(1), 50); }
export function handleSummary(data) { return { [__ENV.OUT + "/interrupt.json"]: JSON.stringify(data) }; }
`,
    );
    expect(r.code, r.stderr).toBe(0);
    // 1 s of scenario + 0.5 s grace, plus start-up: far below the 30 s sleep.
    expect(r.ms).toBeLessThan(15_000);
    const data = JSON.parse(readFileSync(join(dir, 'interrupt.json'), 'utf8'));
    // Interrupted iterations are not complete iterations, as in k6.
    expect(data.metrics.iterations).toBeUndefined();
    expect(data.metrics.ticks.values.count).toBeGreaterThan(10);
    expect(data.state.testRunDurationMs).toBeGreaterThanOrEqual(1500);
    expect(data.state.testRunDurationMs).toBeLessThan(5000);
  }, 30_000);

  it('fails with one line and k6 exit codes: unknown module 107, unsupported executor 104, test.abort 108, thresholds 99, Ctrl-C 105', async () => {
    const oneLine = (text: string) => text.trim().split('\n').filter((l) => l.startsWith('loadtest runtime:'));
    const mod = await runScript('module.js', 'import { randomBytes } from "k6/crypto";\nexport default function () {}\n');
    expect(mod.code).toBe(107);
    expect(mod.stderr.trim()).toBe(
      'loadtest runtime: the script imports "k6/crypto", which this runtime does not implement (it has k6, k6/http, k6/websockets, k6/timers, k6/metrics, k6/execution); run this script with k6',
    );
    const exe = await runScript('executor.js', 'export const options = { scenarios: { a: { executor: "ramping-arrival-rate", stages: [] } } };\nexport default function () {}\n');
    expect(exe.code).toBe(104);
    expect(oneLine(exe.stderr)).toEqual([expect.stringMatching(/executor "ramping-arrival-rate" is not supported by this runtime/)]);
    expect(exe.stderr.trim().split('\n')).toHaveLength(1);
    const thrown = await runScript('init-throw.js', 'throw new Error("-e TARGET=x: expected http://host:port");\nexport default function () {}\n');
    expect(thrown.code).toBe(107);
    expect(thrown.stderr.trim()).toMatch(/^loadtest runtime: the script failed in its init context: Error: -e TARGET=x: expected http:\/\/host:port \(at .*init-throw\.js:\d+:\d+\)$/);
    const abort = await runScript(
      'abort.js',
      'import exec from "k6/execution";\nexport const options = { vus: 1, duration: "30s" };\nexport default function () { exec.test.abort("enough"); }\nexport function handleSummary() { return {}; }\n',
    );
    expect(abort.code).toBe(108);
    expect(abort.stderr).toMatch(/test aborted: enough/);
    expect(abort.ms).toBeLessThan(15_000);
    const early = await runScript(
      'abort-on-fail.js',
      'import { Counter } from "k6/metrics";\nconst bad = new Counter("bad");\nexport const options = { vus: 1, duration: "60s", thresholds: { bad: [{ threshold: "count==0", abortOnFail: true }] } };\nexport default function () { bad.add(1); }\nexport function handleSummary() { return {}; }\n',
    );
    // Ctrl-C once the VUs run (the first iteration logs), not at a guessed moment.
    const stopped = runScript(
      'sigint.js',
      'import { sleep } from "k6";\nimport { Counter } from "k6/metrics";\nconst c = new Counter("ticks");\nexport const options = { vus: 2, duration: "60s" };\nexport default function () { if (__ITER === 0) console.log("running"); c.add(1); sleep(0.1); }\nexport function handleSummary(d) { return { stdout: "ticks " + d.metrics.ticks.values.count + "\\n" }; }\n',
    );
    const child = [...children].at(-1)!;
    await new Promise<void>((r) => {
      const onData = (c: Buffer) => {
        if (!c.toString().includes('running')) return;
        child.stderr!.off('data', onData);
        r();
      };
      child.stderr!.on('data', onData);
    });
    child.kill('SIGINT');
    const sig = await stopped;
    expect(sig.code, sig.stderr).toBe(105);
    expect(sig.stdout).toMatch(/^ticks [1-9]\d*\n$/);
    expect(sig.stderr).toMatch(/test aborted: stopped by SIGINT/);
    expect(sig.ms).toBeLessThan(20_000);
    expect(early.code).toBe(99);
    expect(early.stderr).toMatch(/threshold bad count==0 crossed \(abortOnFail\)/);
    expect(early.ms).toBeLessThan(20_000);
  }, 90_000);

  it('enforces the documented size limits: HTTP bodies and WebSocket messages of 16 MiB', async () => {
    expect([MAX_RESPONSE_BYTES, MAX_WS_MESSAGE_BYTES]).toEqual([16 * 1024 * 1024, 16 * 1024 * 1024]);
    const r = await runScript(
      'limits.js',
      `import http from "k6/http";
import { WebSocket } from "k6/websockets";
export const options = { iterations: 1 };
export default function () {
  const ok = http.get(__ENV.BASE + "/limit");
  const big = http.get(__ENV.BASE + "/big");
  const out = { ok: [ok.status, ok.body.length, ok.error_code], big: [big.status, big.body.length, big.error_code], ws: {} };
  let closed = 0;
  for (const size of [${MAX_WS_MESSAGE_BYTES}, ${MAX_WS_MESSAGE_BYTES + 1}]) {
    const seen = (out.ws[size] = { bytes: -1, errors: 0, close: null });
    const ws = new WebSocket(__ENV.BASE.replace("http", "ws") + "/?size=" + size, ["p"]);
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (e) => (seen.bytes = e.data.byteLength));
    ws.addEventListener("error", () => seen.errors++);
    ws.addEventListener("close", (e) => {
      seen.close = e.code;
      if (++closed === 2) console.log("RESULT " + JSON.stringify(out));
    });
  }
}
export function handleSummary() { return {}; }
`,
    );
    expect(r.code, r.stderr).toBe(0);
    const line = /RESULT (.*?)  source=console/.exec(r.stderr);
    expect(line, r.stderr).not.toBeNull();
    const out = JSON.parse(line![1]);
    expect(out.ok).toEqual([200, MAX_RESPONSE_BYTES, 0]);
    expect(out.big).toEqual([200, 0, 1100]);
    expect(out.ws[MAX_WS_MESSAGE_BYTES]).toEqual({ bytes: MAX_WS_MESSAGE_BYTES, errors: 0, close: 4000 });
    expect(out.ws[MAX_WS_MESSAGE_BYTES + 1]).toEqual({ bytes: -1, errors: 1, close: 1006 });
  }, 60_000);
});
