/**
 * The k6 smoke scenario, the exact bundle loadtest/dist/smoke.js, against a real server: 20
 * VUs for 20 s of play, each matchmaking, playing and leaving a few times. It runs through
 * our Node runtime (loadtest/runtime/) always, and through real k6 as well when `k6` is on
 * PATH (that case is skipped with a printed reason otherwise). Each run passes when it exits
 * 0 with every threshold evaluated and met, and the server's own counters agree with what
 * the run says it did. A second runtime run with an impossible threshold must exit 99.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/testServer.js';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNTIME = join(ROOT, 'loadtest/dist/runtime/main.js');
const VUS = 20;
const DURATION_S = 20;
const k6Version = spawnSync('k6', ['version'], { encoding: 'utf8' });
const HAS_K6 = !k6Version.error && k6Version.status === 0;
if (!HAS_K6) console.log('k6-smoke: the real-k6 case is SKIPPED: no `k6` on PATH (install k6 ≥ 1.0 to run the bundle through it too)');

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server | undefined;
const children = new Set<ChildProcess>();
let outDir: string | undefined;

/** A counter's value in Prometheus text, summed over its label sets (0 if declared but never counted). */
function counter(text: string, name: string): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const m = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && m[1] === name) {
      sum += Number(m[3]);
      found = true;
    }
  }
  if (!found && !text.includes(`# TYPE ${name} counter`)) throw new Error(`metric ${name} not in /metrics`);
  return sum;
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    // K6_NO_USAGE_REPORT: k6 otherwise reports usage to its vendor over the network.
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, K6_NO_USAGE_REPORT: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      children.delete(child);
      resolvePromise({ code, output });
    });
  });
}

async function serverCounters(): Promise<{ joined: number; applied: number; rejected: number }> {
  const text = await (await fetch(`${server!.http}/metrics`)).text();
  return {
    joined: counter(text, 'tickwire_players_joined_total'),
    applied: counter(text, 'tickwire_inputs_applied_total'),
    rejected: counter(text, 'tickwire_inputs_rejected_total'),
  };
}

function smokeArgs(dir: string, extra: string[] = []): string[] {
  return [
    'run',
    '--quiet',
    '-e', `TARGET=${server!.http}`,
    '-e', `VUS=${VUS}`,
    '-e', `DURATION=${DURATION_S}s`,
    '-e', 'SESSION=8s',
    '-e', `SUMMARY_DIR=${dir}`,
    // The latency thresholds stay on but wide: other test files share these 2 cores, and
    // speed is the benchmark's business, not a test's. Errors, decode failures and
    // unexpected closes keep their strict defaults.
    '-e', 'RTT_P95_MS=1000',
    '-e', 'JITTER_P95_MS=500',
    '-e', 'CONNECT_P95_MS=5000',
    '-e', 'MATCHMAKE_P95_MS=5000',
    ...extra,
    'loadtest/dist/smoke.js',
  ];
}

