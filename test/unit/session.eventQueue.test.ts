/** EventQueue: events released at their render tick, after 1.5 s at most, 256 kept at most. */
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../game-client/netcode/eventQueue.js';

describe('EventQueue', () => {
  it('releases events once the render tick reaches theirs, in arrival order', () => {
    const q = new EventQueue();
    q.push(10, 0, [[1, 1], [2, 1]]);
    q.push(12, 0, [[3, 1]]);
    expect(q.release(9.5, 100)).toEqual([]);
    expect(q.release(10, 100)).toEqual([[1, 1], [2, 1]]);
    expect(q.release(11.9, 100)).toEqual([]);
    expect(q.release(12, 100)).toEqual([[3, 1]]);
  });

  it('releases an event that waited 1.5 s even if the render tick never got there', () => {
    const q = new EventQueue();
    q.push(50, 1000, [[1, 7]]);
    expect(q.release(0, 2499)).toEqual([]);
    expect(q.release(0, 2500)).toEqual([[1, 7]]);
  });

  it('keeps only the latest 256 events', () => {
    const q = new EventQueue();
    for (let i = 0; i < 300; i++) q.push(i, 0, [[i]]);
    const out = q.release(1000, 0);
    expect(out).toHaveLength(256);
    expect(out[0]).toEqual([44]);
    expect(out[255]).toEqual([299]);
  });

  it('forgets everything on clear', () => {
    const q = new EventQueue();
    q.push(1, 0, [[1]]);
    q.clear();
    expect(q.release(1000, 10_000)).toEqual([]);
  });
});
