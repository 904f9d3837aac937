/**
 * Prediction and reconciliation against a model of the server: the server applies each
 * input with the same movePlayer, possibly later and in bunches; the client must land on
 * the authoritative position after replaying what is not yet acknowledged.
 */
import { describe, expect, it } from 'vitest';
import { Buttons, movePlayer, type MapGeometry, type Vec2 } from '../../protocol/index.js';
import { Predictor, type PredictionOptions } from '../../client/index.js';

const MAP: MapGeometry = {
  width: 1600,
  height: 1000,
  walls: [
    { x: 740, y: 440, w: 120, h: 120 },
    { x: 600, y: 200, w: 400, h: 32 },
  ],
};
const DT = 1 / 30;

/** The generic predictor with the arena's movement rule as its step (what the arena client does). */
function arenaPredictor(o: Omit<PredictionOptions<number>, 'step'> = {}): Predictor<number> {
  return new Predictor<number>({ ...o, step: (p, buttons) => movePlayer(p, buttons, DT, MAP) });
}

/** The server's side: applies inputs one movePlayer each, remembers the last seq. */
class ServerModel {
  pos: Vec2;
  lastSeq = 0;
  constructor(start: Vec2) {
    this.pos = { ...start };
  }
  apply(seq: number, buttons: number): void {
    this.pos = movePlayer(this.pos, buttons, DT, MAP);
    this.lastSeq = seq;
  }
}

function pattern(i: number): number {
  const p = [Buttons.Right, Buttons.Right | Buttons.Down, Buttons.Down, Buttons.Left, Buttons.Up | Buttons.Left, Buttons.Up, 0];
  return p[Math.floor(i / 9) % p.length];
}

describe('prediction and reconciliation', () => {
  it('replaying unacknowledged inputs reproduces the server position exactly', () => {
    const start = { x: 700, y: 300 };
    const server = new ServerModel(start);
    const client = arenaPredictor();
    client.reconcile(start, 0, true);
    const inFlight: Array<{ seq: number; buttons: number }> = [];
    let seq = 0;
    for (let tick = 0; tick < 400; tick++) {
      seq++;
      const buttons = pattern(tick);
      client.applyInput(seq, buttons, true);
      inFlight.push({ seq, buttons });
      // The network delivers 0–3 inputs per tick (jitter), 5 ticks behind on average.
      const deliver = tick < 5 ? 0 : [1, 0, 2, 1, 3, 1, 0, 1][tick % 8];
      for (let k = 0; k < deliver && inFlight.length > 0; k++) {
        const input = inFlight.shift()!;
        server.apply(input.seq, input.buttons);
      }
      if (tick % 2 === 0) {
        const r = client.reconcile(server.pos, server.lastSeq, true);
        expect(r.error).toBe(0);
        expect(r.corrected).toBe(false);
      }
    }
    // Drain and compare.
    for (const input of inFlight.splice(0)) server.apply(input.seq, input.buttons);
    client.reconcile(server.pos, server.lastSeq, true);
    expect(client.position).toEqual(server.pos);
    expect(client.pendingCount).toBe(0);
    expect(client.stats.samples).toBeGreaterThan(150);
    expect(client.stats.corrections).toBe(0);
  });

  it('after a divergence, the replay lands on the server-authoritative position', () => {
    const start = { x: 100, y: 100 };
    const server = new ServerModel(start);
    const client = arenaPredictor();
    client.reconcile(start, 0, true);
    for (let seq = 1; seq <= 10; seq++) client.applyInput(seq, Buttons.Right, true);
    // The server lost inputs 1–3 (e.g. with a dropped socket) and applied 4–6 only.
    for (let seq = 4; seq <= 6; seq++) server.apply(seq, Buttons.Right);
    const r = client.reconcile(server.pos, 6, true);
    expect(r.corrected).toBe(true);
    const step = movePlayer(start, Buttons.Right, DT, MAP).x - start.x; // 7.3125 on the 1/16 grid
    expect(r.error).toBe(3 * step);
    expect(r.replayed).toBe(4);
    let expected = { ...server.pos };
    for (let i = 0; i < 4; i++) expected = movePlayer(expected, Buttons.Right, DT, MAP);
    expect(client.position).toEqual(expected);
    expect(client.stats.corrections).toBe(1);
  });

  it('smooths a small correction over a few frames without a visible jump', () => {
    const client = arenaPredictor({ smoothingMs: 60 });
    client.reconcile({ x: 100, y: 100 }, 0, true);
    for (let seq = 1; seq <= 4; seq++) client.applyInput(seq, Buttons.Right, true);
    const drawnBefore = client.renderPosition(1)!;
    // The server says input 4 ended 8 units further left than predicted.
    const r = client.reconcile({ x: client.position!.x - 8, y: 100 }, 4, true);
    expect(r.corrected).toBe(true);
    expect(r.snapped).toBe(false);
    // Drawn position unchanged at the moment of correction…
    const drawnAfter = client.renderPosition(1)!;
    expect(drawnAfter.x).toBeCloseTo(drawnBefore.x, 9);
    // …then converges on the authoritative one: ~63 % per 60 ms, < 0.01 unit after ~0.5 s.
    const errors: number[] = [];
    for (let frame = 0; frame < 30; frame++) {
      client.decay(1000 / 60);
      errors.push(Math.abs(client.renderPosition(1)!.x - client.position!.x));
    }
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThanOrEqual(errors[i - 1]);
    expect(errors[0]).toBeLessThan(8);
    expect(errors[0]).toBeGreaterThan(6); // one frame in: most of it still there (no snap)
    expect(errors[5]).toBeLessThan(3.5); // ~100 ms: mostly gone
    expect(errors[29]).toBe(0);
  });

  it('snaps a large correction (teleport, long desync) instead of sliding', () => {
    const client = arenaPredictor({ snapDistance: 48 });
    client.reconcile({ x: 100, y: 100 }, 0, true);
    client.applyInput(1, Buttons.Right, true);
    const r = client.reconcile({ x: 900, y: 800 }, 1, true);
    expect(r.snapped).toBe(true);
    expect(client.renderPosition(1)).toEqual({ x: 900, y: 800 });
    expect(client.stats.snaps).toBe(1);
  });

  it('does not move inputs the server will not move (dead, match ended)', () => {
    const client = arenaPredictor();
    client.reconcile({ x: 300, y: 300 }, 0, false);
    client.applyInput(1, Buttons.Right, false);
    client.applyInput(2, Buttons.Right, false);
    expect(client.position).toEqual({ x: 300, y: 300 });
    const r = client.reconcile({ x: 300, y: 300 }, 1, false);
    expect(r.corrected).toBe(false);
    expect(client.position).toEqual({ x: 300, y: 300 });
  });

  it('draws between the positions before and after the latest input', () => {
    const client = arenaPredictor();
    client.reconcile({ x: 100, y: 100 }, 0, true);
    client.applyInput(1, Buttons.Right, true);
    const step = client.position!.x - 100;
    expect(client.renderPosition(0)!.x).toBe(100);
    expect(client.renderPosition(0.5)!.x).toBeCloseTo(100 + step / 2, 9);
    expect(client.renderPosition(1)!.x).toBe(client.position!.x);
    expect(client.renderPosition(7)!.x).toBe(client.position!.x); // clamped, no overshoot
  });
});
