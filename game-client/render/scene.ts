/**
 * The Pixi scene: map (floor, grid, walls), players, projectiles and effects in a world
 * container that the camera moves so the own player stays centred (clamped near the map
 * edges; a map smaller than the screen is centred). WebGL is asked for explicitly: it is
 * the most tested Pixi backend and what headless Chromium renders with SwiftShader.
 */
import { Application, Container, Graphics } from 'pixi.js';
import { EventKind, PROJECTILE_RADIUS, type MapGeometry } from '../../protocol/index.js';
import type { FrameView, PlayerView } from '../netcode/views.js';
import { Effects } from './effects.js';
import { Palette } from './palette.js';
import { PlayerSprite } from './playerSprite.js';

const GRID = 100;
const EDGE_MARGIN = 120;

export class Scene {
  readonly app = new Application();
  private readonly world = new Container();
  private readonly mapLayer = new Graphics();
  private readonly players = new Map<number, PlayerSprite>();
  private readonly playerLayer = new Container();
  private readonly projectiles = new Graphics();
  private readonly effects = new Effects();
  private map: MapGeometry | null = null;
  private lastViews = new Map<number, PlayerView>();
  /** Camera position (world coordinates at the screen centre), for aiming. */
  camera = { x: 0, y: 0 };
  frames = 0;
  private resizeObserver: ResizeObserver | null = null;

  /**
   * `quality` 'low' renders at device pixel ratio 1 without antialiasing (antialiasing is
   * fixed at creation: a change to it applies at the next page load; the resolution at once).
   */
  async init(parent: HTMLElement, quality: 'high' | 'low' = 'high'): Promise<void> {
    await this.app.init({
      preference: 'webgl',
      resizeTo: parent,
      background: Palette.background,
      antialias: quality === 'high',
      resolution: quality === 'high' ? Math.min(2, window.devicePixelRatio || 1) : 1,
      autoDensity: true,
      // The game loop drives rendering (one render per frame after the session update).
      autoStart: false,
    });
    this.app.canvas.id = 'game-canvas';
    parent.appendChild(this.app.canvas);
    // Pixi resizes on window resize only; the game screen also changes size when it is
    // shown (it is display: none in the menu), so watch the element itself.
    this.resizeObserver = new ResizeObserver(() => this.app.resize());
    this.resizeObserver.observe(parent);
    this.playerLayer.sortableChildren = true; // the own player (zIndex 1) on top
    this.world.addChild(this.mapLayer, this.projectiles, this.playerLayer, this.effects.root);
    this.app.stage.addChild(this.world);
  }

  setQuality(quality: 'high' | 'low'): void {
    const resolution = quality === 'high' ? Math.min(2, window.devicePixelRatio || 1) : 1;
    if (this.app.renderer.resolution === resolution) return;
    this.app.renderer.resolution = resolution;
    this.app.resize();
  }

  /** The world rectangle on screen (the minimap draws it). */
  viewRect(): { x: number; y: number; w: number; h: number } {
    const w = this.app.screen.width;
    const h = this.app.screen.height;
    return { x: -this.world.position.x, y: -this.world.position.y, w, h };
  }

  get rendererName(): string {
    return this.app.renderer.name;
  }

  setMap(map: MapGeometry): void {
    this.map = map;
    const g = this.mapLayer;
    g.clear();
    g.rect(0, 0, map.width, map.height).fill(Palette.floor);
    for (let x = GRID; x < map.width; x += GRID) g.moveTo(x, 0).lineTo(x, map.height);
    for (let y = GRID; y < map.height; y += GRID) g.moveTo(0, y).lineTo(map.width, y);
    g.stroke({ width: 1, color: Palette.grid });
    g.rect(0, 0, map.width, map.height).stroke({ width: 4, color: Palette.wallEdge });
    for (const w of map.walls) {
      g.rect(w.x, w.y, w.w, w.h).fill(Palette.wall);
      g.rect(w.x, w.y, w.w, w.h).stroke({ width: 2, color: Palette.wallEdge });
    }
  }

