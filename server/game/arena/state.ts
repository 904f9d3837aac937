/**
 * The arena's state: plain data only (numbers, strings, booleans, arrays, typed arrays,
 * plain objects), so two runs can be deep-compared and a state can be cloned
 * (structuredClone keeps typed arrays) or logged. Every duration is
 * in ticks, converted once from the seconds-based settings at creation; the simulation
 * never sees wall-clock time.
 */
import {
  Phase,
  PROJECTILE_DAMAGE,
  PROJECTILE_LIFETIME_SECONDS,
  PROJECTILE_RADIUS,
  PROJECTILE_SPEED,
  projectileLifetimeTicks,
  type GameEvent,
  type MapGeometry,
  type ProjectileSpawn,
  type Vec2,
} from '../../../protocol/index.js';
import type { GameModeOptions } from '../../rooms/gameMode.js';
import { createHistory, historyLength, rewindCapTicks, type PositionHistory } from './lagCompensation.js';
import { DEFAULT_MAP, getMap } from './maps.js';
import { createRng, type Rng } from './rng.js';

/**
 * Rules that are not settings (the client and bots may rely on them). The projectile rules
 * live in protocol/arena.ts (the client flies its predicted shots with them); re-exported here.
 */
export { PROJECTILE_SPEED, PROJECTILE_RADIUS, PROJECTILE_LIFETIME_SECONDS, PROJECTILE_DAMAGE };
export const ARENA_MAX_PLAYERS = 8;
export const DEFAULT_TICK_RATE = 30;

/** Match settings as a room passes them (seconds and milliseconds, like a human writes them). */
export interface ArenaSettings {
  map: string;
  countdownSeconds: number;
  matchSeconds: number;
  scoreLimit: number;
  resultsSeconds: number;
  respawnSeconds: number;
  spawnProtectionSeconds: number;
  minPlayers: number;
  fireCooldownMs: number;
  /** Lag compensation's rewind cap (lagCompensation.ts); 0 turns it off. */
  lagCompensationMs: number;
  /** How well bots play (reaction time and aim error per level; see bots.ts BOT_SKILLS). */
  botSkill: BotSkill;
}

/**
 * Bot levels. 'normal' (the default) is tuned so a new human standing still is not farmed;
 * 'hard' is close to the bots before skill levels existed.
 */
export const BOT_SKILL_LEVELS = ['easy', 'normal', 'hard'] as const;
export type BotSkill = (typeof BOT_SKILL_LEVELS)[number];

export const DEFAULT_ARENA_SETTINGS: Readonly<ArenaSettings> = Object.freeze({
  map: DEFAULT_MAP,
  countdownSeconds: 3,
  matchSeconds: 180,
  scoreLimit: 20,
  resultsSeconds: 10,
  respawnSeconds: 2,
  spawnProtectionSeconds: 1.5,
  minPlayers: 2,
  fireCooldownMs: 250,
  // Covers ~200 ms of RTT on top of the client's default ~150 ms interpolation delay.
  lagCompensationMs: 350,
  botSkill: 'normal',
});

/** The settings converted to ticks for the given tick rate. */
export interface ArenaTimings {
  countdownTicks: number;
  matchTicks: number;
  resultsTicks: number;
  respawnTicks: number;
  spawnProtectionTicks: number;
  /** ≥ 1: at most one shot per player per tick, however many inputs arrive. */
  fireCooldownTicks: number;
  projectileLifetimeTicks: number;
  /** Lag compensation: how far back a shot may be judged, in ticks (0: off). */
  rewindCapTicks: number;
}

