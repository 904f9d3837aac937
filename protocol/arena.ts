/**
 * The arena game's part of the contract: what the snapshot header, entity tables and
 * events mean. Server simulation writes them; client, bots and k6 read them.
 */
import type { SnapshotSchema } from './snapshot.js';


export const Tables = { Players: 0, Projectiles: 1 } as const;

/**
 * Player row fields (all integers; positions fixed-point). `Aim` is the view direction in
 * VIEW_AIM_STEPS steps (`viewAim`): what the eye can see of another player's aim, in one
 * byte where the full uint16 took three. The last applied input sequence, which only the
 * player itself needs, is not in the row: it travels as each receiver's snapshot `ack`.
 */
export const PlayerField = {
  X: 0,
  Y: 1,
  Aim: 2,
  Hp: 3,
  Score: 4,
  Deaths: 5,
  Flags: 6,
} as const;
export const PLAYER_FIELDS = 7;

/**
 * Steps per turn of a snapshot's player aim: 1.4° each, under half a pixel at the tip of a
 * 20-unit barrel. Inputs, the simulation and projectile headings keep the full uint16.
 */
export const VIEW_AIM_STEPS = 256;

/** uint16 angle → snapshot view aim (0…VIEW_AIM_STEPS−1, rounded to the nearest step). */
export function viewAim(aim: number): number {
  return ((aim + 128) >> 8) & (VIEW_AIM_STEPS - 1);
}

/** Snapshot view aim → radians in [0, 2π). */
export function viewAimRadians(v: number): number {
  return (v / VIEW_AIM_STEPS) * 2 * Math.PI;
}

export const PlayerFlags = {
  Alive: 1,
  SpawnProtected: 2,
  Bot: 4,
  Connected: 8,
} as const;

/**
 * Projectile row fields. The row is fixed when the projectile is fired and never changes,
 * so a live projectile costs nothing in snapshot deltas: X/Y are the muzzle point
 * (fixed-point), Angle the uint16 heading, SpawnTick the tick it was fired in. Where it is
 * at any tick follows from these: `projectilePosition` in protocol/projectile.ts, which the
 * server simulation itself moves projectiles with.
 */
export const ProjectileField = { X: 0, Y: 1, Owner: 2, Angle: 3, SpawnTick: 4 } as const;
export const PROJECTILE_FIELDS = 5;

export const ARENA_SCHEMA: SnapshotSchema = [PLAYER_FIELDS, PROJECTILE_FIELDS];

/** Event kinds: `[kind, ...args]`. */
export const EventKind = {
  /** [Kill, killerId, victimId] */
  Kill: 1,
  /** [Spawn, playerId] */
  Spawn: 2,
  /** [PhaseChange, phase] */
  PhaseChange: 3,
  /** [Hit, shooterId, victimId, damage] */
  Hit: 4,
  /** [Fire, playerId, projectileId] */
  Fire: 5,
} as const;

export const ARENA_MAX_HP = 100;

/**
 * Projectile rules. They live in the contract (not only in the server's arena state)
 * because the client draws its own shots at once and must fly them like the server does.
 */
export const PROJECTILE_SPEED = 600;
export const PROJECTILE_RADIUS = 4;
export const PROJECTILE_LIFETIME_SECONDS = 1;
export const PROJECTILE_DAMAGE = 25;
