import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  ARENA_SCHEMA,
  ClientType,
  EventKind,
  Limits,
  MatchListOp,
  PLAYER_FIELDS,
  PROJECTILE_FIELDS,
  ServerType,
  decodeClient,
  decodeClientGeneral,
  decodeServer,
  diffSnapshot,
  encodeClient,
  encodeServer,
  encodeSnapshotDelta,
  type ClientMessage,
  type Result,
  type ServerMessage,
  type SnapshotState,
} from '../../protocol/index.js';
import { prng, randInt } from '../support/prng.js';

// ---- helpers --------------------------------------------------------------------------



/** Encodes an arbitrary value as MessagePack, bypassing the typed encoders. */
function raw(value: unknown): Uint8Array {
  return encode(value);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Calls a decoder and fails the test if it throws; returns its result. */
function safe<T>(decode: (b: Uint8Array) => Result<T>, bytes: Uint8Array): Result<T> {
  let r: Result<T> | undefined;
  expect(() => {
    r = decode(bytes);
  }).not.toThrow();
  expect(r).toBeDefined();
  expect(typeof r!.ok).toBe('boolean');
  if (!r!.ok) expect(typeof r!.error).toBe('string');
  return r!;
}

function expectClientReject(bytes: Uint8Array, label = ''): void {
  const r = safe(decodeClient, bytes);
  expect(r.ok, `client frame should be rejected: ${label}`).toBe(false);
}

function expectServerReject(bytes: Uint8Array, label = ''): void {
  const r = safe(decodeServer, bytes);
  expect(r.ok, `server frame should be rejected: ${label}`).toBe(false);
}

function roundTripClient(msg: ClientMessage): ClientMessage {
  const bytes = encodeClient(msg);
  expect(bytes).toBeInstanceOf(Uint8Array);
  const r = decodeClient(bytes);
  if (!r.ok) throw new Error(`decodeClient failed: ${r.error}`);
  // uWS hands the server an ArrayBuffer: decoding one must give the same answer.
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const r2 = decodeClient(ab);
  expect(r2).toEqual(r);
  return r.value;
}

function roundTripServer(msg: ServerMessage): ServerMessage {
  const bytes = encodeServer(msg);
  const r = decodeServer(bytes);
  if (!r.ok) throw new Error(`decodeServer failed: ${r.error}`);
  return r.value;
}

// ---- sample messages ------------------------------------------------------------------

const U32_MAX = 0xffffffff;

const clientSamples: ClientMessage[] = [
  { type: ClientType.Input, seq: 0, buttons: 0, aim: 0, ackTick: 0 },
  { type: ClientType.Input, seq: 1234, buttons: 0b10101, aim: 40000, ackTick: 77 },
  { type: ClientType.Input, seq: U32_MAX, buttons: 31, aim: 65535, ackTick: U32_MAX },
  { type: ClientType.Ping, t: 0 },
  { type: ClientType.Ping, t: 1234.5678 },
  { type: ClientType.Ping, t: 1_732_530_000_123.25 },
  { type: ClientType.Chat, text: 'gg' },
  { type: ClientType.Chat, text: 'héllo wörld 🎮 世界' },
  { type: ClientType.Chat, text: 'x'.repeat(Limits.maxChatLength) },
  { type: ClientType.Leave },
  { type: ClientType.Request, id: 0, method: 'ready', body: null },
  { type: ClientType.Request, id: 42, method: 'setName', body: { name: 'alice', tags: [1, 2, 'x'], ok: true } },
  { type: ClientType.Request, id: U32_MAX, method: 'm'.repeat(Limits.maxRequestMethodLength), body: [1.5, -3, 'z'] },
  // Rejection cases of InputBatch: codec.inputBatch.test.ts.
  { type: ClientType.InputBatch, inputs: [{ type: ClientType.Input, seq: 9, buttons: 3, aim: 7, ackTick: 5 }] },
  {
    type: ClientType.InputBatch,
    inputs: [
      { type: ClientType.Input, seq: 10, buttons: 0, aim: 65535, ackTick: 99, viewTick: 95 },
      { type: ClientType.Input, seq: 11, buttons: 31, aim: 0, ackTick: 99, viewTick: 96 },
      { type: ClientType.Input, seq: 12, buttons: 1, aim: 1, ackTick: 99, viewTick: 97 },
    ],
  },
];

const wallsMap = {
  width: 1600,
  height: 1000,
  walls: [
    { x: 740, y: 440, w: 120, h: 120 },
    { x: 600, y: 200, w: 400, h: 32 },
    { x: 12.5, y: -3, w: 0.25, h: 999.75 },
  ],
};

function sampleState(tick: number, shift: number): SnapshotState {
  const players = new Map<number, number[]>();
  for (let id = 1; id <= 8; id++) {
    players.set(id, [id * 160 + shift, id * 90, (id * 8000) % 65536, 100 - id, id, 0, 9, 1000 + tick]);
  }
  const projectiles = new Map<number, number[]>();
  for (let id = 100; id < 100 + shift % 5; id++) projectiles.set(id, [id * 10, -id * 3, 1, 16384, id + 1]);
  return { tick, header: [2, 1800 - tick], tables: [{ rows: players }, { rows: projectiles }] };
}

const keyframe = diffSnapshot(null, sampleState(10, 3), ARENA_SCHEMA);
const delta = diffSnapshot(sampleState(10, 3), sampleState(11, 4), ARENA_SCHEMA);

const serverSamples: ServerMessage[] = [
  {
    type: ServerType.Welcome,
    playerId: 7,
    matchId: 'm-01HZX3',
    serverTick: 12345,
    config: { mode: 'arena', tickRate: 30, snapshotRate: 15, maxPlayers: 8, map: wallsMap },
  },
  {
    type: ServerType.Welcome,
    playerId: 0,
    matchId: 'x',
    serverTick: 0,
    config: { mode: 'arena', tickRate: 60, snapshotRate: 20, maxPlayers: 64, map: { width: 800, height: 600, walls: [] } },
  },
  { type: ServerType.Snapshot, delta: keyframe, events: [], ack: 0 },
  { type: ServerType.Snapshot, delta: keyframe, events: [], ack: U32_MAX },
  { type: ServerType.Snapshot, delta, events: [], ack: 0 },
  { type: ServerType.Snapshot, delta, events: [], ack: 2 },
  { type: ServerType.Snapshot, delta, events: [], ack: -(2 ** 20) },
  { type: ServerType.Snapshot, delta, events: [], ack: -U32_MAX },
  {
    type: ServerType.Snapshot,
    delta,
    events: [
      { tick: 10, events: [[EventKind.Kill, 3, 4], [EventKind.Spawn, 4]] },
      {
        tick: 11,
        events: [
          [EventKind.PhaseChange, 2],
          [EventKind.Hit, 1, 2, 25],
          [EventKind.Fire, 1, 0x80000001],
          [1, -5, -2147483648, U32_MAX],
        ],
      },
    ],
    ack: 300,
  },
  { type: ServerType.Snapshot, delta: keyframe, events: [{ tick: 1, events: [[EventKind.Spawn, 1]] }], ack: 70000 },
  { type: ServerType.Pong, t: 1234.5, serverTime: 1_732_530_000_000 },
  { type: ServerType.Pong, t: 0, serverTime: 0.125 },
  { type: ServerType.Error, code: 4009, message: 'malformed frame' },
  { type: ServerType.Error, code: 0, message: '' },
  {
    type: ServerType.Roster,
    players: [
      { id: 1, name: 'alice', bot: false },
      { id: 2, name: 'bot-7', bot: true },
      { id: U32_MAX, name: 'n'.repeat(Limits.maxNameLength), bot: false },
    ],
  },
  { type: ServerType.Roster, players: [] },
  { type: ServerType.Notice, kind: 'draining', text: 'server restarts in 30 s' },
  { type: ServerType.Notice, kind: 'k', text: '' },
  { type: ServerType.Response, id: 42, ok: true, body: { name: 'alice', list: [1, 2, 3] } },
  { type: ServerType.Response, id: 43, ok: false, body: 'no such method' },
  { type: ServerType.Chat, from: 'alice', text: 'gg wp ✨' },
  {
    type: ServerType.Results,
    reason: 'draining',
    players: [
      { id: 1, name: 'alice', score: 12, deaths: 3, bot: false },
      { id: 2, name: 'bot-7', score: -2, deaths: 0, bot: true },
      { id: U32_MAX, name: 'n'.repeat(Limits.maxNameLength), score: -(2 ** 31), deaths: U32_MAX, bot: false },
    ],
  },
  { type: ServerType.Results, reason: 'r', players: [] },
  { type: ServerType.Notification, kind: 'invite', text: 'Ada invites you', data: { code: 'ABCDEF', from: 'Ada' } },
  { type: ServerType.Notification, kind: 'k', text: '', data: {} },
  { type: ServerType.LobbyState, online: 0 },
  { type: ServerType.LobbyState, online: 12345 },
  {
    type: ServerType.MatchList,
    op: MatchListOp.Full,
    matches: [
      { id: 'm1', mode: 'arena', phase: 'playing', players: 3, bots: 5, max: 8, spectators: 2, endsAt: 1_700_000_060_000 },
      { id: 'm2', mode: 'arena', phase: 'waiting', players: 1, bots: 0, max: 8, spectators: 0, endsAt: 0 },
    ],
    removed: [],
  },
  { type: ServerType.MatchList, op: MatchListOp.Upsert, matches: [{ id: 'm3', mode: 'arena', phase: 'ended', players: 0, bots: 0, max: 8, spectators: 0, endsAt: 0 }], removed: [] },
  { type: ServerType.MatchList, op: MatchListOp.Remove, matches: [], removed: ['m1', 'm2'] },
];

// ---- round trips ----------------------------------------------------------------------

describe('codec round trips', () => {
  it('covers every client and server type code', () => {
    const clientTypes = new Set(clientSamples.map((m) => m.type));
    const serverTypes = new Set(serverSamples.map((m) => m.type));
    const missing = (all: number[], seen: Set<number>) => all.filter((t) => !seen.has(t));
    // A new message type needs a round-trip sample (and rejection cases) in this file.
    expect(missing(Object.values(ClientType), clientTypes), 'client types without a sample').toEqual([]);
    expect(missing(Object.values(ServerType), serverTypes), 'server types without a sample').toEqual([]);
    expect(clientTypes.size).toBe(Object.values(ClientType).length);
    expect(serverTypes.size).toBe(Object.values(ServerType).length);
  });

  it.each(clientSamples.map((m, i) => [i, m.type, m] as const))('client sample %i (type %i)', (_i, _t, msg) => {
    const decoded = roundTripClient(msg);
    expect(decoded).toEqual(msg);
    // Frames are MessagePack arrays led by the type code.
    expect(encodeClient(msg)[0] & 0xf0).toBe(0x90);
  });

  it('client Request with an undefined body decodes as null', () => {
    const decoded = roundTripClient({ type: ClientType.Request, id: 1, method: 'x', body: undefined });
    expect(decoded).toEqual({ type: ClientType.Request, id: 1, method: 'x', body: null });
  });

  it('input frames are compact', () => {
    const bytes = encodeClient({ type: ClientType.Input, seq: 1000, buttons: 9, aim: 30000, ackTick: 5000 });
    // fixarray + fixint + uint16 + fixint + uint16 + uint16
    expect(bytes.length).toBe(1 + 1 + 3 + 1 + 3 + 3);
  });

  it.each(serverSamples.map((m, i) => [i, m.type, m] as const))('server sample %i (type %i)', (_i, _t, msg) => {
    expect(roundTripServer(msg)).toEqual(msg);
  });

  it('Welcome carries the walls as compact [x, y, w, h] arrays', () => {
    const msg = serverSamples[0];
    const bytes = encodeServer(msg);
    const r = decodeServer(bytes);
    expect(r.ok).toBe(true);
    if (r.ok && r.value.type === ServerType.Welcome) {
      expect(r.value.config.map.walls).toEqual(wallsMap.walls);
      expect(r.value.config.map.walls).toHaveLength(3);
    }
    // Extra config keys are dropped by the decoder rather than passed through.
    const extra = raw([64, 1, 'm', 1, { mode: 'a', tickRate: 30, snapshotRate: 15, maxPlayers: 8, map: { width: 10, height: 10, walls: [] }, evil: 1 }]);
    const r2 = decodeServer(extra);
    expect(r2.ok).toBe(true);
    if (r2.ok && r2.value.type === ServerType.Welcome) expect(Object.keys(r2.value.config).sort()).toEqual(['map', 'maxPlayers', 'mode', 'snapshotRate', 'tickRate']);
  });

  it('Snapshot: encodeSnapshotDelta equals encodeServer and the delta survives', () => {
    const a = encodeSnapshotDelta(delta);
    const b = encodeServer({ type: ServerType.Snapshot, delta, events: [], ack: 0 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const r = decodeServer(a);
    expect(r.ok).toBe(true);
    if (r.ok && r.value.type === ServerType.Snapshot) {
      expect(r.value.delta).toEqual(delta);
      expect(r.value.delta.baselineTick).toBe(10);
      expect(r.value.delta.tables[0].changed.length).toBeGreaterThan(0);
    }
  });

  it('Response with an undefined body decodes as null', () => {
    expect(roundTripServer({ type: ServerType.Response, id: 5, ok: true, body: undefined })).toEqual({
      type: ServerType.Response,
      id: 5,
      ok: true,
      body: null,
    });
  });

  it('each encode returns its own buffer (no shared scratch memory)', () => {
    const a = encodeClient({ type: ClientType.Chat, text: 'first' });
    const copy = a.slice();
    const b = encodeClient({ type: ClientType.Chat, text: 'second!' });
    expect(Buffer.from(a).equals(Buffer.from(copy))).toBe(true);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('decodes Uint8Array views that do not start at offset 0', () => {
    const frame = encodeClient({ type: ClientType.Ping, t: 99 });
    const big = new Uint8Array(frame.length + 10);
    big.set(frame, 7);
    const r = decodeClient(big.subarray(7, 7 + frame.length));
    expect(r).toEqual({ ok: true, value: { type: ClientType.Ping, t: 99 } });
  });
});

// ---- client rejections ----------------------------------------------------------------

describe('decodeClient rejects malformed frames without throwing', () => {
  it('non-array frames and empty arrays', () => {
    for (const v of [5, -1, 1.5, 'input', null, true, false, { type: 1 }, { 0: 1 }, []]) {
      expectClientReject(raw(v), JSON.stringify(v));
    }
    expectClientReject(new Uint8Array(0), 'zero bytes');
  });

  it('wrong and unknown type codes', () => {
    for (const t of [0, 6, 7, 63, 64, 65, 72, 127, 128, 255, -1, 1.5, '1', 'input', null, true, [1], { t: 1 }, Infinity]) {
      expectClientReject(raw([t, 1, 1, 1, 1]), `type ${String(t)}`);
      expectClientReject(raw([t]), `bare type ${String(t)}`);
    }
  });

  it('wrong arity for every type', () => {
    const cases: unknown[][] = [
      [1, 1, 1, 1],
      [1, 1, 1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1, -1],
      [1],
      [2],
      [2, 1, 2],
      [3],
      [3, 'a', 'b'],
      [4, 0],
      [5, 1, 'm'],
      [5, 1, 'm', null, null],
      [5],
    ];
    for (const c of cases) expectClientReject(raw(c), JSON.stringify(c));
    // Sanity: the correct arity passes for the same values.
    expect(decodeClient(raw([1, 1, 1, 1, 1])).ok).toBe(true);
    expect(decodeClient(raw([1, 1, 1, 1, 1, 1]))).toEqual({ ok: true, value: { type: 1, seq: 1, buttons: 1, aim: 1, ackTick: 1, viewTick: 1 } });
    expect(decodeClient(raw([4])).ok).toBe(true);
  });

  it('input field types and ranges', () => {
    const good = [1, 10, 5, 1000, 20];
    expect(decodeClient(raw(good)).ok).toBe(true);
    const bad: Array<[number, unknown]> = [
      // seq
      [1, '10'],
      [1, 1.5],
      [1, -1],
      [1, 2 ** 32],
      [1, 2 ** 53],
      [1, Infinity],
      [1, -Infinity],
      [1, NaN],
      [1, null],
      [1, true],
      [1, [1]],
      [1, { a: 1 }],
      // buttons
      [2, 32],
      [2, 255],
      [2, -1],
      [2, 0.5],
      [2, '1'],
      [2, false],
      // aim
      [3, 65536],
      [3, -1],
      [3, 3.25],
      [3, Infinity],
      [3, 'up'],
      // ackTick
      [4, 2 ** 32],
      [4, -1],
      [4, 1e300],
      [4, null],
    ];
    for (const [idx, value] of bad) {
      const frame = good.slice() as unknown[];
      frame[idx] = value;
      expectClientReject(raw(frame), `input[${idx}] = ${String(value)}`);
    }
  });

  it('boundary values of the input fields', () => {
    expect(decodeClient(raw([1, 2 ** 32 - 1, 31, 65535, 2 ** 32 - 1])).ok).toBe(true);
    expect(decodeClient(raw([1, 0, 0, 0, 0])).ok).toBe(true);
    expect(decodeClient(raw([1, 2 ** 32, 31, 65535, 0])).ok).toBe(false);
    expect(decodeClient(raw([1, 0, 32, 0, 0])).ok).toBe(false);
    expect(decodeClient(raw([1, 0, 0, 65536, 0])).ok).toBe(false);
  });

  it('integral floats are accepted as integers but fractional ones are not', () => {
    // A float64 holding 7.0 is an integer value; only the value matters, not the encoding.
    const float7 = new Uint8Array([0x95, 0x01, 0xcb, 0x40, 0x1c, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00]);
    expect(decodeClient(float7)).toEqual({ ok: true, value: { type: 1, seq: 7, buttons: 0, aim: 0, ackTick: 0 } });
    expectClientReject(raw([1, 7.5, 0, 0, 0]));
  });

  it('ping.t must be a finite number ≥ 0', () => {
    for (const t of [-1, -0.001, Infinity, -Infinity, NaN, '5', null, [], {}, true, Number.MAX_SAFE_INTEGER + 2]) {
      expectClientReject(raw([2, t]), `ping t=${String(t)}`);
    }
    expect(decodeClient(raw([2, 0.5])).ok).toBe(true);
  });

  it('chat text: length and type are refused; control characters pass to the server, which strips them', () => {
    expect(decodeClient(raw([3, 'a'.repeat(200)])).ok).toBe(true);
    const bad: unknown[] = ['a'.repeat(201), 'a'.repeat(4000), '', 123, null, ['hi'], { text: 'hi' }];
    for (const text of bad) expectClientReject(raw([3, text]), `chat ${JSON.stringify(text)}`);
    // Lobby chat strips control characters instead of dropping the socket (protocol/text.ts cleanText).
    for (const text of ['line\nbreak', 'tab\there', 'nul\u0000', '\u001b[31mred', 'c1\u0085']) {
      const r = decodeClient(raw([3, text]));
      expect(r.ok && r.value.type === ClientType.Chat && r.value.text).toBe(text);
    }
  });

  it('lobby messages reject malformed shapes', () => {
    const bad: unknown[][] = [
      [ServerType.Notification, 'invite', 'text'],
      [ServerType.Notification, '', 'text', {}],
      [ServerType.Notification, 'k', 'text', []],
      [ServerType.Notification, 'k', 'text', null],
      [ServerType.LobbyState, -1],
      [ServerType.LobbyState, 1.5],
      [ServerType.MatchList, 3, []],
      [ServerType.MatchList, MatchListOp.Full, [['m1', 'arena', 'playing', 3, 0, 8]]],
      [ServerType.MatchList, MatchListOp.Full, [['m1', 'arena', 'playing', -3, 0, 8, 0]]],
      [ServerType.MatchList, MatchListOp.Full, [['', 'arena', 'playing', 3, 0, 8, 0]]],
      [ServerType.MatchList, MatchListOp.Remove, [5]],
      [ServerType.MatchList, MatchListOp.Full, 'nope'],
    ];
    for (const frame of bad) expect(decodeServer(raw(frame)).ok, JSON.stringify(frame)).toBe(false);
  });

  it('request id and method', () => {
    expect(decodeClient(raw([5, 1, 'ok', { any: ['thing'] }])).ok).toBe(true);
    const bad: unknown[][] = [
      [5, -1, 'm', null],
      [5, 2 ** 32, 'm', null],
      [5, 1.5, 'm', null],
      [5, '1', 'm', null],
      [5, 1, '', null],
      [5, 1, 'm'.repeat(33), null],
      [5, 1, 'bad\nmethod', null],
      [5, 1, 7, null],
      [5, 1, null, null],
    ];
    for (const c of bad) expectClientReject(raw(c), JSON.stringify(c));
  });

  it('bin, ext and timestamp values are refused by the MessagePack limits', () => {
    expectClientReject(raw([5, 1, 'm', new Uint8Array([1, 2, 3])]), 'bin body');
    expectClientReject(raw([5, 1, 'm', new Date(0)]), 'timestamp ext body');
    expectClientReject(new Uint8Array([0x92, 0x02, 0xd4, 0x05, 0x00]), 'fixext1 in ping');
  });

  it('oversize arrays, maps and strings are refused before allocation', () => {
    // array32 header claiming 1e9 elements
    expectClientReject(new Uint8Array([0xdd, 0x3b, 0x9a, 0xca, 0x00, 0x01]), 'array32 1e9');
    // array16 claiming 5000 elements (above the decoder's 4096 cap)
    expectClientReject(concat(new Uint8Array([0xdc, 0x13, 0x88]), new Uint8Array(100)), 'array16 5000');
    // str32 claiming 1 GiB
    expectClientReject(new Uint8Array([0x92, 0x03, 0xdb, 0x40, 0x00, 0x00, 0x00, 0x61]), 'str32 1GiB');
    // map32 claiming 1e6 entries
    expectClientReject(new Uint8Array([0x94, 0x05, 0x01, 0xa1, 0x6d, 0xdf, 0x00, 0x0f, 0x42, 0x40]), 'map32 1e6');
    // A real map with more than 64 keys inside a small frame
    const big: Record<string, number> = {};
    for (let i = 0; i < 65; i++) big[`k${i}`] = i;
    const frame = raw([5, 1, 'm', big]);
    expect(frame.length).toBeLessThan(Limits.maxFrameBytes);
    expectClientReject(frame, 'map with 65 keys');
    // Long flat array within the byte limit: only the arity check can catch it.
    expectClientReject(raw([1, ...new Array(900).fill(0)]), '901-element input');
  });

  it('__proto__ keys are refused', () => {
    // [5, 1, "m", {"__proto__": 1}]
    const bytes = concat(new Uint8Array([0x94, 0x05, 0x01, 0xa1, 0x6d, 0x81, 0xa9]), new TextEncoder().encode('__proto__'), new Uint8Array([0x01]));
    expectClientReject(bytes, '__proto__');
  });

  it('trailing bytes after a valid frame are rejected', () => {
    for (const msg of clientSamples) {
      const frame = encodeClient(msg);
      expectClientReject(concat(frame, new Uint8Array([0x00])), `trailing 0x00 after type ${msg.type}`);
      expectClientReject(concat(frame, new Uint8Array([0xc0])), `trailing nil after type ${msg.type}`);
      if (frame.length * 2 <= Limits.maxFrameBytes) expectClientReject(concat(frame, frame), `two frames of type ${msg.type}`);
    }
  });

  it('every truncation of every valid frame is rejected', () => {
    for (const msg of clientSamples) {
      const frame = encodeClient(msg);
      for (let n = 0; n < frame.length; n++) expectClientReject(frame.subarray(0, n), `type ${msg.type} cut at ${n}`);
    }
  });

  it(`frames above Limits.maxFrameBytes (${Limits.maxFrameBytes}) are rejected`, () => {
    const sized = (n: number) => encodeClient({ type: ClientType.Request, id: 1, method: 'm', body: 'x'.repeat(n) });
    let n = 0;
    while (sized(n).length < Limits.maxFrameBytes) n++;
    const exact = sized(n);
    expect(exact.length).toBe(Limits.maxFrameBytes);
    expect(decodeClient(exact).ok).toBe(true);
    const over = sized(n + 1);
    expect(over.length).toBe(Limits.maxFrameBytes + 1);
    const r = safe(decodeClient, over);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/too large/);
    // Size is checked before parsing: 1 MiB of garbage is refused the same way.
    expectClientReject(new Uint8Array(1 << 20).fill(0x91), '1 MiB');
  });
});

// ---- server rejections ----------------------------------------------------------------

describe('decodeServer rejects malformed frames without throwing', () => {
  const cfg = { mode: 'arena', tickRate: 30, snapshotRate: 15, maxPlayers: 8, map: { width: 100, height: 100, walls: [[1, 2, 3, 4]] } };

  it('accepts the hand-built baseline frames used below', () => {
    expect(decodeServer(raw([64, 1, 'm', 1, cfg])).ok).toBe(true);
    expect(decodeServer(raw([65, 2, 1, [0, 0], [[[], [1, 3, 5, 6]]], [], 0])).ok).toBe(true);
    expect(decodeServer(raw([65, 2, 1, [0, 0], [[[], [1, 3, 5, 6]]], [[0, [[1, 2]]]], -3])).ok).toBe(true);
    const kf = decodeServer(raw([65, 9, 0, [0, 0], [], [], 70000]));
    expect(kf.ok && kf.value.type === ServerType.Snapshot && [kf.value.delta.baselineTick, kf.value.ack]).toEqual([0, 70000]);
    const d = decodeServer(raw([65, 9, 2, [0, 0], [], [], 2]));
    expect(d.ok && d.value.type === ServerType.Snapshot && [d.value.delta.baselineTick, d.value.ack]).toEqual([7, 2]);
  });

  it('match list entries: 7 fields (older servers) decode with endsAt 0; a bad endsAt is refused', () => {
    const r = decodeServer(raw([76, 0, [['m', 'arena', 'playing', 1, 0, 8, 0]]]));
    expect(r.ok && r.value.type === 76 && r.value.matches[0].endsAt).toBe(0);
    expect(decodeServer(raw([76, 0, [['m', 'arena', 'playing', 1, 0, 8, 0, 1_700_000_000_000]]])).ok).toBe(true);
    expect(decodeServer(raw([76, 0, [['m', 'arena', 'playing', 1, 0, 8, 0, -1]]])).ok).toBe(false);
    expect(decodeServer(raw([76, 0, [['m', 'arena', 'playing', 1, 0, 8, 0, 'soon']]])).ok).toBe(false);
    expect(decodeServer(raw([76, 0, [['m', 'arena', 'playing', 1, 0, 8, 0, 0, 9]]])).ok).toBe(false);
  });

  it('non-array, empty and unknown types', () => {
    for (const v of [1, 'x', null, {}, [], true]) expectServerReject(raw(v), JSON.stringify(v));
    const known = new Set<unknown>(Object.values(ServerType));
    for (const t of [0, 1, 5, 63, 74, 100, 127, 200, -64, 64.5, '64', null]) {
      if (known.has(t)) continue;
      expectServerReject(raw([t, 1, 2, 3]), `type ${String(t)}`);
      expectServerReject(raw([t]), `bare type ${String(t)}`);
    }
  });

  it('wrong arity for every type', () => {
    const cases: unknown[][] = [
      [64, 1, 'm', 1],
      [64, 1, 'm', 1, cfg, 0],
      [65, 2, 1, [], []].slice(0, 4),
      [65, 2, 1, [], [], 0],
      [66, 1],
      [66, 1, [], 0],
      [67, 1],
      [67, 1, 2, 3],
      [68, 1],
      [68, 1, 'a', 'b'],
      [69],
      [69, [], 1],
      [70, 'k'],
      [70, 'k', 't', 1],
      [71, 1, 1],
      [71, 1, 1, null, null],
      [72, 'a'],
      [72, 'a', 'b', 'c'],
      [73, 'r'],
      [73, 'r', [], 0],
    ];
    for (const c of cases) expectServerReject(raw(c), JSON.stringify(c));
  });

  it('welcome: bad fields and bad map geometry', () => {
    const bad: unknown[][] = [
      [64, -1, 'm', 1, cfg],
      [64, 1.5, 'm', 1, cfg],
      [64, 1, '', 1, cfg],
      [64, 1, 'm'.repeat(65), 1, cfg],
      [64, 1, 5, 1, cfg],
      [64, 1, 'm', -1, cfg],
      [64, 1, 'm', 2 ** 32, cfg],
      [64, 1, 'm', 1, null],
      [64, 1, 'm', 1, [cfg]],
      [64, 1, 'm', 1, 'cfg'],
      [64, 1, 'm', 1, { ...cfg, mode: '' }],
      [64, 1, 'm', 1, { ...cfg, tickRate: 0 }],
      [64, 1, 'm', 1, { ...cfg, tickRate: 30.5 }],
      [64, 1, 'm', 1, { ...cfg, snapshotRate: 1001 }],
      [64, 1, 'm', 1, { ...cfg, maxPlayers: '8' }],
      [64, 1, 'm', 1, { ...cfg, map: null }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 0, height: 100, walls: [] } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: Infinity, height: 100, walls: [] } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 100, height: 100 } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 100, height: 100, walls: {} } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 100, height: 100, walls: [[1, 2, 3]] } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 100, height: 100, walls: [[1, 2, 3, 4, 5]] } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 100, height: 100, walls: [[1, 2, 3, '4']] } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 100, height: 100, walls: [[1, 2, 3, Infinity]] } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 100, height: 100, walls: [[1, 2, 3, 2e6]] } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 100, height: 100, walls: [{ x: 1, y: 2, w: 3, h: 4 }] } }],
      [64, 1, 'm', 1, { ...cfg, map: { width: 100, height: 100, walls: new Array(1025).fill([0, 0, 1, 1]) } }],
    ];
    for (const c of bad) expectServerReject(raw(c), JSON.stringify(c).slice(0, 120));
  });

  it('snapshot: bad tick, header and table deltas', () => {
    const bad: unknown[][] = [
      // v1's five-element snapshot (no events field, no ack) is refused, as is one without ack.
      [65, 2, 1, [], []],
      [65, 2, 1, [], [], []],
      // baselineAge: 0 (keyframe) … tick − 1.
      [65, 2, 2, [], [], [], 0],
      [65, 1, 1, [], [], [], 0],
      // ack: a keyframe's is a uint32, a delta's a difference of two.
      [65, 2, 0, [], [], [], -1],
      [65, 2, 0, [], [], [], 2 ** 32],
      [65, 2, 1, [], [], [], -(2 ** 32)],
      [65, 2, 1, [], [], [], 1.5],
      [65, 2, 1, [], [], [], '1'],
      [65, 2, 1, [], [], [], null],
      [65, 0, 0, [], [], [], 0],
      [65, -1, 0, [], [], [], 0],
      [65, 2 ** 32, 0, [], [], [], 0],
      [65, 2, -1, [], [], [], 0],
      [65, 2, 1.5, [], [], [], 0],
      [65, 2, 1, [0.5], [], [], 0],
      [65, 2, 1, ['0'], [], [], 0],
      [65, 2, 1, new Array(17).fill(0), [], [], 0],
      [65, 2, 1, [2 ** 31], [], [], 0],
      [65, 2, 1, null, [], [], 0],
      [65, 2, 1, [], null, [], 0],
      [65, 2, 1, [], {}, [], 0],
      [65, 2, 1, [], new Array(17).fill([[], []]), [], 0],
      [65, 2, 1, [], [[[]]], [], 0],
      [65, 2, 1, [], [[[], [], []]], [], 0],
      [65, 2, 1, [], [[null, []]], [], 0],
      [65, 2, 1, [], [[[], [1.5]]], [], 0],
      [65, 2, 1, [], [[[-1], []]], [], 0],
      [65, 2, 1, [], [[[2 ** 32], []]], [], 0],
      [65, 2, 1, [], [[[], ['1']]], [], 0],
      // Changed values are absolute (int32/uint32) or differences of two such values.
      [65, 2, 1, [], [[[], [2 ** 32 + 2 ** 31]]], [], 0],
      [65, 2, 1, [], [[[], [-(2 ** 32) - 2 ** 31]]], [], 0],
      [65, 2, 1, [], [[new Array(513).fill(1), []]], [], 0],
    ];
    for (const c of bad) expectServerReject(raw(c), JSON.stringify(c).slice(0, 120));
  });

  it('snapshot events: bad groups, ages and event shapes; at most maxEventsPerFrame in all', () => {
    const snap = (events: unknown) => [65, 5, 1, [], [], events, 0];
    const bad: unknown[] = [
      null,
      {},
      [[]],
      [[0]],
      [[0, [[1]], 1]],
      [[-1, [[1]]]],
      [[1.5, [[1]]]],
      // Older than tick 0 (age > tick).
      [[6, [[1]]]],
      // Groups oldest first with distinct ticks: ages strictly decrease.
      [[0, [[1]]], [1, [[1]]]],
      [[1, [[1]]], [1, [[1]]]],
      [[0, []]],
      [[0, null]],
      [[0, [[]]]],
      [[0, [[1, 'a']]]],
      [[0, [[1, 2.5]]]],
      [[0, [1]]],
      [[0, [[1, 2, 3, 4, 5, 6, 7, 8, 9]]]],
      [[0, [[1, 2 ** 32]]]],
      [[0, new Array(Limits.maxEventsPerFrame + 1).fill([1])]],
      [[1, new Array(Limits.maxEventsPerFrame).fill([1])], [0, [[1]]]],
    ];
    for (const c of bad) expectServerReject(raw(snap(c)), JSON.stringify(c).slice(0, 120));
    const full = decodeServer(raw(snap([[1, new Array(Limits.maxEventsPerFrame - 1).fill([1])], [0, [[2, 7]]]])));
    expect(full.ok).toBe(true);
    if (full.ok && full.value.type === ServerType.Snapshot) {
      expect(full.value.events.map((g) => [g.tick, g.events.length])).toEqual([[4, Limits.maxEventsPerFrame - 1], [5, 1]]);
    }
    // Protocol v1's Events frame is no message any more.
    expectServerReject(raw([66, 1, [[1]]]), 'v1 events frame');
  });

  it('pong, error, roster, notice, response, chat and results field checks', () => {
    const bad: unknown[][] = [
      [67, -1, 0],
      [67, 0, -1],
      [67, Infinity, 0],
      [67, 0, NaN],
      [67, '1', 0],
      [68, -1, 'm'],
      [68, 65536, 'm'],
      [68, 1.5, 'm'],
      [68, 4000, 'm'.repeat(201)],
      [68, 4000, 'line\nbreak'],
      [68, 4000, null],
      [69, null],
      [69, [[1, 'a']]],
      [69, [[1, 'a', 0, 0]]],
      [69, [[1, 'a', 2]]],
      [69, [[1, 'a', true]]],
      [69, [[-1, 'a', 0]]],
      [69, [[1, '', 0]]],
      [69, [[1, 'n'.repeat(17), 0]]],
      [69, [[1, 'tab\t', 0]]],
      [69, [{ id: 1, name: 'a', bot: 0 }]],
      [69, new Array(65).fill([1, 'a', 0])],
      [70, '', 'text'],
      [70, 'k'.repeat(33), 'text'],
      [70, 'k', 't'.repeat(501)],
      [70, 'k', 5],
      [70, 'k\n', 't'],
      [71, -1, 1, null],
      [71, 2 ** 32, 1, null],
      [71, 1, 2, null],
      [71, 1, true, null],
      [71, 1, -1, null],
      [72, '', 'hi'],
      [72, 'n'.repeat(17), 'hi'],
      [72, 'a', ''],
      [72, 'a', 'x'.repeat(201)],
      [72, 'a', 'esc\u001b'],
      [72, 1, 'hi'],
      [73, '', []],
      [73, 'r'.repeat(33), []],
      [73, 'line\n', []],
      [73, 'r', null],
      [73, 'r', {}],
      [73, 'r', new Array(65).fill([1, 'a', 0, 0, 0])],
      [73, 'r', [[1, 'a', 0, 0]]],
      [73, 'r', [[1, 'a', 0, 0, 0, 0]]],
      [73, 'r', [[-1, 'a', 0, 0, 0]]],
      [73, 'r', [[1, '', 0, 0, 0]]],
      [73, 'r', [[1, 'n'.repeat(17), 0, 0, 0]]],
      [73, 'r', [[1, 'a', 2 ** 31, 0, 0]]],
      [73, 'r', [[1, 'a', 1.5, 0, 0]]],
      [73, 'r', [[1, 'a', 0, -1, 0]]],
      [73, 'r', [[1, 'a', 0, 2 ** 32, 0]]],
      [73, 'r', [[1, 'a', 0, 0, 2]]],
      [73, 'r', [[1, 'a', 0, 0, true]]],
      [73, 'r', [{ id: 1, name: 'a', score: 0, deaths: 0, bot: 0 }]],
    ];
    for (const c of bad) expectServerReject(raw(c), JSON.stringify(c).slice(0, 120));
  });

  it('trailing bytes and truncations of every server sample are rejected', () => {
    for (const msg of serverSamples) {
      const frame = encodeServer(msg);
      expectServerReject(concat(frame, new Uint8Array([0x00])), `trailing byte after type ${msg.type}`);
      expectServerReject(concat(frame, frame), `two frames of type ${msg.type}`);
      for (let n = 0; n < frame.length; n++) expectServerReject(frame.subarray(0, n), `type ${msg.type} cut at ${n}`);
    }
  });

  it('a keyframe with Limits.maxEntities players decodes (the snapshot array cap fits the validator)', () => {
    const rows = new Map<number, number[]>();
    for (let id = 0; id < Limits.maxEntities; id++) rows.set(id, [id, 2, 3, 4, 5, 6, 7]);
    const kf = diffSnapshot(null, { tick: 1, header: [0, 0], tables: [{ rows }, { rows: new Map() }] }, ARENA_SCHEMA);
    expect(kf.tables[0].changed.length).toBe(Limits.maxEntities * (2 + PLAYER_FIELDS));
    const r = decodeServer(encodeSnapshotDelta(kf));
    expect(r.ok).toBe(true);
    if (r.ok && r.value.type === ServerType.Snapshot) expect(r.value.delta).toEqual(kf);
  });

  it('a keyframe with Limits.maxEntities projectiles (five-field spawn rows) decodes', () => {
    const rows = new Map<number, number[]>();
    // Ids and spawn ticks at the top of the uint32 range, the largest fixed-point coordinate.
    for (let i = 0; i < Limits.maxEntities; i++) rows.set(U32_MAX - i, [32767, 0, 8, 65535, Limits.maxTick - i]);
    const kf = diffSnapshot(null, { tick: Limits.maxTick, header: [2, 0], tables: [{ rows: new Map() }, { rows }] }, ARENA_SCHEMA);
    expect(kf.tables[1].changed.length).toBe(Limits.maxEntities * (2 + PROJECTILE_FIELDS));
    const r = decodeServer(encodeSnapshotDelta(kf));
    expect(r.ok).toBe(true);
    if (r.ok && r.value.type === ServerType.Snapshot) expect(r.value.delta).toEqual(kf);
  });
});

