/**
 * What the arena draws, built from snapshots: players (remote ones interpolated between the
 * two snapshots around the render time, teleports not), server projectiles placed by the
 * shared `projectilePosition`, and the scoreboard. Pure functions of the snapshot data and
 * the roster: no connection, no clock, no DOM.
 */
import {
  Buttons,
  PlayerField,
  PlayerFlags,
  ProjectileField,
  Tables,
  VIEW_AIM_STEPS,
  viewAimRadians,
  dequantizeAngle,
  dequantizePosition,
  projectileLifetimeTicks,
  projectileMoves,
  projectilePosition,
  projectileSpawnFromRow,
  type GameEvent,
  type Phase,
  type RosterEntry,
  type SnapshotState,
} from '../../protocol/index.js';
import type { Sample, SampleMode } from '../../client/index.js';

export interface PlayerView {
  id: number;
  name: string;
  bot: boolean;
  self: boolean;
  x: number;
  y: number;
  /** Radians. */
  aim: number;
  hp: number;
  score: number;
  deaths: number;
  alive: boolean;
  protected: boolean;
  connected: boolean;
}

export interface ProjectileView {
  /** Stable key for the renderer: `s<id>` for server projectiles, `p<id>` for predicted ones. */
  key: string;
  x: number;
  y: number;
  angle: number;
  owner: number;
  predicted: boolean;
}

export interface FrameView {
  phase: Phase;
  /** Seconds left in the phase (0 when the phase has no deadline). */
  secondsLeft: number;
  renderTick: number;
  /** How remote entities were placed: between snapshots, extrapolated, or frozen. */
  interpMode: SampleMode | null;
  self: PlayerView | null;
  /** Everyone, the own player included (at its predicted position). */
  players: PlayerView[];
  projectiles: ProjectileView[];
  /** Game events released this frame, in order. */
  events: GameEvent[];
}

export interface ScoreRow {
  id: number;
  name: string;
  bot: boolean;
  self: boolean;
  score: number;
  deaths: number;
  connected: boolean;
}

/** Whose view: the own player id and the roster's names. */
export interface ViewContext {
  playerId: number;
  roster: ReadonlyMap<number, RosterEntry>;
}

/** A player's row as drawn at (x, y) with `aim` radians. */
export function playerView(ctx: ViewContext, id: number, row: number[], x: number, y: number, aim: number): PlayerView {
  const r = ctx.roster.get(id);
  const flags = row[PlayerField.Flags];
  return {
    id,
    name: r?.name ?? `#${id}`,
    bot: (flags & PlayerFlags.Bot) !== 0,
    self: id === ctx.playerId,
    x,
    y,
    aim,
    hp: row[PlayerField.Hp],
    score: row[PlayerField.Score],
    deaths: row[PlayerField.Deaths],
    alive: (flags & PlayerFlags.Alive) !== 0,
    protected: (flags & PlayerFlags.SpawnProtected) !== 0,
    connected: (flags & PlayerFlags.Connected) !== 0,
  };
}

