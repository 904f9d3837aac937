/**
 * The arena as a GameMode: free-for-all, up to 8 players, bots fill seats. This file only
 * wires the pieces (state, simulation, bots) to the Room's interface and renders
 * snapshots; the rules live in simulation.ts.
 *
 * Settings (GameModeOptions.settings; each invalid or missing key falls back to its
 * default, unknown keys are ignored): see DEFAULT_ARENA_SETTINGS in state.ts —
 *   map 'arena' | 'open' ('arena'), countdownSeconds 3, matchSeconds 180, scoreLimit 20,
 *   resultsSeconds 10, respawnSeconds 2, spawnProtectionSeconds 1.5, minPlayers 2,
 *   fireCooldownMs 250, botSkill 'easy' | 'normal' | 'hard' ('normal').
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
  type EntityTable,
  type MatchConfig,
  type SnapshotState,
} from '../../../protocol/index.js';
import type { GameMode } from '../../rooms/gameMode.js';
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

export const arenaMode: GameMode<ArenaState> = {
  name: 'arena',
  schema: ARENA_SCHEMA,
  maxPlayers: ARENA_MAX_PLAYERS,

  create: createArenaState,

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
   * Fresh arrays and maps on every call: callers keep old snapshots as delta baselines.
   * Aim and projectile angles are already uint16 (quantized when the input arrived, or by
   * the bot brain), so they go out as stored. `tick` is the number of steps taken: it is 0
   * before the first step, which the wire reserves for "keyframe", so snapshot after stepping.
   */
  snapshot(state): SnapshotState {
    const players = new Map<number, number[]>();
    for (const p of state.players) {
      const row = new Array<number>(PLAYER_FIELDS);
      row[PlayerField.X] = quantizePosition(p.x);
      row[PlayerField.Y] = quantizePosition(p.y);
      row[PlayerField.Aim] = p.aim;
      row[PlayerField.Hp] = p.hp;
      row[PlayerField.Score] = p.score;
      row[PlayerField.Deaths] = p.deaths;
      row[PlayerField.Flags] = flags(p);
      row[PlayerField.LastSeq] = p.lastSeq;
      players.set(p.id, row);
    }
    const projectiles = new Map<number, number[]>();
    for (const pr of state.projectiles) {
      const row = new Array<number>(PROJECTILE_FIELDS);
      // Spawn data only: the row is the same in every snapshot of the projectile's life,
      // so deltas carry it once (clients fly it with projectilePosition).
      row[ProjectileField.X] = quantizePosition(pr.spawnX);
      row[ProjectileField.Y] = quantizePosition(pr.spawnY);
      row[ProjectileField.Owner] = pr.owner;
      row[ProjectileField.Angle] = pr.angle;
      row[ProjectileField.SpawnTick] = pr.spawnTick;
      projectiles.set(pr.id, row);
    }
    const header: number[] = [];
    header[Header.Phase] = state.phase;
    header[Header.TicksLeft] = state.ticksLeft;
    const tables: EntityTable[] = [];
    tables[Tables.Players] = { rows: players };
    tables[Tables.Projectiles] = { rows: projectiles };
    return { tick: state.tick, header, tables };
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
};
