/**
 * The room's input store (tickInputs.ts): one array of slots, recycled when a seat leaves.
 * A socket holds its seat's slot directly, so a slot's next seat must not receive the old
 * socket's inputs, and must start empty.
 */
import { describe, expect, it } from 'vitest';
import { ClientFrameReader, ClientType, encodeClient, type InputMsg } from '../../protocol/index.js';
import { queueInput } from '../../server/rooms/tickInputs.js';
import { makeRoom, TICK } from './room.helpers.js';

const input = (seq: number, ackTick = 0): InputMsg => ({ type: ClientType.Input, seq, buttons: 1, aim: 0, ackTick });

describe('input store slots', () => {
  it("recycles a left seat's slot with a new generation: the old socket's inputs are ignored, the new seat starts empty", () => {
    const rejected: string[] = [];
    const { room, clock, join } = makeRoom({ hooks: { onInputs: (_n, r, why) => r > 0 && rejected.push(why) } });
    const a = join('a');
    join('b');
    const words = room.inputStore.data;
    const old = { at: a.seat.inputAt, gen: a.seat.inputGen };
    for (let s = 1; s <= 5; s++) expect(queueInput(words, old.at, old.gen, input(s))).toBe('');
    room.leave(a.seat);
    expect(a.seat.inputAt).toBe(-1);
    const c = join('c');
    expect(c.seat.inputAt).toBe(old.at);
    expect(c.seat.inputGen).not.toBe(old.gen);
    expect(room.queuedInputs(c.seat)).toBe(0);
    // A late frame of a's socket: ignored, not queued on c, not counted.
    expect(queueInput(words, old.at, old.gen, input(6))).toBeNull();
    expect(room.queuedInputs(c.seat)).toBe(0);
    // c's own first input is not stale against a's last sequence.
    expect(queueInput(words, c.seat.inputAt, c.seat.inputGen, input(1))).toBe('');
    expect(rejected).toEqual([]);
    clock.advance(TICK + 1);
    expect(c.seat.ackSeq).toBe(1);
    expect([...room.inputStore.current.keys()]).toEqual([room.seatOf('b')!.playerId, c.seat.playerId]);
  });

  it('holds every seat of a full match through many leaves and joins', () => {
    let applied = 0;
    const { room, clock, join } = makeRoom({ hooks: { onInputs: (n) => (applied += n) } });
    const seats = Array.from({ length: 8 }, (_, i) => join(`u${i}`).seat);
    for (let k = 0; k < 40; k++) {
      room.leave(seats[k % 8]);
      seats[k % 8] = join(`v${k}`).seat;
      applied = 0;
      for (const s of seats) room.queueInput(s, input(k + 1, room.serverTick));
      clock.advance(TICK + 1);
      expect(applied).toBe(8);
    }
    expect(new Set(seats.map((s) => s.inputAt)).size).toBe(8);
  });

  it('counts what the direct path drops as the room does: stale, late, overflow', () => {
    const rejected: string[] = [];
    const { room, clock, join } = makeRoom({ hooks: { onInputs: (_n, r, why) => r > 0 && rejected.push(why) }, maxQueuedInputs: 2 });
    const a = join('a');
    join('b');
    clock.advance(TICK * 40);
    room.queueInput(a.seat, input(5, room.serverTick));
    room.queueInput(a.seat, input(5, room.serverTick));
    room.queueInput(a.seat, input(6, 1));
    room.queueInput(a.seat, input(7, room.serverTick));
    room.queueInput(a.seat, input(8, room.serverTick));
    expect(rejected).toEqual(['stale', 'late', 'overflow']);
    expect(room.queuedInputs(a.seat)).toBe(2);
  });

  it("copies what it queues: the decoder's reused message cannot leak into a queued input; every field survives the ring", () => {
    const { room, clock, join } = makeRoom();
    const a = join('a');
    join('b');
    clock.advance(TICK * 5); // idle ticks save credit for 3 inputs in one tick
    const reader = new ClientFrameReader();
    const frame = (seq: number, viewTick?: number) =>
      encodeClient({ type: ClientType.Input, seq, buttons: seq & 31, aim: seq & 0xffff, ackTick: 0, ...(viewTick === undefined ? {} : { viewTick }) });
    const words = room.inputStore.data;
    const first = reader.read(frame(0xfffffffd, 0xffffffff)) as InputMsg;
    queueInput(words, a.seat.inputAt, a.seat.inputGen, first);
    // Every read overwrites the same message object.
    expect(reader.read(frame(0xfffffffe))).toBe(first);
    queueInput(words, a.seat.inputAt, a.seat.inputGen, first);
    queueInput(words, a.seat.inputAt, a.seat.inputGen, reader.read(frame(0xffffffff, 0)) as InputMsg);
    first.seq = 99;
    clock.advance(TICK + 1);
    expect(room.inputStore.current.get(a.seat.playerId)!.map((i) => ({ ...i }))).toEqual([
      { seq: 0xfffffffd, buttons: 0xfffffffd & 31, aim: 0xfffd, viewTick: 0xffffffff },
      { seq: 0xfffffffe, buttons: 0xfffffffe & 31, aim: 0xfffe, viewTick: undefined },
      { seq: 0xffffffff, buttons: 31, aim: 0xffff, viewTick: 0 },
    ]);
  });
});
