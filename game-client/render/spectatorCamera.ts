/**
 * Where a spectator looks: a free camera panned with WASD/arrows, or following one player.
 * Pure (no Pixi, no DOM): the page feeds it the held directions and the drawn players each
 * frame and hands the result to `Scene.draw` as the camera target. Panning never becomes an
 * input frame — a spectator socket that sent one would be closed by the server.
 *
 * Panning while following switches to the free camera where the followed player was; a
 * followed player who leaves the match does the same. A dead followed player stays followed
 * (the camera waits where they fell and moves with their respawn).
 */
export type CameraMode = { kind: 'free' } | { kind: 'follow'; playerId: number };

export interface CameraPlayer {
  id: number;
  x: number;
  y: number;
  alive: boolean;
}

/** Pan speed of the free camera, world units per second (a player runs at 220). */
export const PAN_SPEED = 700;
/** A click this close to a player (world units) follows it. */
export const PICK_RADIUS = 40;

export class SpectatorCamera {
  mode: CameraMode = { kind: 'free' };
  x = 0;
  y = 0;
  private width = 0;
  private height = 0;

  /** A new match: look at the middle of its map, free camera. */
  reset(mapWidth: number, mapHeight: number): void {
    this.width = mapWidth;
    this.height = mapHeight;
    this.x = mapWidth / 2;
    this.y = mapHeight / 2;
    this.mode = { kind: 'free' };
  }

  follow(playerId: number): void {
    this.mode = { kind: 'follow', playerId };
  }

  free(): void {
    this.mode = { kind: 'free' };
  }

  get followedId(): number | null {
    return this.mode.kind === 'follow' ? this.mode.playerId : null;
  }

  /**
   * Advances by `dtMs` with the held pan direction (each of dx, dy in -1..1) and returns
   * the point to centre on.
   */
  update(dtMs: number, dx: number, dy: number, players: readonly CameraPlayer[]): { x: number; y: number } {
    if (dx !== 0 || dy !== 0) {
      this.mode = { kind: 'free' };
      // Diagonals are not faster than straight lines.
      const len = Math.hypot(dx, dy);
      const step = (PAN_SPEED * Math.max(0, dtMs)) / 1000;
      this.x += (dx / len) * step;
      this.y += (dy / len) * step;
    } else if (this.mode.kind === 'follow') {
      const id = this.mode.playerId;
      const p = players.find((q) => q.id === id);
      if (!p) this.mode = { kind: 'free' };
      else if (p.alive) {
        this.x = p.x;
        this.y = p.y;
      }
    }
    this.x = Math.max(0, Math.min(this.width, this.x));
    this.y = Math.max(0, Math.min(this.height, this.y));
    return { x: this.x, y: this.y };
  }

  /** Follows the living player nearest to a clicked world point, if one is close enough. */
  pick(wx: number, wy: number, players: readonly CameraPlayer[]): number | null {
    let best: CameraPlayer | null = null;
    let bestD = PICK_RADIUS;
    for (const p of players) {
      if (!p.alive) continue;
      const d = Math.hypot(p.x - wx, p.y - wy);
      if (d <= bestD) {
        best = p;
        bestD = d;
      }
    }
    if (best) this.follow(best.id);
    return best?.id ?? null;
  }
}
