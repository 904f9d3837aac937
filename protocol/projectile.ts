/**
 * Projectile flight: one pure rule that the server simulation moves projectiles with and
 * that every client draws them with, so a snapshot only has to say where and when a
 * projectile was fired. Its row (ProjectileField: X, Y, Owner, Angle, SpawnTick) is
 * written once and never changes, which keeps live projectiles out of snapshot deltas:
 * they cost bytes when they appear and when they vanish, nothing in between.
 *
 * Timeline on the server (server/game/arena/simulation.ts), with S = SpawnTick:
 *  - In tick S (the step after which `state.tick` is S) an input fires it. It appears at
 *    the muzzle M = snap(shooter + PLAYER_RADIUS · dir) on the fixed-point grid: the row's
 *    X/Y. `dir` is projectileDirection(Angle), Angle being the shooter's uint16 aim.
 *  - In the same tick's projectile stage it makes its first move ("new projectiles move in
 *    the tick they are fired"), so the snapshot of tick S already shows it one move out.
 *  - At the end of any tick T ≥ S it has made n = T − S + 1 moves, and the server holds
 *    exactly snapPosition(projectilePosition(row, T, tickRate)) on each axis: the position
 *    is computed from the spawn data every tick, never accumulated, so snapping errors do
 *    not add up and a client computing the same function agrees to within 1/32 unit
 *    (bit for bit after snapping).
 *  - It is removed in the tick where its move touches a wall or a player, ends outside the
 *    map, or is its lifetime-th move (projectileLifetimeTicks). So it appears in snapshots
 *    of ticks S … S + lifetime − 2 at most, and a client stops drawing it when its row is
 *    gone (or, while extrapolating past the newest snapshot, once n reaches the lifetime).
 */
import { PROJECTILE_LIFETIME_SECONDS, PROJECTILE_SPEED, ProjectileField } from './arena.js';
import type { Vec2 } from './movement.js';
import { dequantizeAngle, dequantizePosition } from './quantize.js';

/** What a projectile's constant row says, in world units (X/Y dequantized). */
export interface ProjectileSpawn {
  /** The muzzle point, on the fixed-point grid. */
  spawnX: number;
  spawnY: number;
  /** uint16 heading. */
  angle: number;
  /** The tick it was fired in (and made its first move in). */
  spawnTick: number;
}

export function projectileSpawnFromRow(row: readonly number[]): ProjectileSpawn {
  return {
    spawnX: dequantizePosition(row[ProjectileField.X]),
    spawnY: dequantizePosition(row[ProjectileField.Y]),
    angle: row[ProjectileField.Angle],
    spawnTick: row[ProjectileField.SpawnTick],
  };
}

/**
 * Unit heading for a uint16 angle (the server's muzzle offset uses it too). The result goes
 * into `out` when given: the server passes scratch, so a shot or a projectile move
 * allocates no vector (a fresh one per projectile per tick was the largest single source of
 * garbage in the server's tick).
 */
export function projectileDirection(angle: number, out: Vec2 = { x: 0, y: 0 }): Vec2 {
  const a = dequantizeAngle(angle);
  out.x = Math.cos(a);
  out.y = Math.sin(a);
  return out;
}

/** Moves made by the end of `tick` (fractional ticks give fractional moves). */
export function projectileMoves(spawnTick: number, tick: number): number {
  return tick - spawnTick + 1;
}

/** Ticks a projectile flies at most: its lifetime in whole ticks, at least 1. */
export function projectileLifetimeTicks(tickRate: number): number {
  return Math.max(1, Math.round(PROJECTILE_LIFETIME_SECONDS * tickRate));
}

/**
 * Where the projectile is at the end of `tick` (any real number; the client passes its
 * fractional render tick), on the straight line from the muzzle: not snapped, never behind
 * the muzzle. Hits and the lifetime are not applied here: the server decides those and
 * removes the row. The result goes into `out` when given (the server passes scratch).
 */
export function projectilePosition(spawn: ProjectileSpawn, tick: number, tickRate: number, out: Vec2 = { x: 0, y: 0 }): Vec2 {
  const moves = Math.max(0, projectileMoves(spawn.spawnTick, tick));
  // The heading inline, not via projectileDirection: the same expressions (so the same
  // bits) without an intermediate vector.
  const a = dequantizeAngle(spawn.angle);
  const dist = (PROJECTILE_SPEED * moves) / tickRate;
  out.x = spawn.spawnX + Math.cos(a) * dist;
  out.y = spawn.spawnY + Math.sin(a) * dist;
  return out;
}
