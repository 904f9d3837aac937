/**
 * Per-receiver snapshot content (protocol v2): each seated player's frame carries its own
 * ack — the last input sequence the simulation applied for it — absolute in a keyframe and
 * as a difference in deltas; the shared part is byte-identical for everyone; spectators get
 * ack 0 frames through one publish on the match topic.
 */
import { describe, expect, it } from 'vitest';
import { ARENA_SCHEMA, applySnapshotDelta, Buttons, ClientType, decodeServer, KEYFRAME, resolveAck, ServerType, type SnapshotMsg, type SnapshotState } from '../../protocol/index.js';
import { ManualClock } from '../../server/clock.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import type { Broadcaster, Connection } from '../../server/rooms/connection.js';
import type { GameMode } from '../../server/rooms/gameMode.js';
import { Room } from '../../server/rooms/room.js';

class Conn implements Connection {
  closed = false;
  topics = new Set<string>();
  frames: Array<{ bytes: Uint8Array; kind: string }> = [];
  state: SnapshotState | null = null;
  ack: number | null = null;
  errors: string[] = [];
  send(frame: Uint8Array, kind: string): void {
    // Copy: a frame is only valid until it is sent.
    const bytes = frame.slice();
    this.frames.push({ bytes, kind });
    const m = decodeServer(bytes);
    if (!m.ok) return void this.errors.push(m.error);
    if (m.value.type !== ServerType.Snapshot) return;
    const s = applySnapshotDelta(this.state, m.value.delta, ARENA_SCHEMA);
    const ack = resolveAck(this.ack, m.value.delta.baselineTick === KEYFRAME, m.value.ack);
    if (!s.ok || ack === null) return void this.errors.push(s.ok ? 'ack' : s.error);
    this.state = s.value;
    this.ack = ack;
  }
  bufferedAmount = () => 0;
  subscribe = (t: string) => void this.topics.add(t);
  unsubscribe = (t: string) => void this.topics.delete(t);
  close(): void {
    this.closed = true;
  }
  terminate(): void {
    this.closed = true;
  }
  snapshots(): SnapshotMsg[] {
    return this.frames
      .map((f) => decodeServer(f.bytes))
      .flatMap((m) => (m.ok && m.value.type === ServerType.Snapshot ? [m.value] : []));
  }
}

const TICK = 1000 / 30;

describe('snapshot acks are per player', () => {
  it('each player reads its own last applied input; shared bytes identical; spectators share one publish', () => {
    const clock = new ManualClock();
    const conns: Conn[] = [];
    const publishes: Array<{ kind: string; subscribers: number }> = [];
    const broadcaster: Broadcaster = {
      publish(topic, frame, kind, subscribers) {
        publishes.push({ kind, subscribers });
        expect(subscribers).toBe(conns.filter((c) => c.topics.has(topic)).length);
        for (const c of conns) if (c.topics.has(topic)) c.send(frame, kind);
      },
    };
    const room = new Room({
      id: 'a1',
      mode: arenaMode as GameMode<unknown>,
      clock,
      broadcaster,
      tickRate: 30,
      snapshotRate: 15,
      maxPlayers: 8,
      reconnectGraceMs: 1000,
      botFillDelayMs: -1,
      seed: 3,
      settings: { map: 'open', countdownSeconds: 0, minPlayers: 2 },
    });
    const join = (user: string) => {
      room.reserve(user, user);
      const c = new Conn();
      conns.push(c);
      const r = room.attach(user, c);
      if (!r.ok) throw new Error('attach failed');
      return { c, seat: r.seat };
    };
    const a = join('a');
    const b = join('b');
    const spectators = [new Conn(), new Conn()];
    for (const s of spectators) {
      conns.push(s);
      expect(room.addSpectator(s)).toBe(true);
    }
    // a sends one input per tick from seq 1000 (a resumed page); b sends every other tick.
    let seqA = 999;
    let seqB = 0;
    for (let t = 0; t < 60; t++) {
      room.queueInput(a.seat, { type: ClientType.Input, seq: ++seqA, buttons: Buttons.Up, aim: 0, ackTick: 0 });
      if (t % 2 === 0) room.queueInput(b.seat, { type: ClientType.Input, seq: ++seqB, buttons: 0, aim: 0, ackTick: 0 });
      clock.advance(TICK);
    }
    clock.advance(TICK * 2);
    for (const c of [a.c, b.c, ...spectators]) expect(c.errors).toEqual([]);
    expect(a.c.ack).toBe(seqA);
    expect(b.c.ack).toBe(seqB);
    expect(spectators.map((s) => s.ack)).toEqual([0, 0]);
    // The keyframe's ack is absolute, then differences: about +2 per snapshot for a at 30
    // inputs/s (1 or 3 where a tick boundary falls between an input and the next tick).
    const acksA = a.c.snapshots().map((m) => m.ack);
    expect(acksA[0]).toBeGreaterThanOrEqual(1000);
    expect(acksA.slice(1).every((d) => d >= 1 && d <= 3)).toBe(true);
    expect(acksA.reduce((x, y) => x + y, 0)).toBe(seqA);
    // Everyone's frame for a tick is the same bytes but for the trailing ack.
    const lastA = a.c.frames.at(-1)!.bytes;
    const lastB = b.c.frames.at(-1)!.bytes;
    const lastS = spectators[0].frames.at(-1)!.bytes;
    const shared = (f: Uint8Array, ackBytes: number) => Buffer.from(f.subarray(0, f.length - ackBytes)).toString('hex');
    expect(shared(lastA, 1)).toBe(shared(lastS, 1));
    expect(shared(lastB, 1)).toBe(shared(lastS, 1));
    // Each player's frames go to the player's own topic; the spectators' are one publish
    // per snapshot on the match topic.
    expect(a.c.frames.filter((f) => f.kind === 'snapshot').length).toBeGreaterThan(25);
    expect([...a.c.topics]).toEqual(['match/a1/1']);
    expect([...b.c.topics]).toEqual(['match/a1/2']);
    expect(spectators.map((s) => [...s.topics])).toEqual([['match/a1'], ['match/a1']]);
    const toSpectators = publishes.filter((p) => p.subscribers === 2);
    expect(toSpectators.length).toBe(spectators[0].snapshots().length - 1); // all but the keyframe
    expect(publishes.every((p) => p.kind === 'snapshot' && (p.subscribers === 1 || p.subscribers === 2))).toBe(true);
    // The rows no longer carry anyone's input sequence: only the 7 arena fields.
    for (const row of a.c.state!.tables[0].rows.values()) expect(row).toHaveLength(7);
  });
});