// ---- fuzz -----------------------------------------------------------------------------

/** A random MessagePack-able value, biased toward the shapes the decoders look at. */
function randomValue(rnd: () => number, depth: number): unknown {
  const k = randInt(rnd, 0, depth > 2 ? 9 : 12);
  switch (k) {
    case 0:
      return randInt(rnd, 0, 127);
    case 1:
      return randInt(rnd, -40, 40);
    case 2:
      return [0, 31, 32, 65535, 65536, 2 ** 31, 2 ** 32 - 1, 2 ** 32, -1, -(2 ** 31), 2 ** 53][randInt(rnd, 0, 10)];
    case 3:
      return (rnd() - 0.5) * 10 ** randInt(rnd, 0, 12);
    case 4:
      return [Infinity, -Infinity, NaN, -0, 1e308][randInt(rnd, 0, 4)];
    case 5:
      return null;
    case 6:
      return rnd() < 0.5;
    case 7:
      return 'abcxyz\n\u0000é🎮'.slice(0, randInt(rnd, 0, 10)).repeat(randInt(rnd, 1, 3));
    case 8:
      return 'a'.repeat([1, 16, 17, 32, 33, 64, 65, 200, 201, 500, 501][randInt(rnd, 0, 10)]);
    case 9:
      return randInt(rnd, 64, 74);
    case 10:
    case 11: {
      const n = randInt(rnd, 0, 6);
      return Array.from({ length: n }, () => randomValue(rnd, depth + 1));
    }
    default: {
      const o: Record<string, unknown> = {};
      const keys = ['mode', 'tickRate', 'snapshotRate', 'maxPlayers', 'map', 'width', 'height', 'walls', 'x'];
      for (let i = randInt(rnd, 0, 6); i > 0; i--) o[keys[randInt(rnd, 0, keys.length - 1)]] = randomValue(rnd, depth + 1);
      return o;
    }
  }
}

