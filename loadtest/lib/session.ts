/**
 * One k6 VU iteration as a player: guest auth (once per VU, like a player who keeps their
 * token) → quick-play matchmake → WebSocket with the `tickwire.v2` subprotocol and the JWT
 * in the Authorization header → an input every tick from PlayerPattern, fed by the decoded
 * snapshots → a ping every second. Every server frame goes through the real codec
 * (decodeServer + applySnapshotDelta), so a wire regression shows up as decode errors.
 *
 * The session ends when the match ends (close 4014), when `maxMs` or `deadline` passes
 * (then the player leaves properly or just drops the socket, per `end`), or when k6 stops
 * the VU. The iteration lasts as long as the socket: k6 waits for the event loop to drain.
 */
import { check } from 'k6';
import http from 'k6/http';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'k6/timers';
import {
  ARENA_SCHEMA,
  ClientType,
  CloseCode,
  PlayerField,
  PlayerFlags,
  POSITION_SCALE,
  ServerType,
  SUBPROTOCOL,
  Tables,
  KEYFRAME,
  applySnapshotDelta,
  resolveAck,
  decodeServer,
  encodeClient,
  type SnapshotState,
} from '../../protocol/index.js';
import type { Target } from './env.js';
import { metrics } from './k6Metrics.js';
import { OPEN, openSocket } from './k6Socket.js';
import { PlayerPattern, type Point } from './playerPattern.js';

export interface SessionOptions {
  target: Target;
  mode?: string;
  /** End the session this long after the welcome, ms; 0 = play until the match ends. */
  maxMs?: number;
  /** End the session at this wall-clock time (ms since epoch) instead; wins over maxMs. */
  deadline?: number;
  /** How the session ends by our choice: send `leave` (the seat is freed) or drop the socket (the seat waits for a resume). */
  end: 'leave' | 'drop';
  /** Tags added to every sample of this session. */
  tags?: Record<string, string>;
}

/** Close codes that end a session normally: our own or the server's reply to `leave`, and the match ending. */
const EXPECTED_CLOSES = new Set<number>([1000, CloseCode.MatchEnded]);

// Per-VU state (each VU has its own JS runtime): the token, and the seat the last session
// left behind without leaving (a drop or a lost connection), which the server keeps for a
// resume. A welcome to that same match and player id is a resume; after a `leave` the same
// id can come back as a fresh join (ids are reused), so no seat is remembered then.
let guest: { token: string; id: string } | null = null;
let heldSeat: { matchId: string; playerId: number } | null = null;

function jsonHeaders(token?: string): Record<string, string> {
  return token ? { 'content-type': 'application/json', authorization: `Bearer ${token}` } : { 'content-type': 'application/json' };
}

function signIn(t: Target, tags: Record<string, string>): { token: string; id: string } | null {
  if (guest) return guest;
  const res = http.post(`${t.http}/api/auth/guest`, JSON.stringify({ name: `k6-${__VU}` }), {
    headers: jsonHeaders(),
    tags: { ...tags, name: 'auth' },
  });
  metrics.authMs.add(res.timings.duration, tags);
  if (!check(res, { 'guest auth 200': (r) => r.status === 200 })) {
    warnOnce(`guest auth failed: HTTP ${res.status} ${String(res.body).slice(0, 120)}`);
    return null;
  }
  const body = res.json() as { token: string; player: { id: string } };
  guest = { token: body.token, id: body.player.id };
  return guest;
}

interface Matchmade {
  matchId: string;
  url: string;
  ticket: string;
}

function matchmake(t: Target, token: string, mode: string, tags: Record<string, string>): Matchmade | null {
  const res = http.post(`${t.http}/api/matchmake`, JSON.stringify({ mode }), {
    headers: jsonHeaders(token),
    tags: { ...tags, name: 'matchmake' },
  });
  metrics.matchmakeMs.add(res.timings.duration, tags);
  if (!check(res, { 'matchmake 200': (r) => r.status === 200 })) {
    warnOnce(`matchmake failed: HTTP ${res.status} ${String(res.body).slice(0, 120)}`);
    // A 401 means the token is no longer good (server restarted with another secret): sign in again next time.
    if (res.status === 401) guest = null;
    return null;
  }
  return res.json() as unknown as Matchmade;
}

let warned = 0;
/** A few lines per VU at most: thousands of identical errors would drown the summary. */
function warnOnce(msg: string): void {
  if (warned++ < 3) console.warn(`VU ${__VU}: ${msg}`);
}

