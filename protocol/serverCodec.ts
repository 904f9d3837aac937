/**
 * Server → client messages: encode, decode and validate, and the Pong encoders of the
 * server's hot path. Decoding never throws past this module: MessagePack errors, wrong
 * shapes, out-of-range numbers, oversize strings/arrays and trailing bytes all come back
 * as `{ ok: false, error }`. Runs unchanged in Node, browsers and k6.
 *
 * Wire shapes (all MessagePack arrays; client → server ones: clientCodec.ts):
 *   Welcome  [64, playerId, matchId, serverTick, config map]
 *   Snapshot [65, tick, baselineAge, header int[], [[removed int[], changed int[]], ...],
 *             [[age, [[kind, ...int args], ...]], ...], ack]
 *             baselineAge = tick − baselineTick, 0 for a keyframe. Events: those of each tick
 *             since the previous snapshot, oldest first; age = tick − the events' tick (0 =
 *             this tick); at most Limits.maxEventsPerFrame events in all, ≤ 8 integers each.
 *             ack: the receiver's last applied input sequence (absolute in a keyframe, the
 *             difference from the previous snapshot's otherwise; see snapshotFrame.ts)
 *   Pong     [67, t, serverTime]
 *   Error    [68, code, message]
 *   Roster   [69, [[id, name, bot 0|1], ...]]
 *   Notice   [70, kind, text]
 *   Response [71, id, ok 0|1, body]
 *   Chat     [72, from, text]
 *   Results  [73, reason, [[id, name, score i32, deaths u32, bot 0|1], ...]]
 *   Notification [74, kind, text, data map]
 *   LobbyState   [75, online]
 *   MatchList    [76, op 0 full|1 upsert|2 remove, [[id, mode, phase, players, bots, max, spectators, endsAt], ...] | [id, ...]]
 *                (endsAt: epoch ms when play ends, 0 unknown; 7-field entries from older servers decode with 0)
 */
import { Decoder } from '@msgpack/msgpack';
import type { MapGeometry, Rect } from './movement.js';
import {
  Limits,
  ServerType,
  MatchListOp,
  type MatchListEntry,
  type MatchConfig,
  type ResultEntry,
  type RosterEntry,
  type ServerMessage,
  type TickEvents,
} from './messages.js';
import { writePong, MAX_PONG_BYTES } from './hotFrames.js';
import { fail, ok, type Result } from './result.js';
import type { TableDelta } from './snapshot.js';
import { encodeSnapshotDelta } from './snapshotFrame.js';
import { arity, decodeRaw, encode, I32_MAX, I32_MIN, isFiniteNum, isInt, isIntArray, isText, U32 } from './wireValues.js';

/** Longest flat `changed` run list a snapshot table may carry (id, mask and ≤ 32 fields per entity). */
const MAX_CHANGED_LENGTH = Limits.maxEntities * 34;
// Server frames are not size-capped like client frames, but a snapshot's `changed` list may
// legitimately hold up to MAX_CHANGED_LENGTH numbers; with the client decoder's limit of 4096 any
// table with more than ~400 players failed to decode even though the validator allows 512.
const serverDecoder = new Decoder({
  maxStrLength: 4096,
  maxBinLength: 0,
  maxArrayLength: MAX_CHANGED_LENGTH,
  maxMapLength: 64,
  maxExtLength: 0,
});

/** The largest difference between two field values (uint32 max − int32 min). */
const MAX_FIELD_DIFF = U32 - I32_MIN;

/** Validates a snapshot's event groups: ages within the tick, ≤ maxEventsPerFrame events in all. */
function decodeTickEvents(v: unknown, tick: number): Result<TickEvents[]> {
  if (!Array.isArray(v) || v.length > Limits.maxEventsPerFrame) return fail('snapshot.events');
  const out: TickEvents[] = [];
  let count = 0;
  let lastAge = Infinity;
  for (const g of v) {
    if (!Array.isArray(g) || g.length !== 2) return fail('snapshot.events: bad group');
    const [age, events] = g as [unknown, unknown];
    // Oldest first, one group per tick: ages strictly decrease.
    if (!isInt(age, 0, tick) || age >= lastAge) return fail('snapshot.events: bad age');
    lastAge = age;
    if (!Array.isArray(events) || events.length === 0) return fail('snapshot.events: empty group');
    count += events.length;
    if (count > Limits.maxEventsPerFrame) return fail('snapshot.events: too many events');
    for (const e of events) if (!isIntArray(e, 8, I32_MIN, U32) || e.length === 0) return fail('snapshot.events: bad event');
    out.push({ tick: tick - age, events: events as number[][] });
  }
  return ok(out);
}

