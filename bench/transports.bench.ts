/**
 * WebSocket vs HTTP long-polling at N players (default 200): the same Node bots (inputs at
 * 30 Hz, a ping every second) play first over WebSocket, then over long-polling (the
 * client's own PollingSocket, over node:http: ./support/httpFetch.ts), each run against a fresh server child
 * process. Every byte goes through a counting TCP proxy in this process, so the figures
 * include what each transport costs on the wire: HTTP request and response headers,
 * WebSocket framing and masking, TCP payload only (not IP/TCP headers).
 *
 * Prints per transport: RTT p50/p99 (ping → pong, ms), bytes/s per player down and up, the
 * CPU of the server and of this process (bots + proxy, % of one core: when this process is
 * near 100 % the RTT measures the bots, not the transport), and the polling/WebSocket ratios.
 *
 *   npm run bench:transports -- [players=200] [seconds=20]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { BEARER_SUBPROTOCOL_PREFIX, Buttons, ClientType, decodeServer, encodeClient, ServerType, SUBPROTOCOL } from '../protocol/index.js';
import { PollingSocket } from '../client/transport/pollingSocket.js';
import type { WebSocketLike } from '../client/socket.js';
import { guest, matchmake } from '../test/support/api.js';
import { freePort, stopChild, trackChild } from './support/childProcesses.js';
import { httpFetch } from './support/httpFetch.js';
import { cpuMs } from './support/procStats.js';

const PLAYERS = Number(process.argv[2] ?? 200);
const SECONDS = Number(process.argv[3] ?? 20);
const WARMUP_MS = 3000;
const ROOT = join(import.meta.dirname, '..');
const JWT_SECRET = 'bench-secret-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Transport = 'websocket' | 'polling';

interface Bot {
  socket: WebSocketLike;
  seq: number;
  open: boolean;
}

/** Byte counts of everything that crossed the proxy. */
class CountingProxy {
  up = 0;
  down = 0;
  private readonly server: Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly target: number) {
    this.server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      this.sockets.add(client).add(upstream);
      client.on('data', (c: Buffer) => {
        this.up += c.byteLength;
        upstream.write(c);
      });
      upstream.on('data', (c: Buffer) => {
        this.down += c.byteLength;
        client.write(c);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
  }

  listen(): Promise<number> {
    return new Promise((r) => this.server.listen(0, '127.0.0.1', () => r((this.server.address() as { port: number }).port)));
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = trackChild(
    spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        TICKWIRE_HOST: '127.0.0.1',
        TICKWIRE_PORT: String(port),
        TICKWIRE_JWT_SECRET: JWT_SECRET,
        TICKWIRE_LOG_LEVEL: 'warn',
        TICKWIRE_BOT_FILL_DELAY: 'off',
        TICKWIRE_ARENA: JSON.stringify({ countdownSeconds: 0, minPlayers: 1, matchSeconds: 3600 }),
        // Every bot comes from this one machine: per-address limits out of the way.
        TICKWIRE_LIMITS: JSON.stringify({ guestSignupsPerAddress: { perMinute: 1_000_000, burst: 1_000_000 } }),
        TICKWIRE_POLLING: JSON.stringify({ sessionsPerAddress: 1_000_000 }),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
    'tickwire server',
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('the Tickwire server exited during startup (see above)');
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the Tickwire server did not answer /healthz within 30 s');
    await sleep(100);
  }
  return { child, port };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Result {
  p50: number;
  p99: number;
  down: number;
  up: number;
  samples: number;
  /** Server CPU, % of one core. */
  serverCpu: number;
  /** This process's CPU (bots + proxy), % of one core. */
  botsCpu: number;
}

async function run(transport: Transport): Promise<Result> {
  const { child, port } = await startServer();
  const proxy = new CountingProxy(port);
  const proxyPort = await proxy.listen();
  const http = `http://127.0.0.1:${port}`;
  const bots: Bot[] = [];
  const rtts: number[] = [];
  const closes = new Map<string, number>();
  let measuring = false;
  let inputs: ReturnType<typeof setInterval> | null = null;
  try {
    // One 30 Hz timer drives every open bot's input from the start (a bot silent for the
    // play idle timeout, 32 s, would be closed while the others sign in); pings spread over the second.
    let n = 0;
    inputs = setInterval(() => {
      n++;
      for (let i = 0; i < bots.length; i++) {
        const b = bots[i];
        if (!b.open) continue;
        b.socket.send(encodeClient({ type: ClientType.Input, seq: ++b.seq, buttons: [Buttons.Right, Buttons.Down, Buttons.Left, Buttons.Up][Math.floor(n / 30 + i) % 4], aim: 0, ackTick: 0 }));
        if ((n + i) % 30 === 0) b.socket.send(encodeClient({ type: ClientType.Ping, t: performance.now() }));
      }
    }, 1000 / 30);
    // Sign-in and matchmaking go straight to the server: only play traffic is counted.
    for (let i = 0; i < PLAYERS; i++) {
      const g = await guest(http, `B${i}`);
      const mm = await matchmake(http, g.token);
      const url = `ws://127.0.0.1:${proxyPort}/play?ticket=${encodeURIComponent(mm.ticket)}`;
      const protocols = [SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${g.token}`];
      const socket: WebSocketLike = transport === 'websocket' ? (new WebSocket(url, protocols) as unknown as WebSocketLike) : new PollingSocket(url, protocols, { fetch: httpFetch });
      socket.binaryType = 'arraybuffer';
      const bot: Bot = { socket, seq: 0, open: false };
      socket.onopen = () => (bot.open = true);
      socket.onclose = (ev) => {
        bot.open = false;
        const why = `${ev.code} ${ev.reason}`;
        closes.set(why, (closes.get(why) ?? 0) + 1);
      };
      socket.onmessage = (ev) => {
        const m = decodeServer(new Uint8Array(ev.data as ArrayBuffer));
        if (measuring && m.ok && m.value.type === ServerType.Pong) rtts.push(performance.now() - m.value.t);
      };
      bots.push(bot);
    }
    const deadline = Date.now() + 30_000;
    while (bots.some((b) => !b.open)) {
      if (Date.now() > deadline) throw new Error(`${bots.filter((b) => !b.open).length} ${transport} bots did not open; closes: ${JSON.stringify([...closes])}`);
      await sleep(50);
    }
    await sleep(WARMUP_MS);
    measuring = true;
    const up0 = proxy.up;
    const down0 = proxy.down;
    const cpu0 = cpuMs(child.pid!);
    const own0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const serverCpu = (cpuMs(child.pid!) - cpu0) / (elapsed * 10);
    const own = process.cpuUsage(own0);
    const botsCpu = (own.user + own.system) / 1000 / (elapsed * 10);
    const up = (proxy.up - up0) / elapsed / PLAYERS;
    const down = (proxy.down - down0) / elapsed / PLAYERS;
    measuring = false;
    if (closes.size > 0) console.error(`bench: ${transport} bots closed: ${JSON.stringify([...closes])}`);
    rtts.sort((a, b) => a - b);
    return { p50: percentile(rtts, 50), p99: percentile(rtts, 99), down, up, samples: rtts.length, serverCpu, botsCpu };
  } finally {
    if (inputs) clearInterval(inputs);
    for (const b of bots) b.socket.close();
    await proxy.close();
    await stopChild(child);
  }
}

async function main(): Promise<void> {
  console.log(`transports: ${PLAYERS} players, ${SECONDS} s measured after ${WARMUP_MS / 1000} s warm-up, through a counting TCP proxy`);
  const ws = await run('websocket');
  const poll = await run('polling');
  const f = (x: number, d = 1) => x.toFixed(d);
  console.log('transport   RTT p50  RTT p99   down B/s/player   up B/s/player   pongs   server CPU   bots+proxy CPU');
  for (const [name, r] of [['websocket', ws], ['polling', poll]] as const) {
    console.log(
      `${name.padEnd(10)} ${f(r.p50).padStart(7)}  ${f(r.p99).padStart(7)}   ${f(r.down, 0).padStart(15)}   ${f(r.up, 0).padStart(13)}   ${String(r.samples).padStart(5)}   ${f(r.serverCpu).padStart(9)} %   ${f(r.botsCpu).padStart(12)} %`,
    );
  }
  console.log(
    `polling / websocket: RTT p50 ${f(poll.p50 / ws.p50, 2)}×, p99 ${f(poll.p99 / ws.p99, 2)}×, down ${f(poll.down / ws.down, 2)}×, up ${f(poll.up / ws.up, 2)}×, server CPU ${f(poll.serverCpu / ws.serverCpu, 2)}×`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:transports failed: ${(e as Error).message}`);
    process.exit(1);
  },
);
