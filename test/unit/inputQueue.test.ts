import { describe, expect, it } from 'vitest';
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
});
