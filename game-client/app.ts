/**
 * The browser game: screens (menu → game → results), the frame loop, and the wiring
 * between DOM input, the netcode session and the Pixi scene.
 *
 * The loop runs on requestAnimationFrame; a 50 ms timer also calls `session.update`, so
 * inputs keep flowing (with keys released) when the browser throttles frames of a hidden
 * tab. `window.__tickwire` exposes state for tests and for curious players.
 */
import { ClientType, CloseCode, Phase } from '../protocol/index.js';
import { ApiClient, ApiError, type MatchTicket } from './net/api.js';
import { GameConnection, type CloseInfo, type WebSocketCtor } from './net/connection.js';
import { parseLagOptions, type LagOptions } from './net/lagOptions.js';
import { GameSession } from './netcode/session.js';
import { forgetGuest, lastName, loadGuest, saveGuest, type StoredGuest } from './guestStore.js';
import { KeyboardMouse } from './input/keyboardMouse.js';
import { Scene } from './render/scene.js';
import { h } from './ui/dom.js';
import { Hud } from './ui/hud.js';
import { MenuScreen } from './ui/menu.js';
import { NetGraph } from './ui/netGraph.js';
import { Overlay } from './ui/overlay.js';
import { ResultsScreen } from './ui/results.js';
import { Scoreboard } from './ui/scoreboard.js';

export type ScreenName = 'menu' | 'game' | 'results';

export class App {
  private readonly api = new ApiClient('');
  private readonly lag: LagOptions | null = parseLagOptions(location.search);
  readonly menu: MenuScreen;
  private readonly hud = new Hud();
  private readonly scoreboard = new Scoreboard();
  private readonly netGraph = new NetGraph();
  private readonly overlay = new Overlay();
  private readonly results: ResultsScreen;
  private readonly gameRoot: HTMLElement;
  private readonly canvasHost: HTMLElement;
  private readonly input: KeyboardMouse;
  private scene: Scene | null = null;
  private guest: StoredGuest | null = null;
  private connection: GameConnection | null = null;
  session: GameSession | null = null;
  private screenName: ScreenName = 'menu';
  private aim = 0;
  private lastFrameAt = 0;
  private fps = 0;
  private rafId = 0;
  private updateTimer: ReturnType<typeof setInterval> | null = null;
  private reconnecting = false;

  constructor(root: HTMLElement) {
    this.menu = new MenuScreen({ onQuickPlay: (name) => void this.quickPlay(name) }, lastName());
    this.results = new ResultsScreen({ onPlayAgain: () => void this.playAgain(), onMenu: () => void this.toMenu() });
    this.canvasHost = h('div', { id: 'canvas-host', class: 'canvas-host' });
    this.gameRoot = h('section', { id: 'game', class: 'screen game' }, this.canvasHost, this.hud.root, this.scoreboard.root, this.netGraph.root);
    this.gameRoot.hidden = true;
    this.input = new KeyboardMouse(this.canvasHost, {
      onScoreboard: (v) => this.scoreboard.setVisible(v),
      onNetGraph: () => this.netGraph.toggle(),
    });
    root.append(this.menu.root, this.gameRoot, this.results.root, this.overlay.root);
    if (this.lag) this.menu.setStatus(`Simulating ${this.lag.lagMs} ms of latency (±${this.lag.jitterMs / 2} ms jitter per direction).`);
    this.installDebugHook();
    this.menu.focus();
  }

  // ---- flow -----------------------------------------------------------------------------

  async quickPlay(name: string): Promise<void> {
    this.menu.setBusy(true);
    this.menu.setStatus('');
    try {
      const guest = await this.signIn(name);
      let ticket: MatchTicket;
      try {
        ticket = await this.api.quickPlay(guest.token);
      } catch (e) {
        // A stored token from before a server restart (random secret): sign in afresh.
        if (!(e instanceof ApiError && e.unauthorized)) throw e;
        forgetGuest();
        ticket = await this.api.quickPlay((await this.signIn(name)).token);
      }
      await this.startMatch(ticket);
    } catch (e) {
      this.menu.setStatus(e instanceof ApiError ? `Could not start: ${e.message}` : `Could not reach the server: ${(e as Error).message}`, true);
      this.showScreen('menu');
    } finally {
      this.menu.setBusy(false);
    }
  }

  private async signIn(name: string): Promise<StoredGuest> {
    const stored = loadGuest(name);
    if (stored) return (this.guest = stored);
    const g = await this.api.guest(name);
    this.guest = { token: g.token, id: g.player.id, name: g.player.name };
    saveGuest(this.guest);
    return this.guest;
  }

  private async startMatch(ticket: MatchTicket): Promise<void> {
    const guest = this.guest!;
    if (!this.scene) {
      this.scene = new Scene();
      await this.scene.init(this.canvasHost);
    }
    this.dropSession();
    const connection = new GameConnection({
      WebSocket: WebSocket as unknown as WebSocketCtor,
      token: guest.token,
      ticket,
      resume: (matchId) => this.api.resume(guest.token, matchId),
      lag: this.lag,
    });
    const session = new GameSession(connection);
    this.connection = connection;
    this.session = session;

    session.on('welcome', (w) => {
      if (!w.resumed) {
        this.scene!.reset();
        this.scene!.setMap(w.config.map);
        this.hud.clear();
      }
      this.overlay.hide();
      this.reconnecting = false;
    });
    session.on('phase', ({ phase }) => {
      if (phase === Phase.Ended) this.showResults();
      else if (this.screenName === 'results') this.showScreen('game');
    });
    session.on('notice', (n) => this.menu.setStatus(n.text));
    connection.on('reconnecting', ({ attempt, delayMs }) => {
      this.reconnecting = true;
      this.input.releaseAll();
      this.overlay.reconnecting(attempt, delayMs);
    });
    connection.on('error', (e) => console.warn(`tickwire: ${e.message}`));
    connection.on('close', (info) => this.onClosed(connection, info));

    const first = new Promise<void>((resolve, reject) => {
      const offW = session.on('welcome', () => {
        offW();
        offC();
        resolve();
      });
      const offC = connection.on('close', (info) => {
        offW();
        offC();
        reject(new Error(info.message));
      });
    });
    connection.connect();
    await first;
    this.showScreen('game');
    this.startLoop();
  }

