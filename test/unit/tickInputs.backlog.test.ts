/**
 * Skipped ticks and the movement budget: after a stall the tick loop runs a few ticks back
 * to back and skips the rest, while the client kept producing one input per tick of real
 * time. The inputs of the skipped ticks must not stay queued for good: a seat earned one
 * input per tick run, so a client sending exactly one per tick never drained them, and
 * every later input waited behind them (9–10 ticks, ~300 ms, after a 500 ms stall).
 */
import { describe, expect, it } from 'vitest';
import { ClientType } from '../../protocol/index.js';
import { makeRoom, TICK } from './room.helpers.js';

function stall(burstBeforeTheTicks: boolean) {
  const skipped: number[] = [];
  const applied: number[] = [];
  const { room, clock, join } = makeRoom({
    hooks: { onTicksSkipped: (_r, n) => skipped.push(n), onInputs: (n) => n > 0 && applied.push(n) },
  });
  const a = join('a');
  join('b');
  clock.advance(TICK * 3);
  let seq = 0;
  const send = () => room.queueInput(a.seat, { type: ClientType.Input, seq: ++seq, buttons: 0, aim: 0, ackTick: room.serverTick });
  for (let t = 0; t < 30; t++) {
    send();
    clock.advance(TICK);
  }
  expect(room.queuedInputs(a.seat)).toBe(0);
  // The event loop stalls for 500 ms (15 ticks); the client's 15 inputs of that time
  // arrive together, read before the loop's catch-up ticks (the receive path ran them) or
  // after them and the skip (the timer ran them first, the socket reads came next).
  clock.jump(500);
  const queued: number[] = [];
  const perTick: number[] = [];
  const tick = (ms: number) => {
    applied.length = 0;
    clock.advance(ms);
    perTick.push(...applied);
    queued.push(room.queuedInputs(a.seat));
  };
  if (!burstBeforeTheTicks) tick(0);
  for (let k = 0; k < 15; k++) send();
  for (let t = 0; t < 60; t++) {
    tick(TICK);
    send();
  }
  return { skipped: skipped.reduce((x, y) => x + y, 0), queued, perTick, a, seq };
}

describe('input backlog after skipped ticks', () => {
  for (const before of [true, false]) {
    it(`drains once the client is back to one input per tick (stalled inputs read ${before ? 'before' : 'after'} the catch-up ticks)`, () => {
      const { skipped, queued, perTick, a, seq } = stall(before);
      expect(skipped).toBeGreaterThanOrEqual(10);
      // Within half a second the queue is back to what one tick leaves (≤ 1 waiting)…
      expect(Math.max(...queued.slice(15))).toBeLessThanOrEqual(1);
      // …every input was applied (none dropped), never more than maxInputsPerTick (3) a tick.
      expect(a.seat.ackSeq).toBeGreaterThanOrEqual(seq - 1);
      expect(Math.max(...perTick)).toBeLessThanOrEqual(3);
    });
  }
});
