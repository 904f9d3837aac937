/**
 * The k6 smoke scenario with real k6 against a real server: 20 VUs for 20 s of play, each
 * matchmaking, playing and leaving a few times. Passes when k6 exits 0 with every threshold
 * met and when the server's own counters agree with what k6 says it did.
 *
 * k6 is built from source into .tools/bin by scripts/setup-test-tools.sh (CI runs it first).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/testServer.js';

const ROOT = resolve(import.meta.dirname, '../..');
const K6 = join(ROOT, '.tools/bin/k6');
const VUS = 20;
const DURATION_S = 20;

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server | undefined;
let k6: ChildProcess | undefined;
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

function runK6(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    // K6_NO_USAGE_REPORT: k6 otherwise reports usage to its vendor over the network.
    const child = spawn(K6, args, { cwd: ROOT, env: { ...process.env, K6_NO_USAGE_REPORT: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    k6 = child;
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      k6 = undefined;
      resolvePromise({ code, output });
    });
  });
}

beforeAll(async () => {
  if (!existsSync(K6)) throw new Error('k6 is missing from .tools/bin: run scripts/setup-test-tools.sh');
  await promisify(execFile)(process.execPath, ['loadtest/build.mjs'], { cwd: ROOT });
  // Bots on: humans arriving take seats from bots, as in production.
  server = await startTestServer({ botFillDelayMs: 500, seed: null });
  outDir = mkdtempSync(join(tmpdir(), 'tickwire-k6-'));
});

afterAll(async () => {
  k6?.kill('SIGKILL');
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('k6 smoke scenario', () => {
  it(
    `passes its thresholds with ${VUS} VUs for ${DURATION_S} s, and the server counted what k6 sent`,
    async () => {
      const { code, output } = await runK6([
        'run',
        '--quiet',
        '-e', `TARGET=${server!.http}`,
        '-e', `VUS=${VUS}`,
        '-e', `DURATION=${DURATION_S}s`,
        '-e', 'SESSION=8s',
        '-e', `SUMMARY_DIR=${outDir}`,
        // The latency thresholds stay on but wide: other test files share these 2 cores, and
        // speed is the benchmark's business, not a test's. Errors, decode failures and
        // unexpected closes keep their strict defaults.
        '-e', 'RTT_P95_MS=1000',
        '-e', 'JITTER_P95_MS=500',
        '-e', 'CONNECT_P95_MS=5000',
        '-e', 'MATCHMAKE_P95_MS=5000',
        'loadtest/dist/smoke.js',
      ]);
      expect(code, `k6 exited ${code}:\n${output.slice(-3000)}`).toBe(0);

      const summary = JSON.parse(readFileSync(join(outDir!, 'smoke-summary.json'), 'utf8'));
      const failed = summary.thresholds.filter((t: { ok: boolean }) => !t.ok);
      expect(failed, output.slice(-3000)).toEqual([]);
      expect(summary.ok).toBe(true);
      for (const metric of ['tw_rtt_ms', 'tw_snapshot_jitter_ms', 'tw_session_failed', 'tw_decode_errors', 'tw_unexpected_closes']) {
        expect(summary.thresholds.map((t: { metric: string }) => t.metric)).toContain(metric);
      }
      expect(summary.durationSeconds).toBeGreaterThanOrEqual(DURATION_S);

      const counts = summary.counts as Record<string, number>;
      // Every VU played sessions of ~8 s back to back (two in 20 s unless the machine stalls).
      expect(counts.tw_sessions).toBeGreaterThanOrEqual(VUS);
      expect(counts.tw_resumes).toBe(0);
      expect(counts.tw_decode_errors).toBe(0);
      expect(summary.trends.tw_rtt_ms.count).toBeGreaterThan(VUS * 10);
      expect(summary.trends.tw_snapshot_bytes.count).toBeGreaterThan(0);

      const metrics = await (await fetch(`${server!.http}/metrics`)).text();
      // Each session left before the next began, so every welcome k6 saw was a fresh join.
      expect(counter(metrics, 'tickwire_players_joined_total')).toBe(counts.tw_sessions);
      const applied = counter(metrics, 'tickwire_inputs_applied_total');
      const sent = counts.tw_inputs_sent;
      expect(sent).toBeGreaterThan(VUS * DURATION_S * 20);
      expect(applied).toBeLessThanOrEqual(sent);
      // An input still queued when its player leaves is never applied: a few per session (the
      // room applies up to 3 per tick; a k6 VU starved of CPU sends its backlog in a burst).
      expect(sent - applied).toBeLessThanOrEqual(counts.tw_sessions * 10);
      expect(counter(metrics, 'tickwire_inputs_rejected_total')).toBe(0);
    },
    120_000,
  );
});
