/**
 * Cluster benchmark (`npm run bench:cluster`), on this machine:
 *   1. Capacity: one node (no Redis) vs `--workers 2 --redis` driven by the Node bot swarm
 *      (8-player matches, 30 inputs/s) at each BENCH_PLAYERS level; tick lateness p99 pooled
 *      over every worker's /metrics. "Players served" = the highest level whose lateness p99
 *      stays ≤ BENCH_LATENESS_MS with no failed bot.
 *   2. Matchmaking: quick plays at BENCH_QPS per second for BENCH_MM_S seconds through the
 *      shared port of the 2 workers (and through the single node for comparison): latency
 *      p50/p99/max, and Redis round trips per quick play (every worker's
 *      tickwire_redis_commands_total, which counts each command a node sends, plus Redis's
 *      own total_commands_processed, which also counts commands run inside scripts).
 * The bots, Redis and the servers share the machine's cores; the header names the machine.
 *
 * Env: BENCH_PLAYERS (400,800,1200), BENCH_WARMUP_S (4), BENCH_WINDOW_S (8),
 * BENCH_LATENESS_MS (4), BENCH_QPS (200), BENCH_MM_S (5), BENCH_PARTS (capacity,matchmaking:
 * which parts run).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { freePort, stopChild, trackChild } from './support/childProcesses.js';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { SwarmProcess } from './support/swarmProcess.js';
import { histogramQuantile, parseProm, total, type Sample } from './support/promText.js';
import { envNum, playerLevels } from './support/benchEnv.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const JWT_SECRET = 'bench-secret-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const LEVELS = playerLevels('400,800,1200');
const WARMUP_S = envNum('BENCH_WARMUP_S', 4);
const WINDOW_S = envNum('BENCH_WINDOW_S', 8);
const LATENESS_MS = envNum('BENCH_LATENESS_MS', 4);
const QPS = envNum('BENCH_QPS', 200);
const MM_S = envNum('BENCH_MM_S', 5);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'capacity,matchmaking').split(',').map((s) => s.trim()));
if ([...PARTS].some((p) => p !== 'capacity' && p !== 'matchmaking')) {
  console.error(`bench: BENCH_PARTS must list capacity and/or matchmaking (got ${process.env.BENCH_PARTS})`);
  process.exit(2);
}

interface System {
  http: string;
  /** Where each process's /metrics is (one per worker). */
  metrics: string[];
  child: ChildProcess;
}

async function startRedis(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = trackChild(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] }), 'redis-server');
  await new Promise<void>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ready to accept connections')) res();
    });
    child.once('exit', () => rej(new Error(`redis-server exited: ${out.slice(-300)}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}

async function startSystem(workers: number, redisUrl: string | null, extra: string[] = []): Promise<System> {
  const port = await freePort();
  const args = ['--import', 'tsx', join(ROOT, 'server/cli.ts'), 'serve', '--host', '127.0.0.1', '--port', String(workers > 1 ? 0 : port), '--log-level', 'info', '--drain-timeout', '0'];
  if (workers > 1) args.push('--workers', String(workers), '--redis', redisUrl!);
  args.push(...extra);
  const env = {
    ...process.env,
    TICKWIRE_JWT_SECRET: JWT_SECRET,
    // Every bot and quick play comes from this one machine: per-address and per-user limits out of the way.
    TICKWIRE_LIMITS: JSON.stringify({
      guestSignupsPerAddress: { perMinute: 1_000_000, burst: 1_000_000 },
      matchmakesPerUser: { perMinute: 1_000_000, burst: 1_000_000 },
    }),
  };
  const child = trackChild(spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] }), 'tickwire');
  return new Promise((res, rej) => {
    let buf = '';
    const workerUrls: string[] = [];
    const timer = setTimeout(() => rej(new Error('server did not start within 60 s')), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const l = JSON.parse(line) as { msg?: string; url?: string; port?: number; playPort?: number };
        if (l.msg === 'worker ready' && l.playPort) workerUrls.push(`http://127.0.0.1:${l.playPort}`);
        if (workers === 1 && l.msg?.startsWith('tickwire listening')) {
          clearTimeout(timer);
          res({ http: `http://127.0.0.1:${l.port}`, metrics: [`http://127.0.0.1:${l.port}`], child });
        }
        if (workers > 1 && l.msg?.startsWith('tickwire workers ready')) {
          clearTimeout(timer);
          res({ http: `http://127.0.0.1:${l.port}`, metrics: workerUrls, child });
        }
      }
    });
    child.once('exit', () => rej(new Error('server exited during start-up')));
  });
}