function nearestOpponent(snap: SnapshotState, me: number): { me: Point | null; target: Point | null } {
  const players = snap.tables[Tables.Players].rows;
  const mine = players.get(me);
  if (!mine) return { me: null, target: null };
  const pos = { x: mine[PlayerField.X] / POSITION_SCALE, y: mine[PlayerField.Y] / POSITION_SCALE };
  let best: Point | null = null;
  let bestD = Infinity;
  for (const [id, row] of players) {
    if (id === me || !(row[PlayerField.Flags] & PlayerFlags.Alive)) continue;
    const x = row[PlayerField.X] / POSITION_SCALE;
    const y = row[PlayerField.Y] / POSITION_SCALE;
    const d = (x - pos.x) ** 2 + (y - pos.y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = { x, y };
    }
  }
  return { me: pos, target: best };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
  return bytes.slice().buffer as ArrayBuffer;
}

export function playSession(o: SessionOptions): void {
  const tags = o.tags ?? {};
  const user = signIn(o.target, tags);
  if (!user) {
    metrics.sessionFailed.add(1, { ...tags, stage: 'auth' });
    return;
  }
  const mm = matchmake(o.target, user.token, o.mode ?? 'arena', tags);
  if (!mm) {
    metrics.sessionFailed.add(1, { ...tags, stage: 'matchmake' });
    return;
  }

  const started = Date.now();
  const ws = openSocket(`${mm.url}?ticket=${encodeURIComponent(mm.ticket)}`, [SUBPROTOCOL], {
    headers: { Authorization: `Bearer ${user.token}` },
    // A fixed name: the URL carries a one-off ticket, which would make every session its own time series.
    tags: { ...tags, name: 'play' },
  });

  let opened = false;
  let welcomed = false;
  let closedByUs = false;
  let playerId = 0;
  let snap: SnapshotState | null = null;
  /** This player's last applied input sequence (the snapshots' ack); null until a keyframe. */
  let acked: number | null = null;
  let lastSnapshotAt = 0;
  let snapshotIntervalMs = 0;
  let seq = 0;
  const sentAt = new Array<number>(256).fill(0);
  let lastAckedSeq = 0;
  let pattern: PlayerPattern | null = null;
  // Local sums flushed once a second (see k6Metrics.ts).
  let pendingInputs = 0;
  let pendingUp = 0;
  let pendingDown = 0;
  let pendingSnapshots = 0;
  const timers: Array<{ kind: 'interval' | 'timeout'; id: number }> = [];

  // Flushed every second, not only at close: k6 stops delivering events to a VU it
  // interrupts (ramp-down, end of test), so a close-time flush alone would lose them.
  let flushedAt = 0;
  const flush = () => {
    if (opened) {
      const now = Date.now();
      metrics.playSeconds.add((now - flushedAt) / 1000, tags);
      flushedAt = now;
    }
    if (pendingInputs) metrics.inputsSent.add(pendingInputs, tags);
    if (pendingUp) metrics.bytesUp.add(pendingUp, tags);
    if (pendingDown) metrics.bytesDown.add(pendingDown, tags);
    if (pendingSnapshots) metrics.snapshots.add(pendingSnapshots, tags);
    pendingInputs = pendingUp = pendingDown = pendingSnapshots = 0;
  };
  const send = (bytes: Uint8Array) => {
    if (ws.readyState !== OPEN) return;
    ws.send(toArrayBuffer(bytes));
    pendingUp += bytes.byteLength;
  };
  const stopTimers = () => {
    for (const t of timers.splice(0)) (t.kind === 'interval' ? clearInterval : clearTimeout)(t.id);
  };
  const endByChoice = () => {
    if (closedByUs || ws.readyState !== OPEN) return;
    closedByUs = true;
    stopTimers();
    if (o.end === 'leave') {
      send(encodeClient({ type: ClientType.Leave }));
      // The server answers a leave by closing; close ourselves if it does not within 2 s.
      timers.push({ kind: 'timeout', id: setTimeout(() => ws.close(), 2000) });
    } else {
      ws.close();
    }
  };

  ws.addEventListener('open', () => {
    opened = true;
    flushedAt = Date.now();
    metrics.connectMs.add(flushedAt - started, tags);
    timers.push({
      kind: 'interval',
      id: setInterval(() => {
        send(encodeClient({ type: ClientType.Ping, t: Date.now() }));
        flush();
      }, 1000),
    });
    if (o.deadline !== undefined) timers.push({ kind: 'timeout', id: setTimeout(endByChoice, Math.max(0, o.deadline - Date.now())) });
  });

  ws.addEventListener('message', (e) => {
    const now = typeof e.timestamp === 'number' ? e.timestamp : Date.now();
    if (typeof e.data === 'string') {
      metrics.decodeErrors.add(1, { ...tags, reason: 'text frame' });
      return;
    }
    pendingDown += e.data.byteLength;
    const r = decodeServer(e.data);
    if (!r.ok) {
      metrics.decodeErrors.add(1, tags);
      warnOnce(`undecodable frame: ${r.error}`);
      return;
    }
    const msg = r.value;
    switch (msg.type) {
      case ServerType.Welcome: {
        welcomed = true;
        playerId = msg.playerId;
        metrics.sessions.add(1, tags);
        metrics.sessionFailed.add(0, tags);
        if (heldSeat && heldSeat.matchId === msg.matchId && heldSeat.playerId === msg.playerId) metrics.resumes.add(1, tags);
        heldSeat = { matchId: msg.matchId, playerId: msg.playerId };
        snapshotIntervalMs = 1000 / msg.config.snapshotRate;
        pattern ??= new PlayerPattern(__VU * 7919 + __ITER, msg.config.tickRate);
        const p = pattern;
        timers.push({
          kind: 'interval',
          id: setInterval(() => {
            const view = snap ? nearestOpponent(snap, playerId) : { me: null, target: null };
            const intent = p.next(view.me, view.target);
            seq++;
            sentAt[seq & 255] = Date.now();
            send(encodeClient({ type: ClientType.Input, seq, buttons: intent.buttons, aim: intent.aim, ackTick: snap?.tick ?? 0 }));
            pendingInputs++;
          }, 1000 / msg.config.tickRate),
        });
        if (o.deadline === undefined && o.maxMs) timers.push({ kind: 'timeout', id: setTimeout(endByChoice, o.maxMs) });
        return;
      }
      case ServerType.Snapshot: {
        pendingSnapshots++;
        metrics.snapshotBytes.add(e.data.byteLength, tags);
        if (lastSnapshotAt > 0 && snapshotIntervalMs > 0) metrics.jitterMs.add(Math.abs(now - lastSnapshotAt - snapshotIntervalMs), tags);
        lastSnapshotAt = now;
        const applied = applySnapshotDelta(snap, msg.delta, ARENA_SCHEMA);
        const nextAck = resolveAck(acked, msg.delta.baselineTick === KEYFRAME, msg.ack);
        if (applied.ok && nextAck === null) {
          metrics.decodeErrors.add(1, { ...tags, reason: 'ack' });
          warnOnce('snapshot ack without a keyframe before it');
          return;
        }
        if (!applied.ok) {
          metrics.decodeErrors.add(1, { ...tags, reason: 'delta' });
          warnOnce(`snapshot delta did not apply: ${applied.error}`);
          return;
        }
        snap = applied.value;
        acked = nextAck!;
        // Only inputs from the last 256 are still in the ring; older acks are not timed.
        if (acked > lastAckedSeq && acked > seq - 256 && sentAt[acked & 255] > 0) metrics.inputAckMs.add(Math.max(0, now - sentAt[acked & 255]), tags);
        if (acked > lastAckedSeq) lastAckedSeq = acked;
        return;
      }
      case ServerType.Pong:
        metrics.rttMs.add(Math.max(0, now - msg.t), tags);
        return;
      default:
        return;
    }
  });

  ws.addEventListener('error', (e) => {
    const err = e.error ?? 'unknown error';
    if (!opened) warnOnce(`WebSocket upgrade failed: ${err}`);
  });

  ws.addEventListener('close', (c) => {
    stopTimers();
    flush();
    if (!welcomed) {
      metrics.sessionFailed.add(1, { ...tags, stage: opened ? 'welcome' : 'connect' });
      return;
    }
    // No close frame at all (peer vanished) reports no code: count it as 1006 like browsers do.
    const code = c.code ?? 1006;
    // The seat is gone after a leave or a match end; anything else leaves it held for a resume.
    if ((closedByUs && o.end === 'leave') || code === CloseCode.MatchEnded) heldSeat = null;
    if (!closedByUs && !EXPECTED_CLOSES.has(code)) {
      metrics.unexpectedCloses.add(1, { ...tags, code: String(code) });
      warnOnce(`server closed the session: ${code} ${c.reason ?? ''}`);
    }
  });
}
