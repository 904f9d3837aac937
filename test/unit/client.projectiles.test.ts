/**
 * Projectiles on the client: their snapshot rows are constant spawn data, so the session
 * draws each one where `projectilePosition` puts it at the render tick. Fed the real arena
 * simulation's snapshots, the drawn positions must match the simulation's own positions
 * around that tick, projectiles must vanish when the server removes them, and the own
 * predicted shots must be corrected sideways from the row's muzzle point.
 */
import { describe, expect, it } from 'vitest';
import {
  ARENA_SCHEMA,
  ServerType,
  diffSnapshot,
  encodeServer,
  quantizeAngle,
  type MatchConfig,
  type SnapshotState,
} from '../../protocol/index.js';
import { Connection } from '../../client/index.js';
import { PredictedShots } from '../../game-client/netcode/predictedShots.js';
import { GameSession } from '../../game-client/netcode/session.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { projectileFlight } from '../../server/game/arena/projectiles.js';
import { FakeSocket, ManualTimers } from '../support/fakeSocket.js';

const TICK_RATE = 30;
const TICK_MS = 1000 / TICK_RATE;

/** A spectator session (no inputs, so no predicted shots) on a scripted socket. */
function spectatorSession(config: MatchConfig) {
  FakeSocket.all = [];
  const clock = { now: 0 };
  const conn = new Connection({
    createSocket: FakeSocket.create,
    token: 't',
    endpoint: { matchId: 'm1', url: 'ws://h/spectate?match=m1', ticket: '' },
    resume: async () => ({ matchId: 'm1', url: 'ws://h/spectate?match=m1', ticket: '' }),
    timers: new ManualTimers(),
  });
  const session = new GameSession(conn, () => clock.now, { spectator: true });
  conn.connect();
  const ws = FakeSocket.last();
  ws.open();
  ws.receive(encodeServer({ type: ServerType.Welcome, playerId: 0, matchId: 'm1', serverTick: 0, config }));
  return { session, ws, clock };
}

