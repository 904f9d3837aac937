/**
 * The arena's tick and snapshot reuse objects to allocate nothing in steady play: recycled
 * snapshot maps and rows, pooled projectiles, out-parameters and scratch vectors. These
 * tests fail if a reused object carries anything over from its previous use.
 */
import { describe, expect, it } from 'vitest';
import {
  Buttons,
  PLAYER_RADIUS,
  PLAYER_SPEED,
  movePlayer,
  projectileDirection,
  projectileLifetimeTicks,
  projectilePosition,
  snapPosition,
  type SnapshotState,
} from '../../protocol/index.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { projectileFlight } from '../../server/game/arena/projectiles.js';
import { botInput } from '../../server/game/arena/bots.js';
import type { PlayerInput } from '../../server/rooms/gameMode.js';
import { Scripter, TICK_RATE, idle, place, playingDuel } from './arena.helpers.js';

/** A tiny LCG owned by the test. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Entries in iteration order: the order a delta lists them in is part of the wire bytes. */
function entries(snap: SnapshotState): unknown {
  return { tick: snap.tick, header: snap.header, tables: snap.tables.map((t) => [...t.rows.entries()]) };
}

describe('arena snapshot with a recycled snapshot', () => {
  it('equals a fresh snapshot, in the same order, and never shares rows with the baseline', () => {
    const state = arenaMode.create({ seed: 7, tickRate: TICK_RATE, settings: { countdownSeconds: 0, matchSeconds: 60 } });
    for (let id = 1; id <= 4; id++) arenaMode.addPlayer(state, id, `h${id}`, false);
    for (let id = 5; id <= 7; id++) arenaMode.addPlayer(state, id, `b${id}`, true);
    const rnd = lcg(3);
    const seq = new Map<number, number>();
    let last: SnapshotState | null = null;
    let spare: SnapshotState | null = null;
    const older: SnapshotState[] = [];
    let projectileTicks = 0;
    for (let t = 1; t <= 900; t++) {
      // Joins and leaves (ids in and out of order) and an out-of-order recycle now and then.
      if (t === 200) arenaMode.removePlayer(state, 2);
      if (t === 300) arenaMode.addPlayer(state, 2, 'h2 again', false);
      if (t === 400) arenaMode.addPlayer(state, 9, 'late', true);
      if (t === 500) arenaMode.removePlayer(state, 5);
      // A leave and a join in one tick: as many players as the recycled rows, other ids.
      if (t === 600) {
        arenaMode.removePlayer(state, 3);
        arenaMode.addPlayer(state, 10, 'swap', false);
      }
      const inputs = new Map<number, PlayerInput[]>();
      for (const p of state.players) {
        if (p.bot) continue;
        const s = (seq.get(p.id) ?? 0) + 1;
        seq.set(p.id, s);
        const buttons = Math.floor(rnd() * 32) | (rnd() < 0.5 ? Buttons.Fire : 0);
        inputs.set(p.id, [{ seq: s, buttons, aim: Math.floor(rnd() * 65536), viewTick: Math.max(0, state.tick - 4) }]);
      }
      arenaMode.step(state, inputs);
      if (t % 2 !== 0) continue;
      if (state.projectiles.length > 0) projectileTicks++;
      const recycle: SnapshotState | null = t % 50 === 0 && older.length > 3 ? older[older.length - 4] : spare;
      const snap = arenaMode.snapshot(state, recycle);
      expect(entries(snap), `tick ${t}`).toEqual(entries(arenaMode.snapshot(state)));
      if (last) {
        for (let k = 0; k < snap.tables.length; k++) {
          const baseRows = new Set(last.tables[k].rows.values());
          for (const row of snap.tables[k].rows.values()) expect(baseRows.has(row)).toBe(false);
        }
      }
      if (recycle === spare) {
        spare = last;
        last = snap;
        older.push(snap);
      }
    }
    expect(projectileTicks).toBeGreaterThan(100);
  });
});

