/**
 * The in-match screen: the canvas with the Pixi scene, and the HUD around it (HUD, scoreboard,
 * net graph, link badge, invite panel, spectator panel and camera, match feel). `draw`
 * turns one session frame into pixels and HUD updates; it knows nothing about connecting.
 *
 * The renderer is created once, on demand (`ensureScene`): players get it ready before asking
 * for a seat ticket, since the first WebGL init compiles shaders (seconds on a slow device or
 * a software renderer) and a ticket is single-use and lives 15 s.
 */
import { Buttons, type MapGeometry } from '../protocol/index.js';
import { KeyboardMouse } from './input/keyboardMouse.js';
import { MatchFeel } from './matchFeel.js';
import type { GameSession } from './netcode/session.js';
import type { FrameView } from './netcode/views.js';
import { Scene } from './render/scene.js';
import { SpectatorCamera } from './render/spectatorCamera.js';
import { h } from './ui/dom.js';
import { Hud } from './ui/hud.js';
import { InvitePanel } from './ui/invitePanel.js';
import { LinkIndicator } from './ui/linkIndicator.js';
import { NetGraph } from './ui/netGraph.js';
import { Scoreboard } from './ui/scoreboard.js';
import { SpectatorPanel, spectatorOrder } from './ui/spectatorPanel.js';

export interface GameScreenOptions {
  /** The menu's root (the settings panel is reachable from there too). */
  menuRoot: HTMLElement;
  onInvite(playerId: string): Promise<string>;
  /** The spectator panel's *Leave*. */
  onLeave(): void;
}

export class GameScreen {
  readonly root: HTMLElement;
  readonly hud = new Hud();
  readonly scoreboard = new Scoreboard();
  readonly netGraph = new NetGraph();
  readonly linkIndicator = new LinkIndicator();
  readonly camera = new SpectatorCamera();
  readonly invitePanel: InvitePanel;
  readonly spectatorPanel: SpectatorPanel;
  readonly input: KeyboardMouse;
  /** Sound, hit feedback, minimap, match chat, touch sticks, settings. */
  readonly feel: MatchFeel;
  readonly canvasHost: HTMLElement;
  scene: Scene | null = null;
  /** The frame drawn last (spectator clicks pick players from it). */
  lastView: FrameView | null = null;
  private sceneReady: Promise<Scene> | null = null;
  private aim = 0;
  private lastFrameAt = 0;
  private fps = 0;

  constructor(o: GameScreenOptions) {
    this.invitePanel = new InvitePanel((id) => o.onInvite(id));
    this.spectatorPanel = new SpectatorPanel({
      onFollow: (id) => this.camera.follow(id),
      onFree: () => this.camera.free(),
      onLeave: () => o.onLeave(),
    });
    this.canvasHost = h('div', { id: 'canvas-host', class: 'canvas-host' });
    this.root = h(
      'section',
      { id: 'game', class: 'screen game' },
      this.canvasHost,
      this.hud.root,
      this.scoreboard.root,
      this.netGraph.root,
      this.linkIndicator.root,
      this.spectatorPanel.root,
    );
    this.hud.bottom.append(this.invitePanel.root);
    this.root.hidden = true;
    this.input = new KeyboardMouse(this.canvasHost, {
      onScoreboard: (v) => this.scoreboard.setVisible(v),
      onNetGraph: () => this.feel.settings.update({ showNetGraph: !this.netGraph.visible }),
    });
    this.feel = new MatchFeel({ gameRoot: this.root, canvasHost: this.canvasHost, hud: this.hud, input: this.input, netGraph: this.netGraph, menuRoot: o.menuRoot });
  }

  /** The renderer, created once (see the module comment); a failed init may be retried. */
  ensureScene(): Promise<Scene> {
    this.sceneReady ??= (async () => {
      const scene = new Scene();
      await scene.init(this.canvasHost, this.feel.quality);
      this.feel.onQuality = (q) => scene.setQuality(q);
      this.scene = scene;
      return scene;
    })().catch((e: unknown) => {
      this.sceneReady = null; // let a later attempt try again
      throw e;
    });
    return this.sceneReady;
  }