function mutate(rnd: () => number, frame: Uint8Array): Uint8Array {
  let b = Array.from(frame);
  const ops = randInt(rnd, 1, 4);
  for (let i = 0; i < ops; i++) {
    const pos = randInt(rnd, 0, Math.max(0, b.length - 1));
    switch (randInt(rnd, 0, 6)) {
      case 0:
        if (b.length) b[pos] ^= 1 << randInt(rnd, 0, 7);
        break;
      case 1:
        if (b.length) b[pos] = randInt(rnd, 0, 255);
        break;
      case 2:
        b.splice(pos, 0, randInt(rnd, 0, 255));
        break;
      case 3:
        b.splice(pos, 1);
        break;
      case 4:
        b = b.slice(0, pos);
        break;
      case 5:
        b.push(...b.slice(pos, pos + randInt(rnd, 1, 8)));
        break;
      default:
        // Interesting MessagePack type bytes: containers, big lengths, floats, ext, bin.
        if (b.length) b[pos] = [0xdc, 0xdd, 0xde, 0xdf, 0xda, 0xdb, 0xcb, 0xca, 0xc7, 0xc4, 0xcf, 0xd3, 0xc1][randInt(rnd, 0, 12)];
    }
  }
  return Uint8Array.from(b);
}

/** Re-encoding a successfully decoded message must give the same message back. */
function checkCanonical(r: Result<ClientMessage> | Result<ServerMessage>, side: 'client' | 'server'): void {
  if (!r.ok) return;
  const m = r.value;
  // Request/Response bodies are opaque and may hold -0 or floats that do not re-encode bit-exactly.
  if ((side === 'client' && m.type === ClientType.Request) || (side === 'server' && m.type === ServerType.Response)) return;
  const again = side === 'client' ? decodeClient(encodeClient(m as ClientMessage)) : decodeServer(encodeServer(m as ServerMessage));
  // JSON comparison: a float -0 (accepted as ≥ 0) re-encodes as the integer 0.
  expect(JSON.stringify(again)).toBe(JSON.stringify({ ok: true, value: m }));
}

