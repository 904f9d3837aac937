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
import { removeProjectilesOf } from './projectiles.js';
import { spawnPlayer, step } from './simulation.js';
import { ARENA_MAX_PLAYERS, createArenaState, findPlayer, type ArenaPlayer, type ArenaProjectile, type ArenaState } from './state.js';

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
    removeProjectilesOf(state, id);
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
    fillPlayerRows(out.tables[Tables.Players].rows, state.players);
    fillProjectileRows(out.tables[Tables.Projectiles].rows, state.projectiles);
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
 * Rows dropped from recycled snapshots, waiting for reuse (shared by every match: snapshot
 * building is synchronous). Bounded: a recycled snapshot gives back at most what it had.
 */
const rowPool: number[][] = [];
const MAX_POOLED_ROWS = 4096;

function pooledRow(fields: number): number[] {
  const row = rowPool.pop() ?? new Array<number>(fields);
  row.length = fields;
  return row;
}

function writePlayerRow(row: number[], p: ArenaPlayer): void {
  row[PlayerField.X] = quantizePosition(p.x);
  row[PlayerField.Y] = quantizePosition(p.y);
  row[PlayerField.Aim] = viewAim(p.aim);
  row[PlayerField.Hp] = p.hp;
  row[PlayerField.Score] = p.score;
  row[PlayerField.Deaths] = p.deaths;
  row[PlayerField.Flags] = flags(p);
}

/**
 * Player rows in id order (the order the delta lists them in). The Map's entries are
 * rewritten in place when it already holds exactly these ids, the steady state: sorted ids
 * then give the same iteration order, and no Map operation runs (Map#clear allocates a new
 * table and the refill grew it: most of a snapshot's garbage). A join or leave rebuilds it.
 */
function fillPlayerRows(rows: Map<number, number[]>, players: readonly ArenaPlayer[]): void {
  let same = rows.size === players.length;
  for (let i = 0; same && i < players.length; i++) if (!rows.has(players[i].id)) same = false;
  if (same) {
    for (let i = 0; i < players.length; i++) writePlayerRow(rows.get(players[i].id)!, players[i]);
    return;
  }
  rows.forEach(poolRow);
  rows.clear();
  for (let i = 0; i < players.length; i++) {
    const row = pooledRow(PLAYER_FIELDS);
    writePlayerRow(row, players[i]);
    rows.set(players[i].id, row);
  }
}

/**
 * Projectile rows in firing order. A recycled map (an earlier snapshot of this match) holds
 * projectiles fired before it, in firing order; the ones still flying are the first of
 * `projectiles` and the rest were fired since. So one merge walk keeps the survivors'
 * entries where they are, deletes the rest, and appends the new ones: the result is in
 * `projectiles` order whatever map is passed in, and a steady match only deletes and
 * appends (the table is rehashed, an allocation, once per its capacity of insertions).
 * Every kept row is rewritten too: the contract says every value is.
 */
function fillProjectileRows(rows: Map<number, number[]>, projectiles: readonly ArenaProjectile[]): void {
  mergeList = projectiles;
  mergeAt = 0;
  mergeRows = rows;
  rows.forEach(keepOrDrop);
  mergeList = NO_PROJECTILES;
  mergeRows = null;
  for (let i = mergeAt; i < projectiles.length; i++) {
    const row = pooledRow(PROJECTILE_FIELDS);
    writeProjectileRow(row, projectiles[i]);
    rows.set(projectiles[i].id, row);
  }
}

function writeProjectileRow(row: number[], pr: ArenaProjectile): void {
  // Spawn data only: the row is the same in every snapshot of the projectile's life, so
  // deltas carry it once (clients fly it with projectilePosition).
  row[ProjectileField.X] = quantizePosition(pr.spawnX);
  row[ProjectileField.Y] = quantizePosition(pr.spawnY);
  row[ProjectileField.Owner] = pr.owner;
  row[ProjectileField.Angle] = pr.angle;
  row[ProjectileField.SpawnTick] = pr.spawnTick;
}

/** The merge walk's cursor: module state, so the forEach callbacks are not closures. */
const NO_PROJECTILES: readonly ArenaProjectile[] = [];
let mergeList: readonly ArenaProjectile[] = NO_PROJECTILES;
let mergeAt = 0;
let mergeRows: Map<number, number[]> | null = null;

function keepOrDrop(row: number[], id: number): void {
  const next = mergeList[mergeAt];
  if (next !== undefined && next.id === id) {
    writeProjectileRow(row, next);
    mergeAt++;
    return;
  }
  // Deleting the entry being visited is allowed: forEach goes on with the next one.
  mergeRows!.delete(id);
  poolRow(row);
}

function poolRow(row: number[]): void {
  if (rowPool.length < MAX_POOLED_ROWS) rowPool.push(row);
}
