/**
 * The I/O floor for the capacity benchmark: a bare uWS process doing the same socket work
 * as a Tickwire server and nothing else. Sockets are put 8 to a topic in arrival order (the
 * match layout); on a single drift-free timer at the tick rate it publishes snapshot-sized
 * frames to every topic at the rate the Tickwire run measured (protocol v2 sends game events
 * inside snapshots, so there is no other per-match frame); input
 * frames are received and dropped; pings get a same-size pong echoing the ping's `t`, so
 * the bots can measure RTT. No auth, no decoding, no rooms, no game, no metrics — except
 * the lateness of its own timer (GET /lateness, `?reset=1` to start a window), measured the
 * same way as Tickwire's tick lateness, so the table can show how late any timer on this
 * machine wakes under the same I/O.
 *
 * Run by bench/capacity.bench.ts with BARE_* env; prints `bare listening <port>` when ready.
 */
import { ServerType, SUBPROTOCOL } from '../protocol/index.js';
import { loadUws } from '../server/uws.js';
import { COMPRESSION_DISABLED, LISTEN_EXCLUSIVE_PORT } from '../server/uwsTypes.js';

const uWS = loadUws();

function env(name: string, fallback: number): number {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number ≥ 0`);
  return v;
}

const port = env('BARE_PORT', 0);
const tickRate = env('BARE_TICK_RATE', 30);
const matchSize = env('BARE_MATCH_SIZE', 8);
const snapshotBytes = Math.max(8, Math.round(env('BARE_SNAPSHOT_BYTES', 160)));
const snapshotsPerSec = env('BARE_SNAPSHOTS_PER_SEC', 15);

/** A frame of `size` bytes that the bots classify like a real one: `[type, tick, …]` then padding. */
function frame(type: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  b[0] = 0x95;
  b[1] = type;
  b[2] = 0xce; // tick as uint32, patched per publish
  return b;
}
const snapshotFrame = frame(ServerType.Snapshot, snapshotBytes);

const app = uWS.App();
let nextIndex = 0;
const topics: string[] = [];

app.ws<{ topic: string }>('/play', {
  compression: COMPRESSION_DISABLED,
  maxPayloadLength: 4096,
  idleTimeout: 32,
  sendPingsAutomatically: true,
  maxBackpressure: 1024 * 1024,
  closeOnBackpressureLimit: false,
  upgrade: (res, req, context) => {
    const protocols = req.getHeader('sec-websocket-protocol');
    if (!protocols.split(',').some((p) => p.trim() === SUBPROTOCOL)) {
      res.writeStatus('400 Bad Request').end();
      return;
    }
    const m = Math.floor(nextIndex++ / matchSize);
    res.upgrade({ topic: `match/${m}` }, req.getHeader('sec-websocket-key'), SUBPROTOCOL, req.getHeader('sec-websocket-extensions'), context);
  },
  open: (ws) => {
    const { topic } = ws.getUserData();
    if (!topics.includes(topic)) topics.push(topic);
    ws.subscribe(topic);
  },
  message: (ws, message) => {
    const b = new Uint8Array(message);
    // A ping `[2, t]` → pong `[67, t, serverTime]`, copying t's bytes; anything else is dropped.
    if (b.length >= 3 && b[0] === 0x92 && b[1] === 2) {
      const pong = Buffer.alloc(b.length + 9);
      pong[0] = 0x93;
      pong[1] = ServerType.Pong;
      pong.set(b.subarray(2), 2);
      pong[b.length] = 0xcb;
      pong.writeDoubleBE(Date.now(), b.length + 1);
      ws.send(pong, true);
    }
  },
});

const interval = 1000 / tickRate;
const snapshotEvery = Math.max(1, Math.round(tickRate / Math.max(1e-9, snapshotsPerSec)));
const start = performance.now();
let tick = 0;
let lateness: number[] = [];

app.get('/lateness', (res, req) => {
  const sorted = lateness.slice().sort((a, b) => a - b);
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : null);
  if (req.getQuery('reset')) lateness = [];
  res.writeHeader('content-type', 'application/json').end(JSON.stringify({ count: sorted.length, p50: q(0.5), p99: q(0.99) }));
});

function runTick(): void {
  tick++;
  snapshotFrame.writeUInt32BE(tick >>> 0, 3);
  if (tick % snapshotEvery !== 0) return;
  for (const topic of topics) app.publish(topic, snapshotFrame, true);
}

function loop(): void {
  const due = start + (tick + 1) * interval;
  const now = performance.now();
  if (now >= due) lateness.push(now - due);
  let ran = 0;
  while (start + (tick + 1) * interval <= performance.now() && ran++ < 3) runTick();
  // Behind by more than 3 ticks: skip the rest, as Tickwire's loop does.
  if (start + (tick + 1) * interval <= performance.now()) tick = Math.floor((performance.now() - start) / interval);
  setTimeout(loop, Math.max(0, start + (tick + 1) * interval - performance.now()));
}

app.listen('127.0.0.1', port, LISTEN_EXCLUSIVE_PORT, (token) => {
  if (!token) {
    console.error(`bare: port ${port} is in use`);
    process.exit(1);
  }
  console.log(`bare listening ${uWS.us_socket_local_port(token)}`);
  loop();
});
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));