  private onClosed(connection: GameConnection, info: CloseInfo): void {
    if (connection !== this.connection) return;
    this.reconnecting = false;
    this.input.releaseAll();
    if (this.screenName === 'results') return; // the match ended and the server let us go
    if (this.session?.phase === Phase.Ended || info.code === CloseCode.MatchEnded) {
      this.showResults();
      return;
    }
    if (this.screenName !== 'game') return;
    const toMenu = () => void this.toMenu();
    if (info.code === CloseCode.Replaced) {
      this.overlay.message('Playing in another tab', 'This game was opened in another tab or window, which now has your seat.', 'Back to menu', toMenu);
    } else if (info.gone) {
      this.overlay.message('The match is gone', 'It ended, or your seat expired while you were away.', 'Back to menu', toMenu);
    } else {
      this.overlay.message('Disconnected', info.message, 'Back to menu', toMenu);
    }
  }

  private showResults(): void {
    if (!this.session) return;
    this.results.showResults(this.session.scoreboard());
    this.showScreen('results');
  }

  async playAgain(): Promise<void> {
    const name = this.guest?.name ?? lastName();
    await this.leaveMatch();
    this.showScreen('menu');
    await this.quickPlay(name);
  }

  async toMenu(): Promise<void> {
    await this.leaveMatch();
    this.showScreen('menu');
    this.menu.focus();
  }

  /** Frees the seat on the server (no grace) before anything else happens. */
  private async leaveMatch(): Promise<void> {
    const c = this.connection;
    if (c) await c.leave(() => c.send({ type: ClientType.Leave }));
    this.dropSession();
  }

  private dropSession(): void {
    this.stopLoop();
    this.session?.dispose();
    this.connection?.close();
    this.connection?.removeAllListeners();
    this.session = null;
    this.connection = null;
    this.overlay.hide();
    this.scoreboard.setVisible(false);
  }

  private showScreen(name: ScreenName): void {
    this.screenName = name;
    this.menu.root.hidden = name !== 'menu';
    this.gameRoot.hidden = name === 'menu';
    this.input.enabled = name === 'game';
    // The name field keeps focus while hidden otherwise, and keys typed into it are not game keys.
    if (name === 'game' && document.activeElement instanceof HTMLElement) document.activeElement.blur();
    if (name !== 'results') this.results.hide();
    if (name !== 'game') this.input.releaseAll();
    if (name === 'menu') this.overlay.hide();
  }

  // ---- the frame loop -------------------------------------------------------------------

  private startLoop(): void {
    this.stopLoop();
    this.lastFrameAt = performance.now();
    const frame = () => {
      this.rafId = requestAnimationFrame(frame);
      this.frame(performance.now());
    };
    this.rafId = requestAnimationFrame(frame);
    this.updateTimer = setInterval(() => this.session?.update(performance.now()), 50);
  }

  private stopLoop(): void {
    cancelAnimationFrame(this.rafId);
    if (this.updateTimer) clearInterval(this.updateTimer);
    this.updateTimer = null;
  }

  private frame(now: number): void {
    const session = this.session;
    const scene = this.scene;
    if (!session || !scene) return;
    const dt = Math.min(250, now - this.lastFrameAt);
    this.lastFrameAt = now;
    if (dt > 0) this.fps += (1000 / dt - this.fps) * 0.1;

    const selfPos = session.predictor?.position;
    if (selfPos) {
      const aim = this.input.aimFrom(scene.toScreen(selfPos.x, selfPos.y));
      if (aim !== null) this.aim = aim;
    }
    session.setInput(this.input.enabled && !this.reconnecting ? this.input.buttons : 0, this.aim);
    session.update(now);
    const view = session.frame(now);
    if (!view) return;
    scene.draw(view, dt);
    this.hud.update(view, now);
    this.hud.events(view.events, (id) => session.roster.get(id)?.name ?? `#${id}`, session.playerId, now);
    this.scoreboard.update(session.scoreboard());
    this.netGraph.update(session.netStats(now), this.fps, scene.rendererName, now);
  }

  // ---- debug hook -----------------------------------------------------------------------

  private installDebugHook(): void {
    const app = this;
    (window as unknown as { __tickwire: unknown }).__tickwire = {
      get screen() {
        return app.screenName;
      },
      get userId() {
        return app.guest?.id ?? null;
      },
      get matchId() {
        return app.session?.matchId ?? null;
      },
      get playerId() {
        return app.session?.playerId ?? null;
      },
      get connection() {
        return app.connection?.state ?? null;
      },
      get reconnects() {
        return app.connection?.reconnects ?? 0;
      },
      get overlay() {
        return app.overlay.kind;
      },
      get renderer() {
        return app.scene?.rendererName ?? null;
      },
      get frames() {
        return app.scene?.frames ?? 0;
      },
      /** The own player: authoritative (last snapshot) and predicted positions. */
      self() {
        const s = app.session?.selfState;
        const p = app.session?.predictor?.position;
        return s ? { ...s, predicted: p ? { ...p } : null } : null;
      },
      stats() {
        return app.session?.netStats() ?? null;
      },
      scoreboard() {
        return app.session?.scoreboard() ?? [];
      },
    };
  }
}