describe('pooled projectiles', () => {
  it('a projectile object reused after its predecessor expired has every field of a new shot', () => {
    const state = playingDuel({ fireCooldownMs: 250, lagCompensationMs: 350 });
    place(state, 1, 500, 500);
    place(state, 2, 1500, 1500);
    const s = new Scripter();
    idle(state, 20);
    // A compensated shot, then let it expire: its object goes to the pool.
    const rewindInput = s.tick({ 1: { buttons: Buttons.Fire, aim: Math.PI } });
    rewindInput.get(1)![0].viewTick = state.tick - 5;
    arenaMode.step(state, rewindInput);
    const first = state.projectiles[0];
    const firstId = first.id;
    expect(first.rewindTicks).toBeGreaterThan(0);
    idle(state, projectileLifetimeTicks(TICK_RATE) + 1);
    expect(state.projectiles).toHaveLength(0);
    // An uncompensated shot the other way: nothing of the first may show through.
    arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Fire, aim: 0 } }));
    const pr = state.projectiles[0];
    const dir = projectileDirection(pr.angle);
    const spawnX = snapPosition(500 + dir.x * PLAYER_RADIUS);
    const spawnY = snapPosition(500 + dir.y * PLAYER_RADIUS);
    const at = projectilePosition({ spawnX, spawnY, angle: pr.angle, spawnTick: state.tick }, state.tick, TICK_RATE);
    expect({ ...pr }).toEqual({
      id: pr.id,
      owner: 1,
      spawnX,
      spawnY,
      angle: 0,
      spawnTick: state.tick,
      ticksLeft: projectileLifetimeTicks(TICK_RATE) - 1,
      rewindTicks: 0,
    });
    // Its flight row (heading, position) is rewritten too.
    expect(projectileFlight(state, pr)).toEqual({ x: snapPosition(at.x), y: snapPosition(at.y), dirX: dir.x, dirY: dir.y });
    expect(pr.id).not.toBe(firstId);
    // The test is about reuse: the pool (last in, first out) handed back the first shot's object.
    expect(pr).toBe(first);
  });
});

describe('out-parameters of the shared projectile and movement rules', () => {
  it('projectileDirection and projectilePosition give the same bits into a reused vector as into a fresh one', () => {
    const out = { x: NaN, y: NaN };
    const rnd = lcg(11);
    for (let i = 0; i < 2000; i++) {
      const angle = Math.floor(rnd() * 65536);
      expect(projectileDirection(angle, out)).toBe(out);
      expect(out).toEqual(projectileDirection(angle));
      expect(out).toEqual({ x: Math.cos((angle / 65536) * 2 * Math.PI), y: Math.sin((angle / 65536) * 2 * Math.PI) });
      const spawn = { spawnX: rnd() * 2000, spawnY: rnd() * 2000, angle, spawnTick: 100 };
      const tick = 90 + rnd() * 40;
      expect(projectilePosition(spawn, tick, TICK_RATE, out)).toBe(out);
      const dist = (600 * Math.max(0, tick - 100 + 1)) / TICK_RATE;
      const dir = projectileDirection(angle);
      expect(out).toEqual(projectilePosition(spawn, tick, TICK_RATE));
      expect(out).toEqual({ x: spawn.spawnX + dir.x * dist, y: spawn.spawnY + dir.y * dist });
    }
  });

  it("movePlayer's clamp to the map keeps the old ternary's results, narrow maps included", () => {
    // The rule as it was written before it became Math.min/max (for V8's sake).
    const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
    const rnd = lcg(5);
    const dt = 1 / TICK_RATE;
    const step = PLAYER_SPEED * dt;
    const r = PLAYER_RADIUS;
    for (const [width, height] of [[1000, 800], [20, 20], [32, 40], [8, 2000]]) {
      const map = { width, height, walls: [] };
      for (let i = 0; i < 500; i++) {
        const pos = { x: snapPosition(rnd() * (width + 80) - 40), y: snapPosition(rnd() * (height + 80) - 40) };
        const buttons = Math.floor(rnd() * 16);
        const dx = (buttons & Buttons.Left ? -1 : 0) + (buttons & Buttons.Right ? 1 : 0);
        const dy = (buttons & Buttons.Up ? -1 : 0) + (buttons & Buttons.Down ? 1 : 0);
        const k = dx !== 0 && dy !== 0 ? Math.SQRT1_2 : 1;
        const want = {
          x: snapPosition(dx === 0 ? pos.x : clamp(pos.x + dx * k * step, r, width - r)),
          y: snapPosition(dy === 0 ? pos.y : clamp(pos.y + dy * k * step, r, height - r)),
        };
        expect(movePlayer(pos, buttons, dt, map), `${width}×${height} from ${pos.x},${pos.y} buttons ${buttons}`).toEqual(want);
      }
    }
  });
});

describe('bot inputs into reused objects', () => {
  it('botInput fills a used input object exactly as it builds a fresh one, and adds no viewTick', () => {
    const state = arenaMode.create({ seed: 9, tickRate: TICK_RATE, settings: { countdownSeconds: 0 } });
    for (let id = 1; id <= 6; id++) arenaMode.addPlayer(state, id, `b${id}`, true);
    const reused: PlayerInput = { seq: 123, buttons: 31, aim: 4567 };
    for (let t = 0; t < 300; t++) {
      arenaMode.step(state, new Map());
      for (const bot of state.players) {
        // The same decision from two copies of the state (botInput advances the brain and RNG).
        const b = structuredClone(state);
        const fresh = botInput(b, b.players.find((p) => p.id === bot.id)!);
        const a = structuredClone(state);
        const filled = botInput(a, a.players.find((p) => p.id === bot.id)!, reused);
        expect(filled).toBe(reused);
        expect({ ...filled }).toEqual(fresh);
        expect('viewTick' in filled).toBe(false);
      }
    }
  });
});
