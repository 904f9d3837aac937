/**
 * `tickwire serve --workers N --redis URL`: this process becomes the primary and runs N
 * worker processes, each a full node of the cluster owning its own matches. All workers
 * listen on the shared `--port` (SO_REUSEPORT, which uWS sets by default on Linux: the
 * kernel spreads REST connections over them) and each also on its own play port
 * (`--port` + i, or a free one with `--port 0`), which the matchmaker hands out as that
 * worker's public URL (`ws://host:port+i`, or `<public-url>/w<i>` behind a proxy). So any
 * worker answers any REST call, and a player's WebSocket always reaches its match's owner.
 *
 * The primary checks Redis before starting anyone, restarts a worker that exits on its own
 * (after a backoff that grows while it keeps crashing), and on SIGTERM/SIGINT forwards the
 * signal (over IPC) so every worker drains; it exits when all have (with the highest worker
 * status).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { RedisConnection } from '../presence/redis/redisConnection.js';

export const WORKER_ENV = 'TICKWIRE_WORKER';

/** What the primary tells a worker (in the environment). */
export interface WorkerSettings {
  index: number;
  port: number;
  playPort: number;
  publicUrl: string;
}

export function workerSettings(env: NodeJS.ProcessEnv = process.env): WorkerSettings | null {
  const raw = env[WORKER_ENV];
  if (!raw) return null;
  const w = JSON.parse(raw) as WorkerSettings;
  if (!Number.isInteger(w.index) || !Number.isInteger(w.port) || !Number.isInteger(w.playPort) || typeof w.publicUrl !== 'string') {
    throw new Error(`${WORKER_ENV} is malformed`);
  }
  return w;
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host === '0.0.0.0' ? undefined : host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface PrimaryIo {
  err(text: string): void;
}

export async function runPrimary(config: ServerConfig, log: Logger, io: PrimaryIo): Promise<number> {
  try {
    await (await RedisConnection.connect(config.redisUrl!)).close();
  } catch (e) {
    io.err(`tickwire: ${(e as Error).message}`);
    return 1;
  }
  const n = config.workers;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const port = config.port || (await freePort(config.host));
  const settings: WorkerSettings[] = [];
  for (let i = 1; i <= n; i++) {
    const playPort = config.port ? config.port + i : await freePort(config.host);
    const publicUrl = config.publicUrl ? `${config.publicUrl.replace(/\/$/, '')}/w${i}` : `ws://${host}:${playPort}`;
    settings.push({ index: i, port, playPort, publicUrl });
  }

  const children = new Map<number, ChildProcess>();
  const statuses: number[] = [];
  const ready = new Set<number>();
  let stopping = false;
  let signals = 0;
  let done: (status: number) => void = () => {};
  const finished = new Promise<number>((r) => (done = r));

  const start = (w: WorkerSettings, crashes: number) => {
    const child = fork(process.argv[1], process.argv.slice(2), {
      env: { ...process.env, [WORKER_ENV]: JSON.stringify(w) },
      // Own process group: a Ctrl-C reaches only the primary, which forwards it once.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const startedAt = Date.now();
    children.set(w.index, child);
    child.on('message', (m) => {
      if ((m as { ready?: boolean }).ready !== true) return;
      ready.add(w.index);
      log.info({ worker: w.index, pid: child.pid, playPort: w.playPort, url: w.publicUrl }, 'worker ready');
      if (ready.size === n && crashes === 0) log.info({ port, workers: n }, `tickwire workers ready on http://${host}:${port}`);
    });
    child.on('exit', (code, signal) => {
      children.delete(w.index);
      ready.delete(w.index);
      const status = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
      if (stopping) {
        statuses.push(status);
        log.info({ worker: w.index, code, signal }, 'worker stopped');
        if (children.size === 0) done(Math.max(0, ...statuses));
        return;
      }
      // A worker that keeps dying right after start backs off (0.5 s doubling to 10 s).
      const quick = Date.now() - startedAt < 10_000;
      const next = quick ? crashes + 1 : 0;
      const delay = Math.min(10_000, 500 * 2 ** Math.max(0, next - 1));
      log.error({ worker: w.index, code, signal, restartInMs: delay }, 'worker exited unexpectedly; restarting it');
      setTimeout(() => {
        if (!stopping) start(w, next);
      }, delay).unref();
    });
  };

  for (const w of settings) start(w, 0);
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    stopping = true;
    log.info({ signal, workers: children.size }, signals === 1 ? 'shutting down: every worker drains' : 'second signal: workers end their matches now');
    // Over IPC, handled once the worker's own handlers are in place (a raw signal reaching a
    // worker that is still starting would kill it outright); a raw signal only without IPC.
    for (const c of children.values()) {
      if (c.connected) c.send({ signal });
      else c.kill(signal);
    }
    if (children.size === 0) done(0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const status = await finished;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return status;
}