export function encodeServer(msg: ServerMessage): Uint8Array {
  switch (msg.type) {
    case ServerType.Welcome:
      return encode([msg.type, msg.playerId, msg.matchId, msg.serverTick, wireMatchConfig(msg.config)]);
    case ServerType.Snapshot:
      return encodeSnapshotDelta(msg.delta, msg.events, msg.ack);
    case ServerType.Pong:
      return encodePong(msg.t, msg.serverTime);
    case ServerType.Error:
      return encode([msg.type, msg.code, msg.message]);
    case ServerType.Roster:
      return encode([msg.type, msg.players.map((p) => [p.id, p.name, p.bot ? 1 : 0])]);
    case ServerType.Notice:
      return encode([msg.type, msg.kind, msg.text]);
    case ServerType.Response:
      return encode([msg.type, msg.id, msg.ok ? 1 : 0, msg.body ?? null]);
    case ServerType.Chat:
      return encode([msg.type, msg.from, msg.text]);
    case ServerType.Notification:
      return encode([msg.type, msg.kind, msg.text, msg.data]);
    case ServerType.LobbyState:
      return encode([msg.type, msg.online]);
    case ServerType.MatchList:
      return encode([
        msg.type,
        msg.op,
        msg.op === MatchListOp.Remove ? msg.removed : msg.matches.map((m) => [m.id, m.mode, m.phase, m.players, m.bots, m.max, m.spectators, m.endsAt ?? 0]),
      ]);
    case ServerType.Results:
      return encode([msg.type, msg.reason, msg.players.map((p) => [p.id, p.name, p.score, p.deaths, p.bot ? 1 : 0])]);
  }
}

const pongScratch = new Uint8Array(MAX_PONG_BYTES);

/** A Pong in a fresh array the caller may keep: the bytes encodeServer gives, without the general encoder's garbage. */
export function encodePong(t: number, serverTime: number): Uint8Array {
  const n = writePong(pongScratch, t, serverTime);
  return n < 0 ? encode([ServerType.Pong, t, serverTime]) : pongScratch.slice(0, n);
}

/**
 * Pongs in one reused buffer of MAX_PONG_BYTES: `encode` returns a view the next call
 * overwrites, so hand it only to a sink that copies or writes it before returning (uWS's
 * `send`), never to one that keeps it (a long-polling queue).
 */
export class PongWriter {
  private readonly buf = new Uint8Array(MAX_PONG_BYTES);
  /** views[n]: the buffer's first n bytes, made once (a subarray per Pong would allocate). */
  private readonly views: Uint8Array[] = [];

  constructor() {
    for (let n = 0; n <= MAX_PONG_BYTES; n++) this.views.push(this.buf.subarray(0, n));
  }

  encode(t: number, serverTime: number): Uint8Array {
    const n = writePong(this.buf, t, serverTime);
    return n < 0 ? encodePong(t, serverTime) : this.views[n];
  }
}

function decodeRect(v: unknown): Rect | null {
  if (!Array.isArray(v) || v.length !== 4) return null;
  for (const n of v) if (!isFiniteNum(n, -1e6, 1e6)) return null;
  return { x: v[0], y: v[1], w: v[2], h: v[3] };
}

function decodeConfig(v: unknown): Result<MatchConfig> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('welcome.config: expected a map');
  const c = v as Record<string, unknown>;
  if (!isText(c.mode, 32, 1)) return fail('welcome.config.mode');
  if (!isInt(c.tickRate, 1, 1000)) return fail('welcome.config.tickRate');
  if (!isInt(c.snapshotRate, 1, 1000)) return fail('welcome.config.snapshotRate');
  if (!isInt(c.maxPlayers, 1, 1024)) return fail('welcome.config.maxPlayers');
  const m = c.map as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null) return fail('welcome.config.map');
  if (!isFiniteNum(m.width, 1, 1e6) || !isFiniteNum(m.height, 1, 1e6)) return fail('welcome.config.map size');
  if (!Array.isArray(m.walls) || m.walls.length > 1024) return fail('welcome.config.map.walls');
  const walls: Rect[] = [];
  for (const w of m.walls) {
    const r = decodeRect(w);
    if (!r) return fail('welcome.config.map.walls: bad rect');
    walls.push(r);
  }
  const map: MapGeometry = { width: m.width, height: m.height, walls };
  const config: MatchConfig = { mode: c.mode, tickRate: c.tickRate, snapshotRate: c.snapshotRate, maxPlayers: c.maxPlayers, map };
  if (c.respawnSeconds !== undefined) {
    if (!isFiniteNum(c.respawnSeconds, 0, 3600)) return fail('welcome.config.respawnSeconds');
    config.respawnSeconds = c.respawnSeconds;
  }
  return ok(config);
}

