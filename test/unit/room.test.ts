/**
 * Room mechanics with fake sockets and a manual clock: snapshot fan-out, keyframes for
 * joiners and slow consumers, reconnection grace, bots stepping aside, join-in-progress.
 */
import { describe, expect, it } from 'vitest';
import { Phase, ServerType } from '../../protocol/index.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import type { GameMode } from '../../server/rooms/gameMode.js';
import { makeRoom, TICK, type RecordingConn } from './room.helpers.js';

describe('Room', () => {
  it('sends a keyframe on join, then one delta per snapshot over the topic, with no broken baselines', () => {
    const { clock, join } = makeRoom();
    const a = join('a');
    clock.advance(TICK * 2 + 1);
    expect(a.c.count(ServerType.Snapshot)).toBe(1); // the keyframe
    const b = join('b');
    clock.advance(TICK * 20);
    for (const p of [a, b]) {
      expect(p.c.errors).toEqual([]);
      expect(p.c.count(ServerType.Snapshot)).toBeGreaterThanOrEqual(10);
      expect(p.c.state!.tables[0].rows.size).toBe(2);
    }
  });

  it('a slow consumer leaves the topic, skips snapshots, and gets a keyframe once drained', () => {
    const dropped: number[] = [];
    const { clock, join } = makeRoom({ hooks: { onSnapshotDropped: () => dropped.push(1) } });
    const a = join('a');
    const b = join('b');
    clock.advance(TICK * 4 + 1);
    const before = b.c.count(ServerType.Snapshot);
    b.c.buffered = 100 * 1024; // above the 64 KiB soft bound
    clock.advance(TICK * 10);
    expect(b.c.count(ServerType.Snapshot)).toBe(before);
    expect(dropped.length).toBeGreaterThan(0);
    b.c.buffered = 0;
    clock.advance(TICK * 4);
    expect(b.c.count(ServerType.Snapshot)).toBeGreaterThan(before);
    expect(b.c.errors).toEqual([]);
    expect(a.c.errors).toEqual([]);
    // Above the hard bound the socket is closed as a slow consumer.
    b.c.buffered = 600 * 1024;
    clock.advance(TICK * 4);
    expect(b.c.closeCode).toBe(CloseCode.SlowConsumer);
    expect(a.c.closed).toBe(false);
  });

  it('keeps a disconnected seat for the grace window, then frees it', () => {
    const { room, clock, join, conn } = makeRoom();
    const a = join('a');
    join('b');
    room.detach(a.seat, a.c);
    clock.advance(500);
    const again = room.attach('a', conn());
    expect(again.ok && again.resumed && again.seat.playerId).toBe(a.seat.playerId);
    room.detach(a.seat, again.ok ? (again.seat.conn as RecordingConn) : a.c);
    clock.advance(1001);
    expect(room.seatOf('a')).toBeUndefined();
    expect(room.seatCount).toBe(1);
  });

  it('a second connection replaces the first with the "replaced" code', () => {
    const { room, join, conn } = makeRoom();
    const a = join('a');
    const second = conn();
    expect(room.attach('a', second).ok).toBe(true);
    expect(a.c.closeCode).toBe(CloseCode.Replaced);
    expect(second.closed).toBe(false);
  });

  it('bots fill empty slots after the delay and step aside for humans', () => {
    const { room, clock, join } = makeRoom({ botFillDelayMs: 200 });
    join('a');
    clock.advance(100);
    expect(room.botCount).toBe(0);
    clock.advance(200);
    expect(room.botCount).toBe(7);
    join('b');
    expect(room.botCount).toBe(6);
  });

  it('spectators get keyframes and snapshots but hold no seat', () => {
    const { room, clock, join, conn } = makeRoom();
    join('a');
    const s = conn();
    expect(room.addSpectator(s)).toBe(true);
    clock.advance(TICK * 6);
    expect(s.state!.tables[0].rows.size).toBe(1);
    expect(room.seatCount).toBe(1);
    expect(room.spectatorCount).toBe(1);
    room.removeSpectator(s);
    expect(room.spectatorCount).toBe(0);
  });

  it('join in progress follows the mode: refused once playing when the mode says so', () => {
    const strict = { ...arenaMode, joinInProgress: false } as GameMode<unknown>;
    const { room, clock, join } = makeRoom({ mode: strict });
    join('a');
    join('b');
    clock.advance(TICK * 3);
    expect(room.phase).toBe(Phase.Playing);
    expect(room.joinable).toBe(false);
    expect(room.reserve('c', 'c')).toBeNull();

    const open = makeRoom();
    open.join('a');
    open.join('b');
    open.clock.advance(TICK * 3);
    expect(open.room.phase).toBe(Phase.Playing);
    expect(open.room.joinable).toBe(true);
  });

  it('is disposed when its last human leaves', () => {
    const { room, join, disposed } = makeRoom();
    const a = join('a');
    room.leave(a.seat);
    expect(room.isDisposed).toBe(true);
    expect(disposed).toEqual(['r1']);
  });
});

describe('Room movement budget', () => {
  it('applies at most one input per tick over time, however fast inputs arrive', () => {
    const applied: number[] = [];
    const { room, clock, join } = makeRoom({ hooks: { onInputs: (n) => n > 0 && applied.push(n) } });
    const a = join('a');
    join('b');
    clock.advance(TICK * 3);
    let seq = 0;
    const before = applied.reduce((x, y) => x + y, 0);
    // A flooding client: two inputs every tick for 60 ticks (2× the tick rate).
    for (let t = 0; t < 60; t++) {
      for (let k = 0; k < 2; k++) room.queueInput(a.seat, { type: 1, seq: ++seq, buttons: 1, aim: 0, ackTick: room.serverTick } as never);
      clock.advance(TICK);
    }
    const total = applied.reduce((x, y) => x + y, 0) - before;
    // 60 ticks: at most 60 inputs plus the saved-up credit (maxInputsPerTick), not 120.
    expect(total).toBeLessThanOrEqual(60 + 3);
    expect(total).toBeGreaterThanOrEqual(58);
  });

  it('still applies a jittered burst in one tick when credit was saved', () => {
    const applied: number[] = [];
    const { room, clock, join } = makeRoom({ hooks: { onInputs: (n) => n > 0 && applied.push(n) } });
    const a = join('a');
    join('b');
    clock.advance(TICK * 5); // idle ticks save credit
    for (let s = 1; s <= 3; s++) room.queueInput(a.seat, { type: 1, seq: s, buttons: 1, aim: 0, ackTick: room.serverTick } as never);
    applied.length = 0;
    clock.advance(TICK + 1);
    expect(applied).toEqual([3]);
  });
});