/** Per-bot memory; lives in the state so bots replay deterministically too. */
export interface BotBrain {
  /** Wander target, used when no enemy is around or when unsticking. */
  wanderX: number;
  wanderY: number;
  /** Ticks until a new wander target is picked. */
  wanderTicks: number;
  /** After getting stuck on a wall: ticks left of wandering that ignores enemies. */
  unstickTicks: number;
  /** Strafe direction around the enemy (+1 / -1) and ticks until it may flip. */
  strafe: number;
  strafeTicks: number;
  /** Consecutive ticks the bot wanted to move but did not. */
  stuckTicks: number;
  lastX: number;
  lastY: number;
  /** The enemy the bot is reacting to / engaging (0: none in sight). */
  targetId: number;
  /** Ticks left before the bot reacts to a newly seen target (no tracking, no firing). */
  reactTicks: number;
}

export interface ArenaPlayer {
  id: number;
  name: string;
  bot: boolean;
  connected: boolean;
  /** World units, always on the fixed-point grid. */
  x: number;
  y: number;
  /** uint16 angle from the latest applied input. */
  aim: number;
  hp: number;
  score: number;
  deaths: number;
  alive: boolean;
  /** Last applied input sequence (uint32): the client's reconciliation anchor. */
  lastSeq: number;
  /** Ticks until the player may fire again (0 = ready). */
  cooldownTicks: number;
  /** Ticks of spawn protection left (0 = vulnerable). */
  protectTicks: number;
  /** While dead: ticks until respawn. */
  respawnTicks: number;
  brain: BotBrain | null;
}

/**
 * A projectile in flight. The spawn fields (muzzle point, uint16 angle = the shooter's aim,
 * firing tick) are what its snapshot row carries and never change; the position is
 * recomputed from them every tick with the shared `projectilePosition`, so the client's
 * copy of the rule cannot drift from the server's (protocol/projectile.ts). Its doubles
 * that the simulation reads or writes every tick (heading, position) are not here but in
 * the state's `flight` rows (see there). The object of a removed projectile is reused for a
 * later shot (projectiles.ts pools them): do not keep one across steps once it has left
 * `projectiles`.
 */
export interface ArenaProjectile extends ProjectileSpawn {
  id: number;
  owner: number;
  ticksLeft: number;
  /** Lag compensation: ticks back in time this shot's targets are taken from (lagCompensation.ts). */
  rewindTicks: number;
}

/**
 * `ArenaState.flight`: one row of FLIGHT_STRIDE doubles per projectile, row i for
 * `projectiles[i]`. Why not fields of the projectile: V8 keeps every double field of an
 * object in a heap number of its own, so the spawn point, heading and position were six
 * more objects per projectile, each on a cache line of its own once the heap was
 * compacted, and a match's projectiles are cache-cold every tick (the server runs 100
 * matches between two of one match's ticks). Here all of a match's are a few lines.
 *  - SpawnX/SpawnY: the muzzle point (the same values as the object's spawnX/spawnY).
 *  - DirX/DirY: projectileDirection(angle), computed once when fired: the very cos/sin that
 *    projectilePosition computes from the angle every call, so the simulation advances with
 *    the shared rule's bits without two trig calls per projectile per tick.
 *  - X/Y: the position at the end of the current tick, world units on the fixed-point grid.
 */
export const Flight = { SpawnX: 0, SpawnY: 1, DirX: 2, DirY: 3, X: 4, Y: 5 } as const;
export const FLIGHT_STRIDE = 6;

export interface ArenaState {
  tickRate: number;
  /** Seconds per tick: the dt every movePlayer call uses (the client predicts with it too). */
  dt: number;
  /** Ticks stepped so far; the first step makes it 1 (snapshot tick 0 means "keyframe"). */
  tick: number;
  settings: ArenaSettings;
  timings: ArenaTimings;
  map: MapGeometry;
  spawns: readonly Vec2[];
  phase: Phase;
  /** Ticks left in the phase; 0 in Waiting (no deadline) and at the end of Ended. */
  ticksLeft: number;
  /** Sorted by id, so processing order does not depend on join order. */
  players: ArenaPlayer[];
  /** In firing order. */
  projectiles: ArenaProjectile[];
  /** Per projectile, in the same order: its heading and position (Flight); grows by doubling. */
  flight: Float64Array;
  nextProjectileId: number;
  rng: Rng;
  /** Events raised between steps (e.g. a join's Spawn), delivered with the next step. */
  pendingEvents: GameEvent[];
  /** Player positions of the last ≥ 1 s of ticks, a ring in typed arrays (lagCompensation.ts). */
  history: PositionHistory;
}

