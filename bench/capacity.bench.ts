/**
 * Capacity benchmark (`npm run bench:capacity`). For each load level it runs a real Tickwire
 * server as its own process, drives it with the Node bot swarm (loadtest/bots) playing
 * 8-player matches at 30 inputs/s, and measures a steady-state window from outside: server
 * CPU from /proc, RSS, the server's own /metrics (bytes, tick histograms, dropped
 * snapshots) and RTT from the bots. Then the same players drive a bare uWS process
 * (bench/bareUws.ts) doing the same I/O with no game or protocol logic; our CPU per player
 * divided by its CPU per player is the overhead Tickwire adds over the I/O floor.
 * Last, lobby-idle: RSS per idle authenticated /lobby connection at BENCH_IDLE_SOCKETS.
 *
 * Env: BENCH_PLAYERS (levels, default 500,1000,2000), BENCH_WARMUP_S (5), BENCH_WINDOW_S (15),
 * BENCH_IDLE_SOCKETS (10000; 0 skips), BENCH_BARE (1; 0 skips the baseline),
 * BENCH_SERVER (`tsx`: server/main.ts through tsx; `dist`: dist/server/main.js, build first),
 * BENCH_UPSTREAM (`single30`: one input frame per tick, the default; `batch15`: every second
 * tick a frame of the two new inputs plus the previous one repeated; `single30,batch15`
 * runs both, each against its own bare baseline driven by the same frames),
 * BENCH_REPEAT (1: Tickwire/bare pairs per level, alternating which runs first — the first
 * pair Tickwire first, since the bare floor replays its frame sizes; the summary gives each
 * pair's ratio and their median, because run-to-run noise on a shared VM is larger than the
 * differences being measured), BENCH_JSON (write the results there too), BENCH_PIN (`server,bots` CPU numbers for
 * `taskset -c`; default `0,1` on a machine with ≥ 2 cores and taskset; `off` shares all cores),
 * BENCH_ISOLATE (1: every other process on the machine is moved off the server's CPU for the run
 * and put back after, bench/support/isolateCore.ts; needs root and pinning),
 * BENCH_BEFORE (path to another checkout, e.g. an earlier commit's `git archive` with this
 * node_modules linked: its server and its own bots run first at every level, as the
 * `tickwire (before)` row, so a before/after comparison comes from one run on one machine).
 *
 * Pinned, the server (Tickwire or bare) and the bot swarm each have a core of their own, so
 * the server's figures are not the bots' contention. The table header says which machine.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { freePort, stopChild, trackChild } from './support/childProcesses.js';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UPSTREAM_MODES, type SwarmMode, type SwarmStats, type UpstreamMode } from '../loadtest/bots/swarm.js';
import { f, repeatSummary, table, type IoShape, type Row } from './support/capacityReport.js';
import { runLobbyIdle, type IdleResult } from './support/idleMemory.js';
import { cpuMs, rssBytes } from './support/procStats.js';
import { SwarmProcess } from './support/swarmProcess.js';
import { isolateCore } from './support/isolateCore.js';
import { delta, histogramQuantile, parseProm, total, type Sample } from './support/promText.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const JWT_SECRET = 'bench-secret-0123456789abcdef';

function envNum(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`bench: ${name} must be a number ≥ 0 (got ${raw})`);
    process.exit(2);
  }
  return n;
}

const LEVELS = (process.env.BENCH_PLAYERS ?? '500,1000,2000').split(',').map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench: BENCH_PLAYERS must be a comma-separated list of player counts (got ${process.env.BENCH_PLAYERS})`);
    process.exit(2);
  }
  return n;
});
const WARMUP_S = envNum('BENCH_WARMUP_S', 5);
const WINDOW_S = envNum('BENCH_WINDOW_S', 15);
const IDLE_SOCKETS = envNum('BENCH_IDLE_SOCKETS', 10_000);
const WITH_BARE = process.env.BENCH_BARE !== '0';
/** Tickwire/bare pairs per level, in alternating order, so the ratio's spread is visible. */
const REPEAT = Math.max(1, Math.floor(envNum('BENCH_REPEAT', 1)));
const UPSTREAMS = (process.env.BENCH_UPSTREAM ?? 'single30').split(',') as UpstreamMode[];
if (UPSTREAMS.some((m) => !UPSTREAM_MODES.includes(m))) {
  console.error(`bench: BENCH_UPSTREAM must be single30, batch15 or both comma-separated (got ${process.env.BENCH_UPSTREAM})`);
  process.exit(2);
}
const SERVER_MODE = process.env.BENCH_SERVER === 'dist' ? 'dist' : 'tsx';
const PIN = pinning();
const ISOLATION = isolation();
const BEFORE_ROOT = process.env.BENCH_BEFORE ? resolve(process.env.BENCH_BEFORE) : null;
if (BEFORE_ROOT && !existsSync(join(BEFORE_ROOT, 'server/main.ts'))) {
  console.error(`bench: BENCH_BEFORE must be a Tickwire checkout (no server/main.ts in ${BEFORE_ROOT})`);
  process.exit(2);
}