describe('projectiles drawn from spawn rows', () => {
  it('match the real simulation at the render tick and vanish when the server removes them', () => {
    const state = arenaMode.create({ seed: 11, tickRate: TICK_RATE, settings: { map: 'arena', countdownSeconds: 0, spawnProtectionSeconds: 0 } });
    for (let id = 1; id <= 8; id++) arenaMode.addPlayer(state, id, `bot${id}`, true);
    const { session, ws, clock } = spectatorSession(arenaMode.matchConfig(state));

    // The simulation's own projectile positions at the end of every tick.
    const history = new Map<number, Map<number, { x: number; y: number; spawnTick: number }>>();
    let prev: SnapshotState | null = null;
    let checked = 0;
    let frames = 0;
    for (let t = 1; t <= 600; t++) {
      arenaMode.step(state, new Map());
      history.set(t, new Map(state.projectiles.map((p) => [p.id, { ...projectileFlight(state, p), spawnTick: p.spawnTick }])));
      // Snapshots every second tick, arriving exactly on time (no network jitter).
      clock.now = t * TICK_MS;
      if (t % 2 === 0) {
        const snap = arenaMode.snapshot(state);
        ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(prev, snap, ARENA_SCHEMA), events: [], ack: 0 }));
        prev = snap;
      }
      // Frames at odd moments between ticks, so render ticks are fractional.
      for (const f of [0.13, 0.61]) {
        clock.now = (t + f) * TICK_MS;
        const view = session.frame(clock.now)!;
        if (view.interpMode !== 'interpolate') continue;
        frames++;
        const r = view.renderTick;
        const lo = Math.floor(r);
        const hi = Math.ceil(r);
        const atLo = history.get(lo)!;
        const atHi = history.get(hi)!;
        const drawn = new Set<number>();
        for (const p of view.projectiles) {
          expect(p.predicted).toBe(false);
          const id = Number(p.key.slice(1));
          drawn.add(id);
          // Drawn only while the server had it on both sides of the render tick…
          const a = atLo.get(id);
          const b = atHi.get(id);
          expect(a, `projectile ${id} at render tick ${r}`).toBeDefined();
          expect(b, `projectile ${id} at render tick ${r}`).toBeDefined();
          // …on the server's path between them (positions there are snapped: ≤ 1/32 off).
          const k = r - lo;
          expect(Math.abs(p.x - (a!.x + (b!.x - a!.x) * k))).toBeLessThan(0.05);
          expect(Math.abs(p.y - (a!.y + (b!.y - a!.y) * k))).toBeLessThan(0.05);
          checked++;
        }
        // Everything fired by the render tick and still flying at the next snapshot is drawn.
        for (const [id, pr] of atLo) {
          const flying = [lo + 1, lo + 2].every((tt) => history.get(tt)?.has(id));
          if (pr.spawnTick <= lo && flying) expect(drawn.has(id), `projectile ${id} missing at ${r}`).toBe(true);
        }
      }
    }
    expect(session.snapshotErrors).toBe(0);
    expect(frames).toBeGreaterThan(1000);
    expect(checked).toBeGreaterThan(500);
  });

  it('freezes projectiles with the players when extrapolation runs out', () => {
    const state = arenaMode.create({ seed: 5, tickRate: TICK_RATE, settings: { map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0 } });
    for (let id = 1; id <= 4; id++) arenaMode.addPlayer(state, id, `bot${id}`, true);
    const { session, ws, clock } = spectatorSession(arenaMode.matchConfig(state));
    let prev: SnapshotState | null = null;
    let t = 0;
    // Run until a snapshot carries projectiles, then stop sending (the buffer starves).
    while (t < 600 && (prev === null || prev.tables[1].rows.size === 0 || t < 60)) {
      t++;
      arenaMode.step(state, new Map());
      clock.now = t * TICK_MS;
      session.frame(clock.now);
      if (t % 2 === 0) {
        const snap = arenaMode.snapshot(state);
        ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(prev, snap, ARENA_SCHEMA), events: [], ack: 0 }));
        prev = snap;
      }
    }
    expect(prev!.tables[1].rows.size).toBeGreaterThan(0);
    clock.now += 1000;
    const a = session.frame(clock.now)!;
    clock.now += 100;
    const b = session.frame(clock.now)!;
    expect(b.interpMode).toBe('hold');
    expect(a.projectiles.length).toBeGreaterThan(0);
    expect(b.projectiles.map((p) => [p.key, p.x, p.y])).toEqual(a.projectiles.map((p) => [p.key, p.x, p.y]));
  });
});

describe('predicted shots reconciled with the server row', () => {
  it('the muzzle point in the row corrects the predicted line sideways only', () => {
    const map = { width: 2000, height: 2000, walls: [] };
    const shots = new PredictedShots(map, TICK_RATE);
    // Fired to the right from (500, 500): muzzle at (516, 500).
    const shot = shots.onInput(0, 16 /* Fire */, quantizeAngle(0), { x: 500, y: 500 }, true)!;
    expect([shot.x0, shot.y0]).toEqual([516, 500]);
    shots.onFireEvent(42, 10);
    expect(shots.isClaimed(42)).toBe(true);
    // The server's muzzle was 3 units further along and 2 units lower.
    shots.onSnapshot(50, new Map([[42, { x: 519, y: 502 }]]));
    expect([shot.cx, shot.cy]).toEqual([0, 2]);
    expect(shots.stats.maxCorrection).toBe(2);
    const [p] = shots.positions(100);
    expect(p.y).toBe(502);
    expect(p.x).toBeCloseTo(516 + 60, 9); // 600 u/s × 100 ms, still ahead in time
    // Gone from the server: the predicted shot ends too.
    shots.onSnapshot(150, new Map());
    shots.update(150);
    expect(shots.positions(150)).toEqual([]);
  });
});
