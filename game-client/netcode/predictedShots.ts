/**
 * The own player's shots, drawn the moment the button is pressed instead of a round trip
 * later. Each predicted shot flies with the server's rules (speed, lifetime, muzzle offset,
 * stopped by walls) from the predicted position, and is reconciled with the server's
 * projectile once that exists:
 *
 *  - the server's Fire event for this player claims the oldest unclaimed predicted shot,
 *    which from then on stands for that server projectile (whose interpolated copy is not
 *    drawn, so the player never sees the same bullet twice);
 *  - the first snapshot row of that projectile corrects the predicted line sideways onto
 *    the server's line: the row holds the server's muzzle point (projectile rows are
 *    constant spawn data) and heading; only the offset across the flight direction is
 *    applied (being ahead in time along it is the point);
 *  - the shot ends where the server's ends (removed from snapshots), where it meets a wall
 *    or a drawn player first, or after its lifetime;
 *  - a shot the server never confirms (cooldown guessed wrong) vanishes after a timeout,
 *    and the cooldown estimate grows by a tick; own Fire events closer together than the
 *    estimate shrink it. The server's cooldown setting is not in the welcome, so the client
 *    starts from the default 250 ms and learns.
 */
import {
  Buttons,
  PLAYER_RADIUS,
  PROJECTILE_LIFETIME_SECONDS,
  PROJECTILE_RADIUS,
  PROJECTILE_SPEED,
  dequantizeAngle,
  segmentWallHit,
  snapPosition,
  type MapGeometry,
  type Vec2,
} from '../../protocol/index.js';

/** The server's default fire cooldown (arena settings), the starting guess. */
export const DEFAULT_FIRE_COOLDOWN_MS = 250;

/** How long a claimed projectile's interpolated copy stays hidden after the server ended it, ms. */
const HIDE_AFTER_END_MS = 1500;

export interface PredictedShot {
  localId: number;
  serverId: number | null;
  angle: number;
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  bornAt: number;
  /** When it stops (wall, bounds or lifetime), local ms. */
  endAt: number;
  /** Sideways correction toward the server's line, world units. */
  cx: number;
  cy: number;
  /** Whether the server's row has been seen in a snapshot. */
  seen: boolean;
  ended: boolean;
}

export interface ShotStats {
  predicted: number;
  confirmed: number;
  /** Predicted but never confirmed by the server. */
  unconfirmed: number;
  /** Fired by the server without a prediction. */
  unpredicted: number;
  /** Largest sideways correction applied, world units. */
  maxCorrection: number;
}

export interface ShotTarget {
  x: number;
  y: number;
}

export class PredictedShots {
  private shots: PredictedShot[] = [];
  /** Server projectile id → until when its interpolated copy stays hidden (local ms). */
  private readonly hidden = new Map<number, number>();
  private nextId = 1;
  private cooldownTicks: number;
  private readyIn = 0;
  private lastFireTick: number | null = null;
  private readonly lifetimeMs = PROJECTILE_LIFETIME_SECONDS * 1000;
  readonly stats: ShotStats = { predicted: 0, confirmed: 0, unconfirmed: 0, unpredicted: 0, maxCorrection: 0 };

  constructor(
    private readonly map: MapGeometry,
    tickRate: number,
    /** How long a shot may wait for the server's Fire event, ms (the session sets it from RTT). */
    public confirmTimeoutMs = 1000,
  ) {
    this.cooldownTicks = Math.max(1, Math.ceil((DEFAULT_FIRE_COOLDOWN_MS * tickRate) / 1000 - 1e-9));
  }

  get cooldownEstimateTicks(): number {
    return this.cooldownTicks;
  }

  get active(): readonly PredictedShot[] {
    return this.shots;
  }

  /** Server projectile ids drawn by a predicted shot (their interpolated copies are hidden). */
  isClaimed(serverId: number): boolean {
    return this.hidden.has(serverId);
  }

  clear(): void {
    this.shots = [];
    this.hidden.clear();
    this.readyIn = 0;
  }

  /**
   * Called for every input the client sends, with the predicted position after it. Fires
   * when the button is held, the player can shoot (`canFire`: alive, playing) and the
   * local cooldown, counted in inputs like the server counts ticks, is ready.
   */
  onInput(now: number, buttons: number, aim: number, at: Vec2, canFire: boolean): PredictedShot | null {
    let shot: PredictedShot | null = null;
    if (buttons & Buttons.Fire && canFire && this.readyIn === 0) {
      shot = this.spawn(now, aim, at);
      this.readyIn = this.cooldownTicks;
    }
    if (this.readyIn > 0) this.readyIn--;
    return shot;
  }

  /** The server's Fire event for the own player. */
  onFireEvent(projectileId: number, tick: number): void {
    if (this.lastFireTick !== null) {
      const gap = tick - this.lastFireTick;
      if (gap > 0 && gap < this.cooldownTicks) this.cooldownTicks = gap;
    }
    this.lastFireTick = tick;
    // The oldest unclaimed shot, even one already stopped locally: claims stay in firing order.
    const shot = this.shots.find((s) => s.serverId === null);
    if (!shot) {
      this.stats.unpredicted++;
      return;
    }
    shot.serverId = projectileId;
    this.hidden.set(projectileId, Infinity);
    this.stats.confirmed++;
  }

