/**
 * The projectile contract between server and clients: a projectile's snapshot row is its
 * spawn data and never changes, and `projectilePosition(row, T)` is where the real arena
 * simulation has it at the end of tick T (exactly, after snapping to the fixed-point grid),
 * over its whole life.
 */
import { describe, expect, it } from 'vitest';
import {
  ARENA_SCHEMA,
  Buttons,
  PLAYER_RADIUS,
  POSITION_SCALE,
  PROJECTILE_SPEED,
  ProjectileField,
  Tables,
  projectileDirection,
  projectileLifetimeTicks,
  projectileMoves,
  projectilePosition,
  projectileSpawnFromRow,
  diffSnapshot,
  quantizeAngle,
  quantizePosition,
  snapPosition,
} from '../../protocol/index.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { projectileFlight } from '../../server/game/arena/projectiles.js';
import type { ArenaState } from '../../server/game/arena/state.js';
import { NONE, Scripter, idle, makeState, place, playingDuel } from './arena.helpers.js';

const HALF_STEP = 1 / (2 * POSITION_SCALE);

interface Life {
  row: number[];
  /** Ticks whose snapshot held the projectile, in order. */
  ticks: number[];
  /** The server's position at the end of each of those ticks. */
  positions: Array<{ x: number; y: number }>;
}

/**
 * Steps `state` with `inputs` per tick and records, for every projectile, its snapshot row
 * (asserting it never changes) and the simulation's own position at each tick.
 */
function record(state: ArenaState, ticks: number, inputs: (i: number) => ReturnType<Scripter['tick']> | typeof NONE): Map<number, Life> {
  const lives = new Map<number, Life>();
  for (let i = 0; i < ticks; i++) {
    arenaMode.step(state, inputs(i));
    const rows = arenaMode.snapshot(state).tables[Tables.Projectiles].rows;
    expect([...rows.keys()]).toEqual(state.projectiles.map((p) => p.id));
    for (const pr of state.projectiles) {
      const row = rows.get(pr.id)!;
      let life = lives.get(pr.id);
      if (!life) lives.set(pr.id, (life = { row, ticks: [], positions: [] }));
      expect(row, `projectile ${pr.id} row at tick ${state.tick}`).toEqual(life.row);
      life.ticks.push(state.tick);
      const { x, y } = projectileFlight(state, pr);
      life.positions.push({ x, y });
    }
  }
  return lives;
}

/** Every recorded position equals the shared function of the row, snapped. */
function expectOnTheFormula(lives: Map<number, Life>, tickRate: number): void {
  for (const [id, life] of lives) {
    const spawn = projectileSpawnFromRow(life.row);
    life.ticks.forEach((t, k) => {
      const at = projectilePosition(spawn, t, tickRate);
      const server = life.positions[k];
      expect({ x: snapPosition(at.x), y: snapPosition(at.y) }, `projectile ${id} at tick ${t}`).toEqual(server);
      expect(Math.abs(at.x - server.x)).toBeLessThanOrEqual(HALF_STEP + 1e-9);
      expect(Math.abs(at.y - server.y)).toBeLessThanOrEqual(HALF_STEP + 1e-9);
    });
  }
}