function num(v: unknown, fallback: number, min: number, max: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return fallback;
  if (integer && !Number.isInteger(v)) return fallback;
  return v;
}

/**
 * Validates raw room settings key by key: a missing, mistyped or out-of-range value falls
 * back to its default (a bad key never rejects the match). Unknown keys are ignored.
 */
export function resolveSettings(raw: Record<string, unknown> = {}): ArenaSettings {
  const d = DEFAULT_ARENA_SETTINGS;
  return {
    map: typeof raw.map === 'string' && getMap(raw.map) ? raw.map : d.map,
    countdownSeconds: num(raw.countdownSeconds, d.countdownSeconds, 0, 600),
    matchSeconds: num(raw.matchSeconds, d.matchSeconds, 0.001, 86_400),
    scoreLimit: num(raw.scoreLimit, d.scoreLimit, 1, 1_000_000, true),
    resultsSeconds: num(raw.resultsSeconds, d.resultsSeconds, 0, 600),
    respawnSeconds: num(raw.respawnSeconds, d.respawnSeconds, 0, 600),
    spawnProtectionSeconds: num(raw.spawnProtectionSeconds, d.spawnProtectionSeconds, 0, 600),
    minPlayers: num(raw.minPlayers, d.minPlayers, 1, ARENA_MAX_PLAYERS, true),
    fireCooldownMs: num(raw.fireCooldownMs, d.fireCooldownMs, 0, 60_000),
    lagCompensationMs: num(raw.lagCompensationMs, d.lagCompensationMs, 0, 1000),
    botSkill: typeof raw.botSkill === 'string' && (BOT_SKILL_LEVELS as readonly string[]).includes(raw.botSkill) ? (raw.botSkill as BotSkill) : d.botSkill,
  };
}

export function toTimings(s: ArenaSettings, tickRate: number): ArenaTimings {
  const ticks = (seconds: number) => Math.round(seconds * tickRate);
  return {
    countdownTicks: ticks(s.countdownSeconds),
    matchTicks: Math.max(1, ticks(s.matchSeconds)),
    resultsTicks: ticks(s.resultsSeconds),
    respawnTicks: ticks(s.respawnSeconds),
    spawnProtectionTicks: ticks(s.spawnProtectionSeconds),
    // Round up (minus float noise) so the cooldown is never shorter than asked.
    fireCooldownTicks: Math.max(1, Math.ceil((s.fireCooldownMs * tickRate) / 1000 - 1e-9)),
    projectileLifetimeTicks: projectileLifetimeTicks(tickRate),
    rewindCapTicks: rewindCapTicks(s.lagCompensationMs, tickRate),
  };
}

export function createArenaState(options: GameModeOptions): ArenaState {
  const tickRate =
    typeof options.tickRate === 'number' && Number.isFinite(options.tickRate) && options.tickRate > 0
      ? options.tickRate
      : DEFAULT_TICK_RATE;
  const settings = resolveSettings(options.settings);
  const map = getMap(settings.map)!;
  const timings = toTimings(settings, tickRate);
  return {
    tickRate,
    dt: 1 / tickRate,
    tick: 0,
    settings,
    timings,
    map: map.geometry,
    spawns: map.spawns,
    phase: Phase.Waiting,
    ticksLeft: 0,
    players: [],
    projectiles: [],
    flight: new Float64Array(FLIGHT_STRIDE * 16),
    nextProjectileId: 1,
    rng: createRng(options.seed),
    pendingEvents: [],
    history: createHistory(historyLength(tickRate, timings.rewindCapTicks)),
  };
}

export function findPlayer(state: ArenaState, id: number): ArenaPlayer | undefined {
  for (const p of state.players) if (p.id === id) return p;
  return undefined;
}
