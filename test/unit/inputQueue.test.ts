import { describe, expect, it } from 'vitest';
import { ClientFrameReader, ClientType, encodeClient, type InputMsg } from '../../protocol/index.js';
import { InputQueue } from '../../server/rooms/inputQueue.js';

const input = (seq: number) => ({ seq, buttons: 0, aim: 0 });

describe('InputQueue', () => {
  it('hands out inputs oldest first, at most n per take, dropping the oldest past capacity', () => {
    const q = new InputQueue(4);
    for (let s = 1; s <= 3; s++) expect(q.push(input(s))).toBe(false);
    expect(q.take(2).map((i) => i.seq)).toEqual([1, 2]);
    for (let s = 4; s <= 7; s++) q.push(input(s));
    // 3..7 is five inputs for four places: 3 was dropped.
    expect(q.push(input(8))).toBe(true);
    expect(q.length).toBe(4);
    expect(q.take(3).map((i) => i.seq)).toEqual([5, 6, 7]);
    expect(q.take(3).map((i) => i.seq)).toEqual([8]);
    expect(q.take(3)).toEqual([]);
    q.push(input(9));
    q.clear();
    expect(q.length).toBe(0);
    expect(q.take(3)).toEqual([]);
  });

  it('reuses its batch arrays (one per size) instead of allocating per take', () => {
    const q = new InputQueue(8);
    q.push(input(1));
    q.push(input(2));
    const a = q.take(2);
    q.push(input(3));
    q.push(input(4));
    const b = q.take(2);
    expect(b).toBe(a);
    expect(b.map((i) => i.seq)).toEqual([3, 4]);
  });

  it('copies what it queues: the decoder\'s reused message cannot leak into a queued input', () => {
    const reader = new ClientFrameReader();
    const q = new InputQueue(4);
    const frame = (seq: number, viewTick?: number) =>
      encodeClient({ type: ClientType.Input, seq, buttons: seq, aim: seq * 100, ackTick: 0, ...(viewTick === undefined ? {} : { viewTick }) });
    const first = reader.read(frame(1, 9)) as InputMsg;
    q.push(first);
    // Every read overwrites the same message object.
    expect(reader.read(frame(2))).toBe(first);
    q.push(first);
    q.push(reader.read(frame(3, 7)) as InputMsg);
    first.seq = 99;
    expect(q.take(3).map((i) => ({ ...i }))).toEqual([
      { seq: 1, buttons: 1, aim: 100, viewTick: 9 },
      { seq: 2, buttons: 2, aim: 200, viewTick: undefined },
      { seq: 3, buttons: 3, aim: 300, viewTick: 7 },
    ]);
  });

  it('reuses its input objects: a taken input stays valid until the next take, whatever is pushed meanwhile', () => {
    const q = new InputQueue(2);
    q.push(input(1));
    const [a] = q.take(1);
    expect(a.seq).toBe(1);
    q.push(input(2));
    q.push(input(3));
    // Two pushes after a take of one wrap onto the taken place in the ring, not onto `a`.
    expect(a.seq).toBe(1);
    // The next take reuses the same objects: the tick that took `a` is over.
    const b = q.take(2);
    expect(b.map((i) => i.seq)).toEqual([2, 3]);
    expect(b[0]).toBe(a);
  });

  it('keeps every field through the ring: uint32 seq and viewTick, aim, buttons, viewTick absent', () => {
    const q = new InputQueue(3);
    q.push({ seq: 0xffffffff, buttons: 5, aim: 0xffff, viewTick: 0xffffffff });
    q.push({ seq: 7, buttons: 0, aim: 0, viewTick: 0 });
    q.push({ seq: 8, buttons: 31, aim: 12, viewTick: undefined });
    expect(q.take(3).map((i) => ({ ...i }))).toEqual([
      { seq: 0xffffffff, buttons: 5, aim: 0xffff, viewTick: 0xffffffff },
      { seq: 7, buttons: 0, aim: 0, viewTick: 0 },
      { seq: 8, buttons: 31, aim: 12, viewTick: undefined },
    ]);
  });
});