  /** A new match's map: everything drawn for the previous one goes. */
  newMatch(map: MapGeometry): void {
    this.scene!.reset();
    this.scene!.setMap(map);
    this.hud.clear();
    this.camera.reset(map.width, map.height);
    this.spectatorPanel.reset();
  }

  /** Back to no match: HUD pieces that outlive a frame are cleared. */
  clear(): void {
    this.lastView = null;
    this.invitePanel.setCode(null);
    this.linkIndicator.set('ok');
    this.scoreboard.setVisible(false);
  }

  /**
   * Spectator keys (1–9 follow the n-th player, 0/Escape free camera) and clicks on a player.
   * `spectating` says whether the spectator view is on screen now.
   */
  installSpectatorControls(session: () => GameSession | null, spectating: () => boolean): void {
    window.addEventListener('keydown', (e) => {
      const s = session();
      if (!spectating() || !s) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      const digit = /^Digit([0-9])$/.exec(e.code);
      if (digit) {
        const n = Number(digit[1]);
        if (n === 0) this.camera.free();
        else {
          const row = spectatorOrder(s.scoreboard())[n - 1];
          if (row) this.camera.follow(row.id);
        }
        e.preventDefault();
      } else if (e.code === 'Escape') {
        this.camera.free();
      }
    });
    this.canvasHost.addEventListener('click', (e) => {
      if (!spectating() || !this.scene || !this.lastView) return;
      const r = this.canvasHost.getBoundingClientRect();
      const world = this.scene.toWorld(e.clientX - r.left, e.clientY - r.top);
      this.camera.pick(world.x, world.y, this.lastView.players);
    });
  }

  /** The loop is (re)starting: frame timing starts over. */
  resetTiming(now: number): void {
    this.lastFrameAt = now;
  }

  /**
   * One animation frame: the player's input into the session (unless spectating or
   * `holdInput`), the session's frame onto the scene, and the HUD around it.
   */
  draw(session: GameSession, now: number, spectating: boolean, holdInput: boolean): void {
    const scene = this.scene;
    if (!scene) return;
    const dt = Math.min(250, now - this.lastFrameAt);
    this.lastFrameAt = now;
    if (dt > 0) this.fps += (1000 / dt - this.fps) * 0.1;

    if (!spectating) {
      const selfPos = session.predictor?.position;
      if (selfPos) {
        const aim = this.input.aimFrom(scene.toScreen(selfPos.x, selfPos.y));
        if (aim !== null) this.aim = aim;
      }
      session.setInput(this.input.enabled && !holdInput ? this.input.buttons : 0, this.aim);
    }
    session.update(now);
    const view = session.frame(now);
    if (!view) return;
    this.lastView = view;
    if (spectating) {
      const b = this.input.enabled ? this.input.buttons : 0;
      const dx = (b & Buttons.Right ? 1 : 0) - (b & Buttons.Left ? 1 : 0);
      const dy = (b & Buttons.Down ? 1 : 0) - (b & Buttons.Up ? 1 : 0);
      scene.draw(view, dt, this.camera.update(dt, dx, dy, view.players));
      this.spectatorPanel.update(session.scoreboard(), this.camera.followedId);
    } else {
      scene.draw(view, dt);
    }
    const stats = session.netStats(now);
    this.hud.update(view, now, stats.rttMs, stats.transport);
    this.hud.events(view.events, (id) => session.roster.get(id)?.name ?? `#${id}`, session.playerId, now, this.feel.respawnAfter);
    this.feel.frame(view, session, (x, y) => scene.toScreen(x, y), scene.viewRect(), now);
    this.scoreboard.update(session.scoreboard());
    this.netGraph.update(stats, this.fps, scene.rendererName, now);
  }
}
