/**
 * Per-receiver snapshot content (protocol v2): each seated player's frame carries its own
 * ack — the last input sequence the simulation applied for it — absolute in a keyframe and
 * as a difference in deltas; the shared part is byte-identical for everyone; spectators get
 * ack 0 frames through one publish on the match topic.
 */
import { describe, expect, it } from 'vitest';
import { Buttons, ClientType } from '../../protocol/index.js';
import { makeRoom, TICK, type RecordingConn } from './room.helpers.js';

describe('snapshot acks are per player', () => {
  it('each player reads its own last applied input; shared bytes identical; spectators share one publish', () => {
    const { room, clock, broadcaster, conn, join } = makeRoom({ id: 'a1', seed: 3, hooks: {} });
    const publishes = broadcaster.publishes;
    const a = join('a');
    const b = join('b');
    const spectators: RecordingConn[] = [conn(), conn()];
    for (const s of spectators) expect(room.addSpectator(s)).toBe(true);
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
    // The subscriber count the room announces (uWS metrics use it) is the real one.
    expect(publishes.filter((p) => p.subscribers !== p.delivered)).toEqual([]);
    // The rows no longer carry anyone's input sequence: only the 7 arena fields.
    for (const row of a.c.state!.tables[0].rows.values()) expect(row).toHaveLength(7);
  });
});