/** `taskset -c` CPUs for the server and the bots, or null to let the OS place them. */
function pinning(): { server: string; bots: string } | null {
  const raw = process.env.BENCH_PIN ?? (os.cpus().length >= 2 && existsSync('/usr/bin/taskset') ? '0,1' : 'off');
  if (raw === 'off' || raw === '') return null;
  const m = /^(\d+),(\d+)$/.exec(raw.trim());
  if (!m || !existsSync('/usr/bin/taskset')) {
    console.error(`bench: BENCH_PIN must be "serverCpu,botsCpu" (e.g. 0,1) with /usr/bin/taskset installed, or off (got ${raw})`);
    process.exit(2);
  }
  return { server: m[1], bots: m[2] };
}

/** BENCH_ISOLATE=1: the server's CPU cleared of every other process until the bench exits. */
function isolation(): { moved: number } | null {
  if (process.env.BENCH_ISOLATE !== '1') return null;
  if (!PIN || process.getuid?.() !== 0) {
    console.error('bench: BENCH_ISOLATE=1 needs pinning (BENCH_PIN, taskset) and root, to move other processes off the server\'s CPU');
    process.exit(2);
  }
  const others = os.cpus().map((_, i) => String(i)).filter((c) => c !== PIN.server).join(',');
  const iso = isolateCore(others);
  process.once('exit', () => iso.restore());
  return iso;
}