  /** Clears players and effects (a new match). */
  reset(): void {
    for (const s of this.players.values()) s.destroy();
    this.players.clear();
    this.lastViews.clear();
    this.projectiles.clear();
  }

  /**
   * Draws a frame. The camera centres on the own player, or on `cameraTarget` when given
   * (the spectator's free or follow camera).
   */
  draw(view: FrameView, dtMs: number, cameraTarget?: { x: number; y: number }): void {
    // Players: create, update, remove.
    const seen = new Set<number>();
    for (const p of view.players) {
      seen.add(p.id);
      let s = this.players.get(p.id);
      if (!s) {
        s = new PlayerSprite(p.name);
        this.players.set(p.id, s);
        this.playerLayer.addChild(s.root);
      }
      s.update(p);
      s.tick(dtMs);
      if (p.self) s.root.zIndex = 1;
    }
    for (const [id, s] of this.players) {
      if (!seen.has(id)) {
        s.destroy();
        this.players.delete(id);
      }
    }
    this.lastViews = new Map(view.players.map((p) => [p.id, p]));

    // Effects from released events.
    for (const ev of view.events) {
      if (ev[0] === EventKind.Hit) {
        this.players.get(ev[2])?.flash();
        const v = this.lastViews.get(ev[2]);
        if (v) this.effects.spark(v.x, v.y);
      } else if (ev[0] === EventKind.Kill) {
        const v = this.lastViews.get(ev[2]);
        if (v) this.effects.death(v.x, v.y, v.self ? Palette.self : v.bot ? Palette.bot : Palette.other);
      }
    }
    this.effects.tick(dtMs);

    // Projectiles: one Graphics, redrawn.
    const g = this.projectiles;
    g.clear();
    for (const pr of view.projectiles) {
      const tail = 10;
      g.moveTo(pr.x - Math.cos(pr.angle) * tail, pr.y - Math.sin(pr.angle) * tail).lineTo(pr.x, pr.y);
      g.stroke({ width: 2, color: pr.owner === view.self?.id ? Palette.ownProjectile : Palette.projectile, alpha: 0.6 });
      g.circle(pr.x, pr.y, PROJECTILE_RADIUS).fill(pr.owner === view.self?.id ? Palette.ownProjectile : Palette.projectile);
    }

    this.follow(cameraTarget ?? view.self);
    this.app.render();
    this.frames++;
  }

  /** Players the last drawn frame showed (alive, so visible): what a screenshot now contains. */
  drawnPlayerIds(): number[] {
    return [...this.players].filter(([, s]) => s.root.visible).map(([id]) => id);
  }

  /** Screen position of a world point (for aiming from the mouse). */
  toScreen(x: number, y: number): { x: number; y: number } {
    return { x: x + this.world.position.x, y: y + this.world.position.y };
  }

  /** World position of a screen point (a spectator clicking a player). */
  toWorld(x: number, y: number): { x: number; y: number } {
    return { x: x - this.world.position.x, y: y - this.world.position.y };
  }

  private follow(focus: { x: number; y: number } | null): void {
    const map = this.map;
    if (!map) return;
    const w = this.app.screen.width;
    const h = this.app.screen.height;
    const target = focus ? { x: focus.x, y: focus.y } : { x: map.width / 2, y: map.height / 2 };
    const axis = (pos: number, view: number, size: number) =>
      view >= size + 2 * EDGE_MARGIN ? size / 2 : Math.max(view / 2 - EDGE_MARGIN, Math.min(size + EDGE_MARGIN - view / 2, pos));
    this.camera = { x: axis(target.x, w, map.width), y: axis(target.y, h, map.height) };
    this.world.position.set(Math.round(w / 2 - this.camera.x), Math.round(h / 2 - this.camera.y));
  }

  destroy(): void {
    this.resizeObserver?.disconnect();
    this.app.destroy(true, { children: true });
  }
}