describe('projectile rows and projectilePosition', () => {
  it('a shot on the open map: constant row, on the formula every tick, gone after its lifetime', () => {
    const tickRate = 30;
    const state = playingDuel({ fireCooldownMs: 10_000 });
    place(state, 1, 300, 500);
    place(state, 2, 300, 950); // out of the line of fire
    const aim = 0.3; // not axis-aligned: both coordinates move and round
    const s = new Scripter();
    const lives = record(state, 40, (i) => (i === 0 ? s.tick({ 1: { buttons: Buttons.Fire, aim } }) : NONE));
    expect(lives.size).toBe(1);
    const [[id, life]] = [...lives];
    const fireTick = life.ticks[0];
    const q = quantizeAngle(aim);
    const dir = projectileDirection(q);
    // The row: muzzle point at the shooter's edge, owner, heading, firing tick.
    expect(life.row).toHaveLength(5);
    expect(life.row[ProjectileField.X]).toBe(quantizePosition(300 + dir.x * PLAYER_RADIUS));
    expect(life.row[ProjectileField.Y]).toBe(quantizePosition(500 + dir.y * PLAYER_RADIUS));
    expect(life.row[ProjectileField.Owner]).toBe(1);
    expect(life.row[ProjectileField.Angle]).toBe(q);
    expect(life.row[ProjectileField.SpawnTick]).toBe(fireTick);
    // It moves in the tick it is fired: the firing tick's snapshot shows it one move out.
    const spawn = projectileSpawnFromRow(life.row);
    expect(projectileMoves(spawn.spawnTick, fireTick)).toBe(1);
    expect(Math.hypot(life.positions[0].x - spawn.spawnX, life.positions[0].y - spawn.spawnY)).toBeCloseTo(PROJECTILE_SPEED / tickRate, 1);
    // Whole life: snapshots of ticks S … S + lifetime − 2, then removed.
    const lifetime = projectileLifetimeTicks(tickRate);
    expect(life.ticks).toEqual(Array.from({ length: lifetime - 1 }, (_, k) => fireTick + k));
    expect(state.projectiles.some((p) => p.id === id)).toBe(false);
    expectOnTheFormula(lives, tickRate);
  });

  it('eight bots on the walled map: every projectile, every tick, at 30, 20 and 60 Hz', () => {
    for (const tickRate of [30, 20, 60]) {
      const state = makeState({ map: 'arena', countdownSeconds: 0, spawnProtectionSeconds: 0 }, 7, tickRate);
      for (let id = 1; id <= 8; id++) arenaMode.addPlayer(state, id, `bot${id}`, true);
      const lives = record(state, 20 * tickRate, () => NONE);
      // The run had real fights: many shots, some cut short by walls or players.
      const lifetime = projectileLifetimeTicks(tickRate);
      expect(lives.size).toBeGreaterThan(30);
      const cut = [...lives.values()].filter((l) => l.ticks.length < lifetime - 1);
      expect(cut.length).toBeGreaterThan(5);
      for (const life of lives.values()) {
        // Present from its firing tick without gaps.
        expect(life.ticks[0]).toBe(life.row[ProjectileField.SpawnTick]);
        expect(life.ticks[life.ticks.length - 1] - life.ticks[0]).toBe(life.ticks.length - 1);
      }
      expectOnTheFormula(lives, tickRate);
    }
  });

  it('a delta carries a projectile once, when it appears, and then only its removal', () => {
    const state = makeState({ map: 'arena', countdownSeconds: 0, spawnProtectionSeconds: 0 }, 3);
    for (let id = 1; id <= 8; id++) arenaMode.addPlayer(state, id, `bot${id}`, true);
    idle(state, 30);
    let prev = arenaMode.snapshot(state);
    let appeared = 0;
    let removed = 0;
    for (let i = 0; i < 300; i++) {
      idle(state, 2);
      const next = arenaMode.snapshot(state);
      const before = prev.tables[Tables.Projectiles].rows;
      const after = next.tables[Tables.Projectiles].rows;
      const d = diffSnapshot(prev, next, ARENA_SCHEMA).tables[Tables.Projectiles];
      const fresh = [...after.keys()].filter((id) => !before.has(id));
      // Only new projectiles, each as id, full mask, all five fields.
      expect(d.changed).toEqual(fresh.flatMap((id) => [id, 0b11111, ...after.get(id)!]));
      expect(d.removed).toEqual([...before.keys()].filter((id) => !after.has(id)));
      appeared += fresh.length;
      removed += d.removed.length;
      prev = next;
    }
    expect(appeared).toBeGreaterThan(50);
    expect(removed).toBeGreaterThan(50);
  });

  it('positions are recomputed from the spawn data, so they do not drift over the flight', () => {
    const state = playingDuel({ fireCooldownMs: 10_000 });
    place(state, 1, 100, 100);
    place(state, 2, 100, 950);
    const s = new Scripter();
    const aim = 0.61; // per-tick steps that do not sit on the grid
    arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Fire, aim } }));
    idle(state, projectileLifetimeTicks(30) - 3);
    const pr = state.projectiles[0];
    const moves = state.tick - pr.spawnTick + 1;
    const dir = projectileDirection(quantizeAngle(aim));
    const exact = { x: pr.spawnX + dir.x * (PROJECTILE_SPEED * moves) / 30, y: pr.spawnY + dir.y * (PROJECTILE_SPEED * moves) / 30 };
    // Within half a grid step after ~28 moves: per-move snapping would have accumulated.
    const { x, y } = projectileFlight(state, pr);
    expect(Math.abs(x - exact.x)).toBeLessThanOrEqual(HALF_STEP);
    expect(Math.abs(y - exact.y)).toBeLessThanOrEqual(HALF_STEP);
  });

  it('projectilePosition takes fractional ticks and never goes behind the muzzle', () => {
    const spawn = { spawnX: 100, spawnY: 200, angle: 0, spawnTick: 50 };
    expect(projectilePosition(spawn, 50, 30)).toEqual({ x: 120, y: 200 });
    expect(projectilePosition(spawn, 50.5, 30)).toEqual({ x: 130, y: 200 });
    expect(projectilePosition(spawn, 49, 30)).toEqual({ x: 100, y: 200 });
    expect(projectilePosition(spawn, 10, 30)).toEqual({ x: 100, y: 200 });
    const down = projectilePosition({ ...spawn, angle: 16384 }, 52, 20);
    expect(down.x).toBeCloseTo(100, 9);
    expect(down.y).toBeCloseTo(200 + 3 * 30, 9);
  });
});

describe('the heading a projectile keeps from its firing', () => {
  it('is projectileDirection(angle) bit for bit, on new and pooled projectiles, and moves it exactly as projectilePosition', () => {
    const state = playingDuel();
    place(state, 1, 800, 500);
    // The target out of reach of every shot (no hits: every projectile lives its whole life).
    place(state, 2, 16, 16);
    let seq = 0;
    let checked = 0;
    for (let t = 0; t < 1500; t++) {
      const aim = (t * 7919 + 12345) & 0xffff;
      arenaMode.step(state, new Map([[1, [{ seq: ++seq, buttons: Buttons.Fire, aim }]]]));
      for (const pr of state.projectiles) {
        const dir = projectileDirection(pr.angle);
        const f = projectileFlight(state, pr);
        expect(Object.is(f.dirX, dir.x) && Object.is(f.dirY, dir.y)).toBe(true);
        const at = projectilePosition(pr, state.tick, state.tickRate);
        expect([f.x, f.y]).toEqual([snapPosition(at.x), snapPosition(at.y)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });
});