/** Encodes a map for the welcome config: walls as compact `[x, y, w, h]` arrays. */
export function wireMatchConfig(config: MatchConfig): unknown {
  return { ...config, map: { ...config.map, walls: config.map.walls.map((w) => [w.x, w.y, w.w, w.h]) } };
}

function decodeTableDelta(v: unknown): TableDelta | null {
  if (!Array.isArray(v) || v.length !== 2) return null;
  if (!isIntArray(v[0], Limits.maxEntities, 0, U32)) return null;
  // Absolute values of new entities (int32 or uint32) and differences between two of those.
  if (!isIntArray(v[1], MAX_CHANGED_LENGTH, -MAX_FIELD_DIFF, MAX_FIELD_DIFF)) return null;
  return { removed: v[0], changed: v[1] };
}

export function decodeServer(bytes: ArrayBuffer | Uint8Array): Result<ServerMessage> {
  const raw = decodeRaw(bytes, serverDecoder);
  if (!raw.ok) return raw;
  const a = raw.value;
  if (!Array.isArray(a) || a.length === 0) return fail('frame is not a non-empty array');
  const type = a[0];
  let err: string | null;
  switch (type) {
    case ServerType.Welcome: {
      if ((err = arity(a, 5, 'welcome'))) return fail(err);
      if (!isInt(a[1], 0, U32)) return fail('welcome.playerId');
      if (!isText(a[2], 64, 1)) return fail('welcome.matchId');
      if (!isInt(a[3], 0, Limits.maxTick)) return fail('welcome.serverTick');
      const config = decodeConfig(a[4]);
      if (!config.ok) return config;
      return ok({ type, playerId: a[1], matchId: a[2], serverTick: a[3], config: config.value });
    }
    case ServerType.Snapshot: {
      if ((err = arity(a, 7, 'snapshot'))) return fail(err);
      if (!isInt(a[1], 1, Limits.maxTick)) return fail('snapshot.tick');
      // The baseline is an earlier tick, and tick 0 never has a snapshot: age ≤ tick − 1.
      if (!isInt(a[2], 0, a[1] - 1)) return fail('snapshot.baselineAge');
      const keyframe = a[2] === 0;
      if (!(keyframe ? isInt(a[6], 0, Limits.maxSeq) : isInt(a[6], -Limits.maxSeq, Limits.maxSeq))) return fail('snapshot.ack');
      if (!isIntArray(a[3], 16, I32_MIN, I32_MAX)) return fail('snapshot.header');
      if (!Array.isArray(a[4]) || a[4].length > 16) return fail('snapshot.tables');
      const tables: TableDelta[] = [];
      for (const t of a[4]) {
        const td = decodeTableDelta(t);
        if (!td) return fail('snapshot.tables: bad table delta');
        tables.push(td);
      }
      const events = decodeTickEvents(a[5], a[1]);
      if (!events.ok) return events;
      const baselineTick = keyframe ? 0 : a[1] - a[2];
      return ok({ type, delta: { tick: a[1], baselineTick, header: a[3], tables }, events: events.value, ack: a[6] });
    }
    case ServerType.Pong:
      if ((err = arity(a, 3, 'pong'))) return fail(err);
      if (!isFiniteNum(a[1], 0, Number.MAX_SAFE_INTEGER)) return fail('pong.t');
      if (!isFiniteNum(a[2], 0, Number.MAX_SAFE_INTEGER)) return fail('pong.serverTime');
      return ok({ type, t: a[1], serverTime: a[2] });
    case ServerType.Error:
      if ((err = arity(a, 3, 'error'))) return fail(err);
      if (!isInt(a[1], 0, 0xffff)) return fail('error.code');
      if (!isText(a[2], Limits.maxErrorMessageLength)) return fail('error.message');
      return ok({ type, code: a[1], message: a[2] });
    case ServerType.Roster: {
      if ((err = arity(a, 2, 'roster'))) return fail(err);
      if (!Array.isArray(a[1]) || a[1].length > Limits.maxRosterSize) return fail('roster.players');
      const players: RosterEntry[] = [];
      for (const p of a[1]) {
        if (!Array.isArray(p) || p.length !== 3) return fail('roster: bad entry');
        if (!isInt(p[0], 0, U32) || !isText(p[1], Limits.maxNameLength, 1) || !isInt(p[2], 0, 1)) {
          return fail('roster: bad entry');
        }
        players.push({ id: p[0], name: p[1], bot: p[2] === 1 });
      }
      return ok({ type, players });
    }
    case ServerType.Notice:
      if ((err = arity(a, 3, 'notice'))) return fail(err);
      if (!isText(a[1], 32, 1)) return fail('notice.kind');
      if (!isText(a[2], 500)) return fail('notice.text');
      return ok({ type, kind: a[1], text: a[2] });
    case ServerType.Response:
      if ((err = arity(a, 4, 'response'))) return fail(err);
      if (!isInt(a[1], 0, U32)) return fail('response.id');
      if (!isInt(a[2], 0, 1)) return fail('response.ok');
      return ok({ type, id: a[1], ok: a[2] === 1, body: a[3] });
    case ServerType.Chat:
      if ((err = arity(a, 3, 'chat'))) return fail(err);
      if (!isText(a[1], Limits.maxNameLength, 1)) return fail('chat.from');
      if (!isText(a[2], Limits.maxChatLength, 1)) return fail('chat.text');
      return ok({ type, from: a[1], text: a[2] });
    case ServerType.Results: {
      if ((err = arity(a, 3, 'results'))) return fail(err);
      if (!isText(a[1], 32, 1)) return fail('results.reason');
      if (!Array.isArray(a[2]) || a[2].length > Limits.maxRosterSize) return fail('results.players');
      const players: ResultEntry[] = [];
      for (const p of a[2]) {
        if (!Array.isArray(p) || p.length !== 5) return fail('results: bad entry');
        if (!isInt(p[0], 0, U32) || !isText(p[1], Limits.maxNameLength, 1) || !isInt(p[2], I32_MIN, I32_MAX) || !isInt(p[3], 0, U32) || !isInt(p[4], 0, 1)) {
          return fail('results: bad entry');
        }
        players.push({ id: p[0], name: p[1], score: p[2], deaths: p[3], bot: p[4] === 1 });
      }
      return ok({ type, reason: a[1], players });
    }
    case ServerType.Notification: {
      if ((err = arity(a, 4, 'notification'))) return fail(err);
      if (!isText(a[1], 32, 1)) return fail('notification.kind');
      if (!isText(a[2], 500)) return fail('notification.text');
      const data = a[3];
      if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('notification.data: expected a map');
      return ok({ type, kind: a[1], text: a[2], data: data as Record<string, unknown> });
    }
    case ServerType.LobbyState:
      if ((err = arity(a, 2, 'lobbyState'))) return fail(err);
      if (!isInt(a[1], 0, U32)) return fail('lobbyState.online');
      return ok({ type, online: a[1] });
    case ServerType.MatchList: {
      if ((err = arity(a, 3, 'matchList'))) return fail(err);
      const op = a[1];
      if (op !== MatchListOp.Full && op !== MatchListOp.Upsert && op !== MatchListOp.Remove) return fail('matchList.op');
      if (!Array.isArray(a[2]) || a[2].length > Limits.maxListedMatches) return fail('matchList.entries');
      if (op === MatchListOp.Remove) {
        for (const id of a[2]) if (!isText(id, 64, 1)) return fail('matchList.removed');
        return ok({ type, op, matches: [], removed: a[2] as string[] });
      }
      const matches: MatchListEntry[] = [];
      for (const e of a[2]) {
        if (!Array.isArray(e) || (e.length !== 7 && e.length !== 8)) return fail('matchList: bad entry');
        const [id, mode, phase, players, bots, max, spectators, endsAt = 0] = e;
        if (!isInt(endsAt, 0, Number.MAX_SAFE_INTEGER)) return fail('matchList: bad entry');
        if (!isText(id, 64, 1) || !isText(mode, 32, 1) || !isText(phase, 16, 1)) return fail('matchList: bad entry');
        if (!isInt(players, 0, 1024) || !isInt(bots, 0, 1024) || !isInt(max, 1, 1024) || !isInt(spectators, 0, 65535)) {
          return fail('matchList: bad entry');
        }
        matches.push({ id, mode, phase, players, bots, max, spectators, endsAt });
      }
      return ok({ type, op, matches, removed: [] });
    }
    default:
      return fail(`unknown server message type ${JSON.stringify(type)}`);
  }
}