/** Every process's samples, values of identical series summed (pooled histograms). */
async function scrapeAll(urls: string[]): Promise<Sample[]> {
  const sum = new Map<string, Sample>();
  for (const u of urls) {
    for (const s of parseProm(await (await fetch(`${u}/metrics`)).text())) {
      const key = `${s.name}${JSON.stringify(s.labels)}`;
      const cur = sum.get(key);
      if (cur) cur.value += s.value;
      else sum.set(key, { ...s });
    }
  }
  return [...sum.values()];
}

/** The bot swarm playing against `target` (unpinned: this bench measures the whole machine). */
function spawnSwarm(target: string, players: number): SwarmProcess {
  return new SwarmProcess(
    trackChild(fork(join(ROOT, 'loadtest/bots/main.ts'), ['--target', target, '--players', String(players), '--mode', 'play'], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }), 'bots'),
  );
}

interface CapacityRow {
  system: string;
  players: number;
  latenessP99: number;
  tickP99: number;
  failures: number;
}

async function capacity(name: string, workers: number, redisUrl: string | null, players: number): Promise<CapacityRow> {
  const sys = await startSystem(workers, redisUrl);
  const swarm = spawnSwarm(sys.http, players);
  const ready = await swarm.ready();
  await sleep(WARMUP_S * 1000);
  await swarm.reset();
  const before = await scrapeAll(sys.metrics);
  await sleep(WINDOW_S * 1000);
  const after = await scrapeAll(sys.metrics);
  const stats = await swarm.stats();
  await swarm.stop();
  await stopChild(sys.child, 8000);
  return {
    system: name,
    players: Math.min(total(after, 'tickwire_players'), stats.connected),
    latenessP99: histogramQuantile(before, after, 'tickwire_tick_lateness_ms', 0.99),
    tickP99: histogramQuantile(before, after, 'tickwire_tick_duration_ms', 0.99),
    failures: ready.failed + stats.failures,
  };
}

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