/** The other players at the sample's time (the own player is drawn from prediction). */
export function interpolatePlayers(ctx: ViewContext, sample: Sample<SnapshotState>, tickMs: number): PlayerView[] {
  const { from, to, alpha } = sample;
  const fromRows = from.state.tables[Tables.Players].rows;
  const span = Math.max(1, to.tick - from.tick);
  // Farther than a player can run between the two snapshots (with slack): a teleport.
  const maxStep = (220 * 1.5 * span * tickMs) / 1000;
  const out: PlayerView[] = [];
  for (const [id, b] of to.state.tables[Tables.Players].rows) {
    if (id === ctx.playerId) continue;
    const a = fromRows.get(id) ?? b;
    const ax = dequantizePosition(a[PlayerField.X]);
    const ay = dequantizePosition(a[PlayerField.Y]);
    const bx = dequantizePosition(b[PlayerField.X]);
    const by = dequantizePosition(b[PlayerField.Y]);
    const aliveBoth = a[PlayerField.Flags] & b[PlayerField.Flags] & PlayerFlags.Alive;
    const smooth = aliveBoth && Math.abs(bx - ax) + Math.abs(by - ay) <= maxStep * 1.5;
    const discrete = alpha < 0.5 ? a : b;
    const x = smooth ? ax + (bx - ax) * alpha : dequantizePosition(discrete[PlayerField.X]);
    const y = smooth ? ay + (by - ay) * alpha : dequantizePosition(discrete[PlayerField.Y]);
    // View aim (VIEW_AIM_STEPS per turn): interpolate the short way round.
    const half = VIEW_AIM_STEPS / 2;
    let d = b[PlayerField.Aim] - a[PlayerField.Aim];
    if (d > half) d -= VIEW_AIM_STEPS;
    if (d < -half) d += VIEW_AIM_STEPS;
    const aim = viewAimRadians((((a[PlayerField.Aim] + d * Math.min(alpha, 1)) % VIEW_AIM_STEPS) + VIEW_AIM_STEPS) % VIEW_AIM_STEPS);
    out.push(playerView(ctx, id, discrete, x, y, aim));
  }
  return out;
}

/**
 * Server projectiles at the sample's time. Rows are constant spawn data, so each position
 * comes from `projectilePosition` at the render tick, the same function the server moves
 * projectiles with. The time is the sample's (from + alpha · span), which is the render
 * tick except where the buffer holds: before the first snapshot and after extrapolation
 * ran out, projectiles freeze with the players. A projectile is drawn while its row is in
 * the `to` snapshot (it vanishes when the server removes it), from its firing tick on, and
 * never past its lifetime while extrapolating. `hidden(id)`: own projectiles a predicted
 * shot already stands for.
 */
export function projectilesAt(sample: Sample<SnapshotState>, tickRate: number, hidden: (id: number, owner: number) => boolean): ProjectileView[] {
  const { from, to, alpha } = sample;
  const tick = from.tick + (to.tick - from.tick) * alpha;
  const lifetime = projectileLifetimeTicks(tickRate);
  const out: ProjectileView[] = [];
  for (const [id, row] of to.state.tables[Tables.Projectiles].rows) {
    const owner = row[ProjectileField.Owner];
    if (hidden(id, owner)) continue;
    const spawn = projectileSpawnFromRow(row);
    if (tick < spawn.spawnTick || projectileMoves(spawn.spawnTick, tick) >= lifetime) continue;
    const { x, y } = projectilePosition(spawn, tick, tickRate);
    out.push({ key: `s${id}`, x, y, angle: dequantizeAngle(spawn.angle), owner, predicted: false });
  }
  return out;
}

/** The scoreboard of a snapshot: most score first, then fewest deaths, then id. */
export function scoreboardOf(ctx: ViewContext, snap: SnapshotState | null): ScoreRow[] {
  const rows = snap?.tables[Tables.Players].rows;
  if (!rows) return [];
  const out: ScoreRow[] = [];
  for (const [id, row] of rows) {
    const r = ctx.roster.get(id);
    out.push({
      id,
      name: r?.name ?? `#${id}`,
      bot: r?.bot ?? (row[PlayerField.Flags] & PlayerFlags.Bot) !== 0,
      self: id === ctx.playerId,
      score: row[PlayerField.Score],
      deaths: row[PlayerField.Deaths],
      connected: (row[PlayerField.Flags] & PlayerFlags.Connected) !== 0,
    });
  }
  return out.sort((a, b) => b.score - a.score || a.deaths - b.deaths || a.id - b.id);
}

/** Button bits from held directions and the fire button. */
export function buttonsFrom(keys: { up: boolean; down: boolean; left: boolean; right: boolean; fire: boolean }): number {
  let b = 0;
  if (keys.up) b |= Buttons.Up;
  if (keys.down) b |= Buttons.Down;
  if (keys.left) b |= Buttons.Left;
  if (keys.right) b |= Buttons.Right;
  if (keys.fire) b |= Buttons.Fire;
  return b;
}