describe('fuzz: decoders never throw', () => {
  it('5,000 seeded random buffers (client and server)', () => {
    const rnd = prng(0xc0dec);
    let clientOk = 0;
    for (let i = 0; i < 5000; i++) {
      const len = rnd() < 0.9 ? randInt(rnd, 0, 48) : randInt(rnd, 49, 1200);
      const bytes = new Uint8Array(len);
      // Start most buffers with a plausible array header and type code so they get past the first check.
      for (let j = 0; j < len; j++) bytes[j] = randInt(rnd, 0, 255);
      if (len > 1 && rnd() < 0.6) {
        bytes[0] = 0x90 | randInt(rnd, 0, 6);
        bytes[1] = randInt(rnd, 0, 8) + (rnd() < 0.5 ? 0 : 63);
      }
      const rc = safe(decodeClient, bytes);
      const rs = safe(decodeServer, bytes);
      if (rc.ok) clientOk++;
      checkCanonical(rc, 'client');
      checkCanonical(rs, 'server');
      if (len > Limits.maxFrameBytes) expect(rc.ok).toBe(false);
    }
    // Nearly all random bytes are garbage.
    expect(clientOk).toBeLessThan(500);
  });

  it('5,000 seeded mutations of valid frames', () => {
    const rnd = prng(0x5eed);
    const clientFrames = clientSamples.map((m) => encodeClient(m));
    const serverFrames = serverSamples.map((m) => encodeServer(m));
    let rejected = 0;
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const useClient = i % 2 === 0;
      const pool = useClient ? clientFrames : serverFrames;
      const frame = mutate(rnd, pool[randInt(rnd, 0, pool.length - 1)]);
      const r = useClient ? safe(decodeClient, frame) : safe(decodeServer, frame);
      if (r.ok) accepted++;
      else rejected++;
      checkCanonical(r, useClient ? 'client' : 'server');
    }
    // The mutations must actually exercise both paths.
    expect(rejected).toBeGreaterThan(2500);
    expect(accepted).toBeGreaterThan(50);
  });

  it('5,000 seeded structured frames (valid type code, random fields) obey the field rules when accepted', () => {
    const rnd = prng(0xf1e1d);
    for (let i = 0; i < 5000; i++) {
      const type = rnd() < 0.5 ? randInt(rnd, 0, 6) : randInt(rnd, 63, 77);
      const frame = [type, ...Array.from({ length: randInt(rnd, 0, 5) }, () => randomValue(rnd, 0))];
      const bytes = raw(frame);
      const rc = safe(decodeClient, bytes);
      const rs = safe(decodeServer, bytes);
      checkCanonical(rc, 'client');
      checkCanonical(rs, 'server');
      if (rc.ok && rc.value.type === ClientType.Input) {
        const v = rc.value;
        expect(Number.isInteger(v.seq) && v.seq >= 0 && v.seq <= U32_MAX).toBe(true);
        expect(Number.isInteger(v.buttons) && v.buttons >= 0 && v.buttons <= 31).toBe(true);
        expect(Number.isInteger(v.aim) && v.aim >= 0 && v.aim <= 65535).toBe(true);
      }
      if (rc.ok && rc.value.type === ClientType.Chat) {
        expect(rc.value.text.length).toBeGreaterThan(0);
        expect(rc.value.text.length).toBeLessThanOrEqual(Limits.maxChatLength);
      }
      if (rc.ok && rc.value.type === ClientType.Ping) expect(Number.isFinite(rc.value.t)).toBe(true);
    }
  });
});