function pct(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

interface MatchmakeRow {
  system: string;
  quickPlays: number;
  failed: number;
  /** Failed answers by status and message. */
  failures: Map<string, number>;
  p50: number;
  p99: number;
  max: number;
  achievedQps: number;
  roundTripsPerQuickPlay: number;
  redisCommandsPerQuickPlay: number;
}

async function matchmaking(name: string, workers: number, redisUrl: string | null): Promise<MatchmakeRow> {
  // No bots: the matches opened here stay idle, so the latency is matchmaking's, not the simulation's.
  const sys = await startSystem(workers, redisUrl, ['--bot-fill-delay', 'off']);
  const n = Math.round(QPS * MM_S);
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, k) => post(`${sys.http}/api/auth/guest`, { name: `mm${i + k}` })));
    tokens.push(...batch.map((r) => r.body.token as string));
  }
  const probe = redisUrl ? createClient({ url: redisUrl }) : null;
  await probe?.connect();
  const redisTotal = async () => (probe ? Number(/total_commands_processed:(\d+)/.exec(String(await probe.sendCommand(['INFO', 'stats'])))?.[1] ?? 0) : 0);
  const before = await scrapeAll(sys.metrics);
  const r0 = await redisTotal();
  const latencies: number[] = [];
  let failed = 0;
  const failures = new Map<string, number>();
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = t0 + (i * 1000) / QPS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(
      (async () => {
        const s = performance.now();
        const r = await post(`${sys.http}/api/matchmake`, { mode: 'arena' }, tokens[i]).catch(() => ({ status: 0, body: null }));
        if (r.status !== 200) {
          failed++;
          const why = `${r.status} ${(r.body as { error?: string } | null)?.error ?? ''}`;
          failures.set(why, (failures.get(why) ?? 0) + 1);
        } else latencies.push(performance.now() - s);
      })(),
    );
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - t0) / 1000;
  const after = await scrapeAll(sys.metrics);
  const r1 = await redisTotal();
  await probe?.close();
  await stopChild(sys.child, 8000);
  latencies.sort((a, b) => a - b);
  const ok = latencies.length;
  return {
    system: name,
    quickPlays: n,
    failed,
    failures,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    achievedQps: n / seconds,
    roundTripsPerQuickPlay: (total(after, 'tickwire_redis_commands_total') - total(before, 'tickwire_redis_commands_total')) / Math.max(1, ok),
    redisCommandsPerQuickPlay: (r1 - r0) / Math.max(1, ok),
  };
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');

async function main(): Promise<void> {
  console.log(`# bench:cluster — ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString()}`);
  console.log(`# capacity: levels ${LEVELS.join(', ')} players; warmup ${WARMUP_S} s, window ${WINDOW_S} s; served = lateness p99 ≤ ${LATENESS_MS} ms and no failed bot`);
  const redis = await startRedis();
  const rows: CapacityRow[] = [];
  for (const [name, workers] of PARTS.has('capacity') ? ([['1 node', 1], ['2 workers + Redis', 2]] as const) : []) {
    for (const players of LEVELS) {
      const row = await capacity(name, workers, redis.url, players);
      rows.push(row);
      console.log(`${name.padEnd(18)} players ${String(row.players).padStart(5)}  lateness p99 ${f(row.latenessP99, 2).padStart(6)} ms  tick p99 ${f(row.tickP99, 2).padStart(6)} ms  failed bots ${row.failures}`);
    }
  }
  const served = (name: string) => Math.max(0, ...rows.filter((r) => r.system === name && r.latenessP99 <= LATENESS_MS && r.failures === 0).map((r) => r.players));
  const one = served('1 node');
  const two = served('2 workers + Redis');
  if (PARTS.has('capacity')) console.log(`players served at lateness p99 ≤ ${LATENESS_MS} ms: 1 node ${one}, 2 workers ${two} → ${one > 0 ? f(two / one, 2) : '–'}× (target ≥ 1.7×)`);

  if (PARTS.has('matchmaking')) console.log(`# matchmaking: ${QPS} quick plays/s for ${MM_S} s`);
  for (const [name, workers] of PARTS.has('matchmaking') ? ([['1 node', 1], ['2 workers + Redis', 2]] as const) : []) {
    const m = await matchmaking(name, workers, workers > 1 ? redis.url : null);
    console.log(
      `${name.padEnd(18)} ${m.quickPlays} quick plays (${m.failed} failed) at ${f(m.achievedQps, 0)}/s: p50 ${f(m.p50, 2)} ms  p99 ${f(m.p99, 2)} ms  max ${f(m.max, 2)} ms` +
        (m.failed ? `  failures: ${[...m.failures].map(([k, v]) => `${v}× ${k}`).join('; ')}` : '') +
        (workers > 1 ? `  Redis round trips/quick play ${f(m.roundTripsPerQuickPlay, 2)} (target ≤ 10), commands executed in Redis/quick play ${f(m.redisCommandsPerQuickPlay, 1)}` : ''),
    );
  }
  await stopChild(redis.child, 8000);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench: ${(e as Error).message}`);
    process.exit(1);
  },
);
