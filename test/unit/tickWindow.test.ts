/**
 * The slow-device e2e test's measurement (test/support/tickWindow.ts) on a real room and a
 * manual clock: a client that sends one input per tick measures ~1 input per tick even when
 * the server or the page stalls inside the window or next to one of its ends, where counting
 * the inputs applied in the window (what the e2e test once did, against the wall clock) is
 * off by the stall; a client that sends a fifth fewer measures ~0.8.
 */
import { describe, expect, it } from 'vitest';
import { Buttons, ClientType, PLAYER_SPEED } from '../../protocol/index.js';
import { findPlayer, type ArenaState } from '../../server/game/arena/state.js';
import type { Room } from '../../server/rooms/room.js';
import type { Seat } from '../../server/rooms/seat.js';
import { TickRecorder, windowRates, type TickRow } from '../support/tickWindow.js';
import { makeRoom, TICK } from './room.helpers.js';

const xOf = (room: Room, seat: Seat) => findPlayer((room as unknown as { state: ArenaState }).state, seat.playerId)!.x;

interface Script {
  /** Advances the clock a tick (or `ms`), running the ticks due. */
  tick(ms?: number): void;
  /** The client's next `n` inputs arrive. */
  send(n?: number): void;
  /** Time passes with no tick run and nothing read: the next wake-up runs the catch-up ticks and skips the rest. */
  stall(ms: number): void;
}

/**
 * A room with a player holding the key toward the farther side, one input per tick for a
 * second, then `before`, then `watched` with the ticks recorded; returns the recorded rows.
 */
function measure(watched: (s: Script) => void, before: (s: Script) => void = () => {}): TickRow[] {
  const recorder = new TickRecorder(xOf);
  const { room, clock, join } = makeRoom({ hooks: recorder.hooks });
  const { seat } = join('a');
  join('b');
  const buttons = xOf(room, seat) < 800 ? Buttons.Right : Buttons.Left;
  let seq = 0;
  const s: Script = {
    tick: (ms = TICK) => clock.advance(ms),
    send: (n = 1) => {
      for (let i = 0; i < n; i++) room.queueInput(seat, { type: ClientType.Input, seq: ++seq, buttons, aim: 0, ackTick: room.serverTick });
    },
    stall: (ms) => clock.jump(ms),
  };
  steady(s, 30);
  before(s);
  const rows = recorder.watch(room, seat, () => {});
  watched(s);
  recorder.stop();
  return rows;
}

function steady(s: Script, ticks: number): void {
  for (let t = 0; t < ticks; t++) {
    s.send();
    s.tick();
  }
}

describe('inputs per tick over a window of server ticks', () => {
  it('a stall of the server inside the window: its skipped ticks count, and so do their inputs', () => {
    const rows = measure((s) => {
      steady(s, 45);
      s.stall(500);
      // The wake-up runs the catch-up ticks and the skip first, then reads the 15 inputs the
      // page made meanwhile (the order the backlog test calls "after").
      s.tick(0);
      s.send(15);
      steady(s, 45);
    });
    const r = windowRates(rows, 20);
    expect(r.skipped).toBeGreaterThanOrEqual(10);
    expect(r.inputsPerTick).toBeCloseTo(1, 1);
    // Positions are quantized: 7.3125 units an input against 220 / 30.
    expect(r.distancePerInput).toBeCloseTo(PLAYER_SPEED / 30, 1);
  });

  it('a stall of the server just before the window: its catch-up inputs are not counted in it', () => {
    // The window starts after the skip but before the stalled inputs were applied (at most
    // 3 a tick): counted as applied in the window, they are ~15 over 90 ticks too many.
    const rows = measure(
      (s) => steady(s, 90),
      (s) => {
        s.stall(500);
        s.tick(0);
        s.send(15);
      },
    );
    const r = windowRates(rows, 20);
    expect(r.appliedPerTick).toBeGreaterThan(1.1);
    expect(r.inputsPerTick).toBeCloseTo(1, 1);
  });

  it('a stall of the server as the window ends: the end is the last tick before it', () => {
    const rows = measure((s) => {
      steady(s, 90);
      s.stall(500);
      s.tick(0);
    });
    const r = windowRates(rows, 20);
    expect(r.skipped).toBe(0);
    expect(r.inputsPerTick).toBeCloseTo(1, 1);
  });

  it('a stall of the page: its catch-up inputs wait in the queue and count as taken', () => {
    const rows = measure((s) => {
      steady(s, 40);
      for (let t = 0; t < 10; t++) s.tick();
      s.send(10);
      steady(s, 50);
    });
    const r = windowRates(rows, 20);
    // The seat saves up to 3 inputs of budget: the rest of the burst is applied one per tick
    // from then on, 7 ticks behind for good.
    expect(rows.at(-1)!.queued).toBeGreaterThanOrEqual(6);
    expect(r.appliedPerTick).toBeLessThan(0.95);
    expect(r.inputsPerTick).toBeCloseTo(1, 1);
  });

  it('a client that sends a fifth fewer inputs measures ~0.8', () => {
    const rows = measure((s) => {
      for (let t = 0; t < 100; t++) {
        if (t % 5 !== 4) s.send();
        s.tick();
      }
    });
    const r = windowRates(rows, 20);
    expect(r.inputsPerTick).toBeGreaterThan(0.75);
    expect(r.inputsPerTick).toBeLessThan(0.85);
  });
});
