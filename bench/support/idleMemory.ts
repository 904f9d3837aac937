/**
 * lobby-idle, the capacity bench's memory part: RSS (and V8 heap) per idle authenticated
 * `/lobby` socket after a full GC, against the bare uWS process holding the same number of
 * sockets with no auth and no state.
 */
import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { BEARER_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../protocol/index.js';
import type { SwarmMode } from '../../loadtest/bots/swarm.js';
import { freePort, stopChild } from './childProcesses.js';
import { rssBytes } from './procStats.js';
import { parseProm, total, type Sample } from './promText.js';
import type { SwarmProcess } from './swarmProcess.js';

/** What the bench gives this part: how to start its processes. */
export interface IdleDeps {
  startTickwire(o: { inspectPort: number }): Promise<{ child: ChildProcess; http: string }>;
  startBare(env: Record<string, string>): Promise<{ child: ChildProcess; http: string }>;
  swarm(target: string, players: number, mode: SwarmMode, extra: string[]): SwarmProcess;
  withBare: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scrape(http: string): Promise<Sample[]> {
  return parseProm(await (await fetch(`${http}/metrics`)).text());
}

/**
 * Runs a full garbage collection in a process started with --inspect (DevTools protocol
 * HeapProfiler.collectGarbage), so memory read afterwards is what connections retain, not
 * the connect storm's garbage.
 */
async function collectGarbage(inspectPort: number): Promise<void> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise<void>((res, rej) => {
    ws.once('error', rej);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
    ws.on('message', (data) => {
      if ((JSON.parse(String(data)) as { id?: number }).id === 1) res();
    });
  });
  ws.close();
}

/** Opens one authenticated idle socket on `path`; resolves with the HTTP status of a refused upgrade, or 101. */
async function probeUpgrade(http: string, path: string): Promise<number> {
  const res = await fetch(`${http}/api/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'probe' }) });
  const { token } = (await res.json()) as { token: string };
  return new Promise((resolveStatus) => {
    const ws = new WebSocket(`${http.replace(/^http/, 'ws')}${path}`, [SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`]);
    ws.once('open', () => {
      ws.terminate();
      resolveStatus(101);
    });
    ws.once('unexpected-response', (_req, r) => {
      resolveStatus(r.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolveStatus(0));
  });
}

export interface IdleResult {
  status: 'measured' | 'pending';
  note: string;
  sockets?: number;
  kbPerConnection?: number;
  /** The same measurement on the bare uWS process: sockets with no auth and no state. */
  bareKbPerConnection?: number;
  /** Of the Tickwire figure, growth of V8's used heap per connection after a full GC: the JS objects a connection keeps. */
  heapKbPerConnection?: number;
}

/** RSS growth per socket while `sockets` idle bots hold connections to `http` + `path`. */
async function idleRss(
  d: IdleDeps,
  pid: number,
  http: string,
  sockets: number,
  extra: string[],
  countOpen: () => Promise<number | null>,
  gc: () => Promise<void> = async () => {},
): Promise<{ open: number; failed: number; kb: number; mb: number }> {
  await sleep(1000);
  await gc();
  const rss0 = rssBytes(pid);
  const swarm = d.swarm(http, sockets, 'idle', ['--concurrency', '128', ...extra]);
  try {
    const ready = await swarm.ready();
    // Let the connect storm settle, and collect its garbage where we can, before reading memory.
    await sleep(3000);
    await gc();
    const rss1 = rssBytes(pid);
    const open = (await countOpen()) || ready.connected;
    return { open, failed: ready.failed, kb: (rss1 - rss0) / Math.max(1, open) / 1024, mb: (rss1 - rss0) / 1048576 };
  } finally {
    await swarm.stop();
  }
}

export async function runLobbyIdle(d: IdleDeps, sockets: number): Promise<IdleResult> {
  const inspectPort = await freePort();
  const server = await d.startTickwire({ inspectPort });
  const gc = () => collectGarbage(inspectPort);
  let result: IdleResult;
  try {
    const status = await probeUpgrade(server.http, '/lobby');
    if (status !== 101) {
      return { status: 'pending', note: `pending: this server has no /lobby namespace yet (upgrade answered HTTP ${status}); no number is reported` };
    }
    await gc();
    const heap0 = total(await scrape(server.http), 'nodejs_heap_size_used_bytes');
    let heap1 = heap0;
    const r = await idleRss(d, server.child.pid!, server.http, sockets, ['--path', '/lobby'], async () => {
      const m = await scrape(server.http);
      heap1 = total(m, 'nodejs_heap_size_used_bytes');
      return total(m, 'tickwire_connections', { namespace: 'lobby' });
    }, gc);
    const heapKb = (heap1 - heap0) / Math.max(1, r.open) / 1024;
    result = {
      status: 'measured',
      sockets: r.open,
      kbPerConnection: r.kb,
      heapKbPerConnection: heapKb,
      note: `${r.open} idle authenticated /lobby sockets (${r.failed} failed), server RSS +${r.mb.toFixed(1)} MB after a full GC; V8 heap in use +${heapKb.toFixed(2)} KB per connection`,
    };
  } finally {
    await stopChild(server.child);
  }
  if (d.withBare) {
    const bare = await d.startBare({ BARE_SNAPSHOTS_PER_SEC: '0' });
    try {
      const r = await idleRss(d, bare.child.pid!, bare.http, sockets, ['--path', '/play', '--no-auth'], async () => null);
      result.bareKbPerConnection = r.kb;
      result.note += `; bare uWS floor ${r.kb.toFixed(2)} KB per idle socket (${r.open} sockets)`;
    } finally {
      await stopChild(bare.child);
    }
  }
  return result;
}