/** The command line for a Node child, through `taskset -c cpu` when pinning. */
function nodeCommand(cpu: 'server' | 'bots', args: string[]): [string, string[]] {
  return PIN ? ['/usr/bin/taskset', ['-c', PIN[cpu], process.execPath, ...args]] : [process.execPath, args];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- child processes ------------------------------------------------------------------

async function startTickwire(opts: { inspectPort?: number; root?: string } = {}): Promise<{ child: ChildProcess; http: string }> {
  const port = await freePort();
  const root = opts.root ?? ROOT;
  const args = SERVER_MODE === 'dist' ? [join(root, 'dist/server/main.js')] : ['--import', 'tsx', join(root, 'server/main.ts')];
  // The inspector lets the memory measurement ask for a full GC; never on for CPU runs.
  if (opts.inspectPort) args.unshift(`--inspect=127.0.0.1:${opts.inspectPort}`);
  const [cmd, argv] = nodeCommand('server', args);
  const child = trackChild(
    spawn(cmd, argv, {
      cwd: root,
      env: {
        ...process.env,
        TICKWIRE_HOST: '127.0.0.1',
        TICKWIRE_PORT: String(port),
        TICKWIRE_JWT_SECRET: JWT_SECRET,
        // Every bot comes from this one machine: per-address and per-user limits out of the way.
        TICKWIRE_LIMITS: JSON.stringify({
          guestSignupsPerAddress: { perMinute: 1_000_000, burst: 1_000_000 },
          matchmakesPerUser: { perMinute: 1_000_000, burst: 1_000_000 },
        }),
        // Join/leave lines at info level would be logged during the ramp only, but keep the process quiet.
        TICKWIRE_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
    'tickwire server',
  );
  const http = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('the Tickwire server exited during startup (see above)');
    try {
      if ((await fetch(`${http}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the Tickwire server did not answer /healthz within 30 s');
    await sleep(100);
  }
  return { child, http };
}

async function startBare(env: Record<string, string>): Promise<{ child: ChildProcess; http: string }> {
  const child = trackChild(
    spawn(...nodeCommand('server', ['--import', 'tsx', join(ROOT, 'bench/bareUws.ts')]), { cwd: ROOT, env: { ...process.env, ...env, BARE_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] }),
    'bare uWS',
  );
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /bare listening (\d+)/.exec(out);
      if (m) res(Number(m[1]));
    });
    child.once('exit', () => rej(new Error('bare uWS exited during startup')));
  });
  return { child, http: `http://127.0.0.1:${port}` };
}

/** Starts the bot swarm (pinned to the bots' CPU when pinning). */
function spawnSwarm(target: string, players: number, mode: SwarmMode, extra: string[] = [], root = ROOT): SwarmProcess {
  const botArgs = ['--target', target, '--players', String(players), '--mode', mode, ...extra];
  // taskset execs node in place, so the pid and the IPC channel are the bot process's own.
  const child = trackChild(
    PIN
      ? spawn(...nodeCommand('bots', ['--import', 'tsx', join(root, 'loadtest/bots/main.ts'), ...botArgs]), { cwd: root, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] })
      : fork(join(root, 'loadtest/bots/main.ts'), botArgs, { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] }),
    'bot swarm',
  );
  return new SwarmProcess(child);
}

async function scrape(http: string): Promise<Sample[]> {
  return parseProm(await (await fetch(`${http}/metrics`)).text());
}

// ---- measurements -----------------------------------------------------------------------

async function measureWindow(pid: number, swarm: SwarmProcess): Promise<{ cpu: number; botsCpu: number; seconds: number; stats: SwarmStats }> {
  await swarm.reset();
  const botsPid = swarm.child.pid!;
  const cpu0 = cpuMs(pid);
  const bots0 = cpuMs(botsPid);
  const t0 = performance.now();
  await sleep(WINDOW_S * 1000);
  const cpu1 = cpuMs(pid);
  const bots1 = cpuMs(botsPid);
  const seconds = (performance.now() - t0) / 1000;
  return { cpu: cpu1 - cpu0, botsCpu: bots1 - bots0, seconds, stats: await swarm.stats() };
}

/** Bot arguments for an upstream mode (none for the default, which an older checkout's bots also speak). */
function upstreamArgs(upstream: UpstreamMode): string[] {
  return upstream === 'single30' ? [] : ['--upstream', upstream];
}

async function runTickwire(players: number, upstream: UpstreamMode, root = ROOT): Promise<{ row: Row; shape: IoShape }> {
  const server = await startTickwire({ root });
  const pid = server.child.pid!;
  await sleep(500);
  const rss0 = rssBytes(pid);
  const swarm = spawnSwarm(server.http, players, 'play', upstreamArgs(upstream), root);
  const ready = await swarm.ready();
  if (ready.failed > 0) console.error(`bench: ${ready.failed} of ${players} bots failed to join (last: ${ready.lastFailure})`);
  await sleep(WARMUP_S * 1000);
  const before = await scrape(server.http);
  const w = await measureWindow(pid, swarm);
  const after = await scrape(server.http);
  const rss1 = rssBytes(pid);
  await swarm.stop();
  await stopChild(server.child);

  const seated = total(after, 'tickwire_players');
  const n = Math.max(1, Math.min(seated, w.stats.connected));
  const playerSeconds = n * w.seconds;
  const snapFrames = delta(before, after, 'tickwire_frames_out_total', { kind: 'snapshot' });
  const shape: IoShape = {
    snapshotBytes: snapFrames > 0 ? delta(before, after, 'tickwire_bytes_out_total', { kind: 'snapshot' }) / snapFrames : 160,
    snapshotsPerSec: snapFrames / playerSeconds,
  };
  return {
    shape,
    row: {
      system: root === ROOT ? 'tickwire' : 'tickwire (before)',
      upstream,
      players: n,
      cpuMsPerPlayerSecond: w.cpu / playerSeconds,
      rssKBPerConnection: (rss1 - rss0) / n / 1024,
      downBytesPerPlayerSecond: delta(before, after, 'tickwire_bytes_out_total') / playerSeconds,
      downFramesPerPlayerSecond: delta(before, after, 'tickwire_frames_out_total') / playerSeconds,
      upBytesPerPlayerSecond: delta(before, after, 'tickwire_bytes_in_total') / playerSeconds,
      upFramesPerPlayerSecond: delta(before, after, 'tickwire_frames_in_total') / playerSeconds,
      tickP50: histogramQuantile(before, after, 'tickwire_tick_duration_ms', 0.5),
      tickP99: histogramQuantile(before, after, 'tickwire_tick_duration_ms', 0.99),
      latenessP50: histogramQuantile(before, after, 'tickwire_tick_lateness_ms', 0.5),
      latenessP99: histogramQuantile(before, after, 'tickwire_tick_lateness_ms', 0.99),
      // NaN against a server without the metric (a BENCH_BEFORE checkout).
      wakeLatenessP99: histogramQuantile(before, after, 'tickwire_tick_wake_lateness_ms', 0.99),
      wakeupsPerSecond: delta(before, after, 'tickwire_tick_wakeups_total') / w.seconds || NaN,
      // NaN against a server without the counter (a BENCH_BEFORE checkout).
      ioWakeShare: delta(before, after, 'tickwire_tick_wakeups_total', { source: 'io' }) / delta(before, after, 'tickwire_tick_wakeups_total'),
      gcShare: (delta(before, after, 'nodejs_gc_duration_seconds_sum') * 1000) / w.cpu,
      rttP50: w.stats.rttMs?.p50 ?? NaN,
      rttP99: w.stats.rttMs?.p99 ?? NaN,
      ackP50: w.stats.ackMs?.p50 ?? NaN,
      ackMean: w.stats.ackMs?.mean ?? NaN,
      ackP99: w.stats.ackMs?.p99 ?? NaN,
      droppedSnapshots: delta(before, after, 'tickwire_snapshots_dropped_total'),
      coreShare: w.cpu / (w.seconds * 1000),
      botsCoreShare: w.botsCpu / (w.seconds * 1000),
      failures: ready.failed + w.stats.failures,
      closes: w.stats.closes,
    },
  };
}

async function runBare(players: number, upstream: UpstreamMode, shape: IoShape): Promise<Row> {
  const bare = await startBare({
    BARE_TICK_RATE: '30',
    BARE_MATCH_SIZE: '8',
    BARE_SNAPSHOT_BYTES: String(shape.snapshotBytes),
    BARE_SNAPSHOTS_PER_SEC: String(shape.snapshotsPerSec),
  });
  const pid = bare.child.pid!;
  await sleep(500);
  const rss0 = rssBytes(pid);
  // The same bots in the same upstream mode: the floor receives the same input frames.
  const swarm = spawnSwarm(bare.http, players, 'bare', ['--tick-rate', '30', ...upstreamArgs(upstream)]);
  const ready = await swarm.ready();
  await sleep(Math.min(WARMUP_S, 3) * 1000);
  await fetch(`${bare.http}/lateness?reset=1`);
  const w = await measureWindow(pid, swarm);
  const lateness = (await (await fetch(`${bare.http}/lateness`)).json()) as { p50: number | null; p99: number | null };
  const rss1 = rssBytes(pid);
  await swarm.stop();
  await stopChild(bare.child);
  const n = Math.max(1, w.stats.connected);
  const playerSeconds = n * w.seconds;
  return {
    system: 'bare uWS',
    upstream,
    players: n,
    cpuMsPerPlayerSecond: w.cpu / playerSeconds,
    rssKBPerConnection: (rss1 - rss0) / n / 1024,
    // Measured at the bots: the bare process keeps no counters.
    downBytesPerPlayerSecond: w.stats.bytesIn / playerSeconds,
    downFramesPerPlayerSecond: w.stats.framesIn / playerSeconds,
    upBytesPerPlayerSecond: w.stats.bytesOut / playerSeconds,
    upFramesPerPlayerSecond: w.stats.framesOut / playerSeconds,
    tickP50: NaN,
    tickP99: NaN,
    // Its one timer's lateness: what any timer on this machine suffers under the same I/O.
    latenessP50: lateness.p50 ?? NaN,
    latenessP99: lateness.p99 ?? NaN,
    wakeLatenessP99: NaN,
    wakeupsPerSecond: NaN,
    ioWakeShare: NaN,
    gcShare: NaN,
    rttP50: w.stats.rttMs?.p50 ?? NaN,
    rttP99: w.stats.rttMs?.p99 ?? NaN,
    ackP50: NaN,
    ackMean: NaN,
    ackP99: NaN,
    droppedSnapshots: NaN,
    coreShare: w.cpu / (w.seconds * 1000),
    botsCoreShare: w.botsCpu / (w.seconds * 1000),
    failures: ready.failed + w.stats.failures,
    closes: w.stats.closes,
  };
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  const machine = `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.versions.node}`;
  console.log(`capacity benchmark on ${machine}`);
  console.log(`levels ${LEVELS.join(', ')} players; warm-up ${WARMUP_S} s, window ${WINDOW_S} s; server via ${SERVER_MODE}; upstream ${UPSTREAMS.join(' then ')}; ${PIN ? `server pinned to CPU ${PIN.server}, bots to CPU ${PIN.bots} (taskset)` : 'bots and server share the machine'}${ISOLATION ? `; ${ISOLATION.moved} other processes moved off CPU ${PIN!.server} for the run (BENCH_ISOLATE)` : ''}\n`);

  const rows: Row[] = [];
  const ratios = new Map<Row, number>();
  const summaries: string[] = [];
  for (const players of LEVELS) for (const upstream of UPSTREAMS) {
    const pairRatios: number[] = [];
    const pairCpu: Array<[tickwire: number, bare: number]> = [];
    const pairLateness: number[] = [];
    let shape: IoShape | null = null;
    for (let pair = 0; pair < REPEAT; pair++) {
      process.stdout.write(`· ${players} players, upstream ${upstream}${REPEAT > 1 ? `, pair ${pair + 1}/${REPEAT}` : ''}: `);
      let before: Row | null = null;
      // An older checkout may not know input batches: it is measured in single30 only.
      if (BEFORE_ROOT && upstream === 'single30') {
        process.stdout.write('tickwire (before), ');
        before = (await runTickwire(players, upstream, BEFORE_ROOT)).row;
        rows.push(before);
      }
      // Odd pairs run the floor first (with the previous run's frame shape), so drift over
      // the run (the VM warming, a neighbour waking) does not always favour the same side.
      const bareFirst = WITH_BARE && shape !== null && pair % 2 === 1;
      let bare: Row | null = null;
      if (bareFirst) {
        process.stdout.write('bare uWS, ');
        bare = await runBare(players, upstream, shape!);
      }
      process.stdout.write('tickwire');
      const run = await runTickwire(players, upstream);
      const row = run.row;
      shape = run.shape;
      rows.push(row);
      if (WITH_BARE && !bare) {
        // The floor does this run's I/O: the frame sizes and rates of the current tree.
        process.stdout.write(', bare uWS');
        bare = await runBare(players, upstream, shape);
      }
      if (bare) {
        rows.push(bare);
        ratios.set(row, row.cpuMsPerPlayerSecond / bare.cpuMsPerPlayerSecond);
        pairRatios.push(row.cpuMsPerPlayerSecond / bare.cpuMsPerPlayerSecond);
        pairCpu.push([row.cpuMsPerPlayerSecond, bare.cpuMsPerPlayerSecond]);
        if (before) ratios.set(before, before.cpuMsPerPlayerSecond / bare.cpuMsPerPlayerSecond);
      }
      pairLateness.push(row.latenessP99);
      const closes = Object.entries(row.closes).map(([c, k]) => `${c}×${k}`).join(' ');
      process.stdout.write(` done${row.failures ? `, ${row.failures} bot failures` : ''}${closes ? `, closes ${closes}` : ''}\n`);
    }
    if (REPEAT > 1) summaries.push(repeatSummary(players, upstream, pairRatios, pairCpu, pairLateness));
  }

  let idle: IdleResult | null = null;
  if (IDLE_SOCKETS > 0) {
    process.stdout.write(`· lobby-idle: ${IDLE_SOCKETS} sockets\n`);
    idle = await runLobbyIdle({ startTickwire, startBare, swarm: spawnSwarm, withBare: WITH_BARE }, IDLE_SOCKETS);
  }

  console.log('');
  console.log(table(rows, ratios));
  console.log('');
  for (const line of summaries) console.log(line);
  const tw = rows.filter((r) => r.system === 'tickwire');
  const best = tw.reduce((a, b) => (b.players > a.players ? b : a));
  console.log(`server capacity estimate at ${best.players} players: ${Math.floor(1000 / best.cpuMsPerPlayerSecond)} active players per core (1000 ms ÷ CPU ms per player·s)`);
  if (idle) console.log(`lobby-idle: ${idle.status === 'measured' ? `${f(idle.kbPerConnection!, 2)} KB per idle connection; ${idle.note}` : idle.note}`);
  console.log('CPU: server process user+system time from /proc over the window; bytes are WebSocket payload; tick and lateness from the server histograms (bucket-interpolated); RTT and input→ack at the bots (include their own event-loop delay; input→ack runs from the input being made, so batch15 includes the tick the first input of a frame waits).');

  const ratioList = rows.map((r) => ({ system: r.system, upstream: r.upstream, players: r.players, ratio: ratios.get(r) ?? null }));
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ machine, levels: LEVELS, windowSeconds: WINDOW_S, pinned: PIN, rows, ratios: ratioList, idle }, null, 2));
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench: ${e.message}`);
    process.exit(1);
  },
);
