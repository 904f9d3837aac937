/**
 * The arena as a GameMode: free-for-all, up to 8 players, bots fill seats. This file only
 * wires the pieces (state, simulation, bots) to the Room's interface and renders
 * snapshots; the rules live in simulation.ts.
 *
 * Settings (GameModeOptions.settings; each invalid or missing key falls back to its
 * default, unknown keys are ignored): see DEFAULT_ARENA_SETTINGS in state.ts —
 *   map 'arena' | 'open' ('arena'), countdownSeconds 3, matchSeconds 180, scoreLimit 20,
 *   resultsSeconds 10, respawnSeconds 2, spawnProtectionSeconds 1.5, minPlayers 2,
 *   fireCooldownMs 250, botSkill 'easy' | 'normal' | 'hard' ('normal'),
 *   lagCompensationMs 350 (the rewind cap; 0 turns lag compensation off).
 */
import {
  ARENA_SCHEMA,
  Header,
  PlayerField,
  PlayerFlags,
  PLAYER_FIELDS,
  PROJECTILE_FIELDS,
  ProjectileField,
  Tables,
  quantizePosition,
  viewAim,
  type MatchConfig,
  type SnapshotState,
} from '../../../protocol/index.js';
import { defineMode } from '../../rooms/gameMode.js';
import { arenaMatchSettings, checkArenaSettings } from './arenaSettings.js';
import { createBotBrain } from './bots.js';
import { spawnPlayer, step } from './simulation.js';
import { ARENA_MAX_PLAYERS, createArenaState, findPlayer, type ArenaPlayer, type ArenaState } from './state.js';

function flags(p: ArenaPlayer): number {
  let f = 0;
  if (p.alive) f |= PlayerFlags.Alive;
  if (p.alive && p.protectTicks > 0) f |= PlayerFlags.SpawnProtected;
  if (p.bot) f |= PlayerFlags.Bot;
  if (p.connected) f |= PlayerFlags.Connected;
  return f;
}

export const arenaMode = defineMode<ArenaState>({
  name: 'arena',
  schema: ARENA_SCHEMA,
  maxPlayers: ARENA_MAX_PLAYERS,

  create: createArenaState,
  checkSettings: checkArenaSettings,
  matchSettings: arenaMatchSettings,

  /**
   * snapshotRate is half the tick rate (30 Hz sim → 15 Hz snapshots, DESIGN §4); the
   * room may override it. The map is a copy: callers cannot reach the shared constant.
   */
  matchConfig(state): MatchConfig {
    return {
      mode: 'arena',
      tickRate: state.tickRate,
      snapshotRate: Math.max(1, Math.round(state.tickRate / 2)),
      maxPlayers: ARENA_MAX_PLAYERS,
      map: { width: state.map.width, height: state.map.height, walls: state.map.walls.map((w) => ({ ...w })) },
      respawnSeconds: state.timings.respawnTicks / state.tickRate,
    };
  },

  /**
   * Spawns the player at once (alive, spawn-protected); its Spawn event is delivered with
   * the next step. Adding an id that is already present does nothing; the Room enforces
   * maxPlayers.
   */
  addPlayer(state, id, name, bot) {
    if (findPlayer(state, id)) return;
    const p: ArenaPlayer = {
      id,
      name,
      bot,
      connected: true,
      x: 0,
      y: 0,
      aim: 0,
      hp: 0,
      score: 0,
      deaths: 0,
      alive: false,
      lastSeq: 0,
      cooldownTicks: 0,
      protectTicks: 0,
      respawnTicks: 0,
      brain: null,
    };
    spawnPlayer(state, p, state.pendingEvents);
    if (bot) p.brain = createBotBrain(p.x, p.y);
    let i = state.players.length;
    while (i > 0 && state.players[i - 1].id > id) i--;
    state.players.splice(i, 0, p);
  },

  /** Removes the player and its projectiles in flight (no kills credited to a leaver). */
  removePlayer(state, id) {
    state.players = state.players.filter((p) => p.id !== id);
    state.projectiles = state.projectiles.filter((pr) => pr.owner !== id);
  },

  setConnected(state, id, connected) {
    const p = findPlayer(state, id);
    if (p) p.connected = connected;
  },

  step,

  /**
   * Callers keep the previous snapshot as the delta baseline, so a snapshot never shares
   * rows with it. With `recycle` (a snapshot the caller is done with, e.g. the one before
   * the baseline) its maps and rows are reused, every field overwritten: a room's steady
   * state then allocates no snapshot rows. Projectile angles are already uint16 (quantized
   * when the input arrived, or by the bot brain), so they go out as stored; player aim goes
   * out at view resolution (`viewAim`). `tick` is the number of steps taken: it is 0 before
   * the first step, which the wire reserves for "keyframe", so snapshot after stepping.
   */
  snapshot(state, recycle): SnapshotState {
    const out = recycle ?? { tick: 0, header: [], tables: [{ rows: new Map() }, { rows: new Map() }] };
    const players = takeRows(out.tables[Tables.Players].rows);
    for (const p of state.players) {
      const row = rowPool.pop() ?? new Array<number>(PLAYER_FIELDS);
      row.length = PLAYER_FIELDS;
      row[PlayerField.X] = quantizePosition(p.x);
      row[PlayerField.Y] = quantizePosition(p.y);
      row[PlayerField.Aim] = viewAim(p.aim);
      row[PlayerField.Hp] = p.hp;
      row[PlayerField.Score] = p.score;
      row[PlayerField.Deaths] = p.deaths;
      row[PlayerField.Flags] = flags(p);
      players.set(p.id, row);
    }
    const projectiles = takeRows(out.tables[Tables.Projectiles].rows);
    for (const pr of state.projectiles) {
      const row = rowPool.pop() ?? new Array<number>(PROJECTILE_FIELDS);
      row.length = PROJECTILE_FIELDS;
      // Spawn data only: the row is the same in every snapshot of the projectile's life,
      // so deltas carry it once (clients fly it with projectilePosition).
      row[ProjectileField.X] = quantizePosition(pr.spawnX);
      row[ProjectileField.Y] = quantizePosition(pr.spawnY);
      row[ProjectileField.Owner] = pr.owner;
      row[ProjectileField.Angle] = pr.angle;
      row[ProjectileField.SpawnTick] = pr.spawnTick;
      projectiles.set(pr.id, row);
    }
    // Rows of a recycled snapshot not reused this time stay pooled for the next call.
    out.tick = state.tick;
    out.header.length = 2;
    out.header[Header.Phase] = state.phase;
    out.header[Header.TicksLeft] = state.ticksLeft;
    return out;
  },

  phase(state) {
    return { phase: state.phase, ticksLeft: state.ticksLeft };
  },

  /** Ranked: score descending, then deaths ascending, then id. */
  scores(state) {
    return state.players
      .map((p) => ({ id: p.id, score: p.score, deaths: p.deaths }))
      .sort((a, b) => b.score - a.score || a.deaths - b.deaths || a.id - b.id);
  },
});

/**
 * Rows handed back by recycled snapshots, waiting for reuse (shared by every match: snapshot
 * building is synchronous). Bounded: a recycled snapshot gives back at most what it had.
 */
const rowPool: number[][] = [];
const MAX_POOLED_ROWS = 4096;

/** Empties a recycled table into the pool and returns its map, ready to refill. */
function takeRows(rows: Map<number, number[]>): Map<number, number[]> {
  for (const row of rows.values()) if (rowPool.length < MAX_POOLED_ROWS) rowPool.push(row);
  rows.clear();
  return rows;
}