  /**
   * A snapshot's own projectiles: id → muzzle point (the row's spawn X/Y, world units).
   * Claimed shots whose server projectile is gone end; the first sighting corrects the line
   * sideways.
   */
  onSnapshot(now: number, rows: ReadonlyMap<number, { x: number; y: number }>): void {
    for (const [id, until] of this.hidden) {
      // The interpolated world is a little behind: keep hiding a finished projectile until
      // the render time has surely passed its end.
      if (until === Infinity && !rows.has(id)) this.hidden.set(id, now + HIDE_AFTER_END_MS);
    }
    for (const s of this.shots) {
      if (s.serverId === null || s.ended) continue;
      const row = rows.get(s.serverId);
      if (!row) {
        // Gone from the server (it hit something; events precede the snapshot of their
        // tick, so a claimed projectile missing from the next snapshot has ended).
        s.ended = true;
        continue;
      }
      if (!s.seen) {
        s.seen = true;
        const ex = row.x - s.x0;
        const ey = row.y - s.y0;
        const along = ex * s.dx + ey * s.dy;
        s.cx = ex - along * s.dx;
        s.cy = ey - along * s.dy;
        const c = Math.sqrt(s.cx * s.cx + s.cy * s.cy);
        if (c > this.stats.maxCorrection) this.stats.maxCorrection = c;
      }
    }
  }

  /**
   * Drops finished shots; `targets` are drawn positions of other players (a predicted shot
   * that reaches one stops there, as the server's will a moment later).
   */
  update(now: number, targets: readonly ShotTarget[] = []): void {
    const hitR = PLAYER_RADIUS + PROJECTILE_RADIUS;
    for (const s of this.shots) {
      if (s.ended) continue;
      if (now >= s.endAt) s.ended = true;
      else if (s.serverId === null && now - s.bornAt > this.confirmTimeoutMs) {
        s.ended = true;
        this.stats.unconfirmed++;
        // The server refused it: its cooldown is longer than the guess.
        this.cooldownTicks++;
      } else {
        const p = this.positionOf(s, now);
        for (const t of targets) {
          if ((t.x - p.x) ** 2 + (t.y - p.y) ** 2 < hitR * hitR) {
            s.ended = true;
            break;
          }
        }
      }
    }
    // Stopped shots still waiting for their Fire event stay listed, so claims keep their order.
    this.shots = this.shots.filter((s) => !s.ended || (s.serverId === null && now - s.bornAt <= this.confirmTimeoutMs));
    for (const [id, until] of this.hidden) if (now > until) this.hidden.delete(id);
  }

  /** Shots to draw at `now`. */
  positions(now: number): Array<{ localId: number; x: number; y: number; angle: number; serverId: number | null }> {
    const out: Array<{ localId: number; x: number; y: number; angle: number; serverId: number | null }> = [];
    for (const s of this.shots) {
      if (s.ended) continue;
      const p = this.positionOf(s, now);
      out.push({ localId: s.localId, x: p.x, y: p.y, angle: s.angle, serverId: s.serverId });
    }
    return out;
  }

  private positionOf(s: PredictedShot, now: number): Vec2 {
    const dist = (PROJECTILE_SPEED * Math.min(now - s.bornAt, s.endAt - s.bornAt)) / 1000;
    return { x: s.x0 + s.dx * dist + s.cx, y: s.y0 + s.dy * dist + s.cy };
  }

  private spawn(now: number, aim: number, at: Vec2): PredictedShot {
    const a = dequantizeAngle(aim);
    const dx = Math.cos(a);
    const dy = Math.sin(a);
    // Same muzzle point as the server: the player's edge, on the fixed-point grid.
    const x0 = snapPosition(at.x + dx * PLAYER_RADIUS);
    const y0 = snapPosition(at.y + dy * PLAYER_RADIUS);
    const range = (PROJECTILE_SPEED * this.lifetimeMs) / 1000;
    let t = Math.min(1, segmentWallHit(this.map, x0, y0, dx * range, dy * range));
    // Leaving the map ends it too (the server removes projectiles outside the bounds).
    const bounds = [
      dx < 0 ? -x0 / (dx * range) : dx > 0 ? (this.map.width - x0) / (dx * range) : Infinity,
      dy < 0 ? -y0 / (dy * range) : dy > 0 ? (this.map.height - y0) / (dy * range) : Infinity,
    ];
    t = Math.min(t, ...bounds);
    const shot: PredictedShot = {
      localId: this.nextId++,
      serverId: null,
      angle: aim,
      x0,
      y0,
      dx,
      dy,
      bornAt: now,
      endAt: now + Math.max(0, t) * this.lifetimeMs,
      cx: 0,
      cy: 0,
      seen: false,
      ended: false,
    };
    this.shots.push(shot);
    this.stats.predicted++;
    return shot;
  }
}