/** One full smoke run with `cmd`, checked against itself and against the server's counters. */
async function smokeRun(label: string, cmd: string, args: (dir: string) => string[]): Promise<void> {
  const dir = join(outDir!, label);
  const before = await serverCounters();
  const { code, output } = await run(cmd, args(dir));
  expect(code, `${label} exited ${code}:\n${output.slice(-3000)}`).toBe(0);

  const summary = JSON.parse(readFileSync(join(dir, 'smoke-summary.json'), 'utf8'));
  // Thresholds were evaluated: each one in k6's raw summary data carries an ok value.
  const raw = summary.k6 as Record<string, { thresholds?: Record<string, { ok: unknown }> }>;
  for (const [metric, expr] of [
    ['tw_rtt_ms', 'p(95)<1000'],
    ['tw_snapshot_jitter_ms', 'p(95)<500'],
    ['tw_session_failed', 'rate<0.01'],
    ['tw_sessions', 'count>0'],
    ['tw_decode_errors', 'count==0'],
    ['tw_unexpected_closes', 'count==0'],
    ['checks', 'rate>0.99'],
    ['tw_unexpected_closes{code:1006}', 'count>=0'],
  ]) {
    expect(raw[metric]?.thresholds?.[expr]?.ok, `${metric} ${expr}`).toBe(true);
  }
  const failed = summary.thresholds.filter((t: { ok: boolean }) => !t.ok);
  expect(failed, output.slice(-3000)).toEqual([]);
  expect(summary.ok).toBe(true);
  expect(summary.durationSeconds).toBeGreaterThanOrEqual(DURATION_S);

  const counts = summary.counts as Record<string, number>;
  // Every VU played sessions of ~8 s back to back (two in 20 s unless the machine stalls).
  expect(counts.tw_sessions).toBeGreaterThanOrEqual(VUS);
  expect(counts.tw_resumes).toBe(0);
  expect(counts.tw_decode_errors).toBe(0);
  expect(summary.trends.tw_rtt_ms.count).toBeGreaterThan(VUS * 10);
  expect(summary.trends.tw_snapshot_bytes.count).toBeGreaterThan(0);

  const after = await serverCounters();
  // Each session left before the next began, so every welcome the run saw was a fresh join.
  expect(after.joined - before.joined).toBe(counts.tw_sessions);
  const applied = after.applied - before.applied;
  const sent = counts.tw_inputs_sent;
  // Every VU spent most of the run in matches, sending an input per tick (30/s) while in
  // one. The floor is a third of that: on a 2-core machine shared with other test runs
  // (load average 26 measured once) a starved VU's timers fire late — 17 inputs per
  // play-second then. Bounded by play time, not wall time, since session gaps grow with load.
  expect(counts.tw_play_seconds).toBeGreaterThan(VUS * DURATION_S * 0.5);
  expect(sent).toBeGreaterThan(counts.tw_play_seconds * 10);
  expect(applied).toBeLessThanOrEqual(sent);
  // An input still queued when its player leaves is never applied: a few per session (the
  // room applies up to 3 per tick; a VU starved of CPU sends its backlog in a burst).
  expect(sent - applied).toBeLessThanOrEqual(counts.tw_sessions * 10);
  expect(after.rejected - before.rejected).toBe(0);
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['loadtest/build.mjs'], { cwd: ROOT });
  // Bots on: humans arriving take seats from bots, as in production.
  server = await startTestServer({ botFillDelayMs: 500, seed: null });
  outDir = mkdtempSync(join(tmpdir(), 'tickwire-k6-'));
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('k6 smoke scenario', () => {
  it(
    `through the Node runtime: passes its thresholds with ${VUS} VUs for ${DURATION_S} s, and the server counted what it sent`,
    () => smokeRun('runtime', process.execPath, (dir) => [RUNTIME, ...smokeArgs(dir)]),
    120_000,
  );

  it(
    'through the Node runtime: a threshold that cannot hold fails the run with exit code 99',
    async () => {
      const dir = join(outDir!, 'impossible');
      const args = smokeArgs(dir, ['-e', 'VUS=2', '-e', 'DURATION=3s', '-e', 'SESSION=2s', '-e', 'RTT_P95_MS=0']);
      const { code, output } = await run(process.execPath, [RUNTIME, ...args]);
      expect(code, output.slice(-2000)).toBe(99);
      expect(output).toMatch(/thresholds on metrics 'tw_rtt_ms' have been crossed/);
      const summary = JSON.parse(readFileSync(join(dir, 'smoke-summary.json'), 'utf8'));
      expect(summary.k6.tw_rtt_ms.thresholds['p(95)<0'].ok).toBe(false);
      expect(summary.k6.tw_sessions.thresholds['count>0'].ok).toBe(true);
      expect(summary.ok).toBe(false);
    },
    60_000,
  );

  it.skipIf(!HAS_K6)(
    `through real k6 (${HAS_K6 ? k6Version.stdout.split('\n')[0].trim() : 'skipped: no k6 on PATH'}): same run, same checks`,
    () => smokeRun('k6', 'k6', (dir) => smokeArgs(dir)),
    120_000,
  );
});