describe('input fast path', () => {
  it('agrees with the general decoder on 20,000 seeded valid, mutated, truncated and padded input frames', () => {
    const rnd = prng(0x1a9e7);
    const edge = (max: number) => [0, 1, 127, 128, 255, 256, 65535, 65536, max, max - 1][randInt(rnd, 0, 9)] % (max + 1);
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const msg = {
        type: ClientType.Input,
        seq: rnd() < 0.5 ? edge(U32_MAX) : randInt(rnd, 0, U32_MAX),
        buttons: randInt(rnd, 0, 31),
        aim: rnd() < 0.3 ? edge(65535) : randInt(rnd, 0, 65535),
        ackTick: rnd() < 0.5 ? edge(U32_MAX) : randInt(rnd, 0, U32_MAX),
        // Half of them carry the optional viewTick (lag compensation).
        ...(rnd() < 0.5 ? { viewTick: rnd() < 0.5 ? edge(U32_MAX) : randInt(rnd, 0, U32_MAX) } : {}),
      } as const;
      let bytes = encodeClient(msg);
      const k = rnd();
      if (k < 0.25) {
        bytes = bytes.slice();
        bytes[randInt(rnd, 0, bytes.length - 1)] = randInt(rnd, 0, 255);
      } else if (k < 0.35) bytes = bytes.slice(0, randInt(rnd, 0, bytes.length - 1));
      else if (k < 0.45) bytes = Uint8Array.from([...bytes, randInt(rnd, 0, 255)]);
      const a = decodeClient(bytes);
      const b = decodeClientGeneral(bytes);
      expect(a.ok).toBe(b.ok);
      if (a.ok && b.ok) {
        expect(a.value).toEqual(b.value);
        fast++;
      }
      if (k >= 0.45) expect(a.ok && a.value).toEqual(msg);
    }
    expect(fast).toBeGreaterThan(10_000);
  });

  it('leaves non-canonical encodings to the general decoder (same answer)', () => {
    // seq as a float64 that is an integer, buttons as int8: valid MessagePack, not our encoder's output.
    const frame = new Uint8Array([0x95, 0x01, 0xcb, 0x40, 0x14, 0, 0, 0, 0, 0, 0, 0xd0, 0x03, 0x00, 0x00]);
    expect(decodeClient(frame)).toEqual(decodeClientGeneral(frame));
    expect(decodeClient(frame)).toEqual({ ok: true, value: { type: ClientType.Input, seq: 5, buttons: 3, aim: 0, ackTick: 0 } });
  });
});
