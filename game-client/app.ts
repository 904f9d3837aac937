/**
 * The browser game: screens (menu with the lobby → game or spectator view → results), the
 * frame loop, and the wiring between DOM input, the netcode session and the Pixi scene.
 *
 * The loop runs on requestAnimationFrame; a 50 ms timer also calls `session.update`, so
 * inputs keep flowing (with keys released) when the browser throttles frames of a hidden
 * tab. A spectator's session sends no inputs at all (only pings): WASD pans its camera
 * locally. `window.__tickwire` exposes state for tests and for curious players.
 */
import { Buttons, ClientType, CloseCode, Phase } from '../protocol/index.js';
import {
  ApiClient,
  ApiError,
  Connection,
  defaultSocketFactory,
  parseLagOptions,
  workerSocketFactory,
  type CloseInfo,
  type LagOptions,
  type MatchTicket,
} from '../client/index.js';
import { GameSession, type FrameView } from './netcode/session.js';
import { forgetGuest, lastName, loadGuest, saveGuest, type StoredGuest } from './guestStore.js';
import { KeyboardMouse } from './input/keyboardMouse.js';
import { LobbyController } from './lobbyController.js';
import { Scene } from './render/scene.js';
import { SpectatorCamera } from './render/spectatorCamera.js';
import { h } from './ui/dom.js';
import { Hud } from './ui/hud.js';
import { InvitePanel } from './ui/invitePanel.js';
import { LinkIndicator } from './ui/linkIndicator.js';
import { MenuScreen } from './ui/menu.js';
import { NetGraph } from './ui/netGraph.js';
import { Overlay } from './ui/overlay.js';
import { ResultsScreen } from './ui/results.js';
import { Scoreboard } from './ui/scoreboard.js';
import { SpectatorPanel, spectatorOrder } from './ui/spectatorPanel.js';
import { toastForNotification } from './ui/toastQueue.js';
import { Toasts } from './ui/toasts.js';
import { MatchFeel } from './matchFeel.js';

/** The server's game mode this client plays. */
const ARENA_MODE = 'arena';

export type ScreenName = 'menu' | 'game' | 'spectate' | 'results';

/** `ws://host` or `wss://host` of the page: the lobby and spectator sockets live there. */
function wsOrigin(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

export class App {
  private readonly api = new ApiClient('');
  private readonly lag: LagOptions | null = parseLagOptions(location.search);
  readonly menu: MenuScreen;
  private readonly lobby: LobbyController;
  private readonly toasts: Toasts;
  private readonly hud = new Hud();
  private readonly scoreboard = new Scoreboard();
  private readonly netGraph = new NetGraph();
  private readonly overlay = new Overlay();
  private readonly linkIndicator = new LinkIndicator();
  private readonly invitePanel: InvitePanel;
  private readonly spectatorPanel: SpectatorPanel;
  private readonly camera = new SpectatorCamera();
  private readonly results: ResultsScreen;
  private readonly gameRoot: HTMLElement;
  private readonly canvasHost: HTMLElement;
  private readonly input: KeyboardMouse;
  /** Sound, hit feedback, minimap, match chat, touch sticks, settings. */
  private readonly feel: MatchFeel;
  private scene: Scene | null = null;
  private guest: StoredGuest | null = null;
  private connection: Connection | null = null;
  session: GameSession | null = null;
  private screenName: ScreenName = 'menu';
  /** The current session watches instead of plays. */
  private spectating = false;
  /** Join code of the private match the player is seated in (null: public or none). */
  private privateCode: string | null = null;
  private busy = false;
  /** One automatic re-sign-in per refused lobby token, so a broken server cannot loop us. */
  private lobbyReauthed = false;
  private lastView: FrameView | null = null;
  private aim = 0;
  private lastFrameAt = 0;
  private fps = 0;
  private rafId = 0;
  private updateTimer: ReturnType<typeof setInterval> | null = null;
  private reconnecting = false;
  private sceneReady: Promise<Scene> | null = null;

  constructor(root: HTMLElement) {
    this.menu = new MenuScreen({ onQuickPlay: (name) => void this.quickPlay(name) }, lastName());
    this.toasts = new Toasts((t) => {
      if (t.kind !== 'invite' || typeof t.data.code !== 'string') return;
      // Already playing in that match (a second invite to it): nothing to do.
      if (!this.spectating && this.session && this.session.matchId === t.data.matchId) return;
      void this.joinInvite(t.data.code);
    });
    this.lobby = new LobbyController({
      menu: this.menu,
      createSocket: defaultSocketFactory(),
      url: `${wsOrigin()}/lobby`,
      verifyToken: (token) => this.api.checkToken(token),
      handlers: {
        onEnter: () => void this.enterLobby(),
        onCreatePrivate: () => void this.createPrivate(),
        onJoinCode: (code) => void this.joinByCode(code),
        onSpectate: (matchId) => void this.spectate(matchId),
        onNotification: (n) => this.toasts.show(toastForNotification(n)),
        onNotice: (n) => this.toasts.show({ kind: 'notice', text: n.text, key: `notice:${n.text}`, ttlMs: 10_000 }),
        onUnauthorized: () => void this.lobbyTokenRefused(),
      },
    });
    this.results = new ResultsScreen({ onPlayAgain: () => void this.playAgain(), onMenu: () => void this.toMenu() });
    this.invitePanel = new InvitePanel((id) => this.invite(id));
    this.spectatorPanel = new SpectatorPanel({
      onFollow: (id) => this.camera.follow(id),
      onFree: () => this.camera.free(),
      onLeave: () => void this.toMenu(),
    });
    this.canvasHost = h('div', { id: 'canvas-host', class: 'canvas-host' });
    this.gameRoot = h(
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
    this.gameRoot.hidden = true;
    this.input = new KeyboardMouse(this.canvasHost, {
      onScoreboard: (v) => this.scoreboard.setVisible(v),
      onNetGraph: () => this.feel.settings.update({ showNetGraph: !this.netGraph.visible }),
    });
    this.feel = new MatchFeel({ gameRoot: this.gameRoot, canvasHost: this.canvasHost, hud: this.hud, input: this.input, netGraph: this.netGraph, menuRoot: this.menu.root });
    this.installSpectatorControls();
    root.append(this.menu.root, this.gameRoot, this.results.root, this.overlay.root, this.toasts.root);
    if (this.lag) this.menu.setStatus(`Simulating ${this.lag.lagMs} ms of latency (±${this.lag.jitterMs / 2} ms jitter per direction).`);
    this.installDebugHook();
    // A returning player (token still valid) is in the lobby at once.
    const stored = loadGuest();
    if (stored) {
      this.guest = stored;
      this.lobby.connect(stored);
    }
    this.menu.focus();
  }

  // ---- flow -----------------------------------------------------------------------------

  async quickPlay(name: string): Promise<void> {
    await this.enterMatch(name, (token) => this.api.quickPlay(token, ARENA_MODE), (msg) => this.menu.setStatus(msg, true));
  }

  async createPrivate(): Promise<void> {
    const name = this.menu.requireName();
    if (!name) return;
    await this.enterMatch(name, (token) => this.api.createPrivate(token, ARENA_MODE, { ...this.lobby.panel.privateOptions.value }), (msg) => this.lobby.panel.setStatus(msg, true));
  }

  async joinByCode(code: string): Promise<void> {
    const name = this.menu.requireName();
    if (!name) return;
    await this.enterMatch(name, (token) => this.api.joinByCode(token, code), (msg) => this.lobby.panel.setStatus(msg, true));
  }

  /** *Join* on an invite toast: from the menu, the spectator view or another match. */
  async joinInvite(code: string): Promise<void> {
    if (this.busy) return;
    const name = this.guest?.name ?? this.menu.requireName();
    if (!name) return;
    if (this.connection) await this.toMenu();
    await this.enterMatch(name, (token) => this.api.joinByCode(token, code), (msg) => this.lobby.panel.setStatus(msg, true));
  }

  /** *Enter lobby*: sign in with the typed name without joining a match. */
  async enterLobby(): Promise<void> {
    const name = this.menu.requireName();
    if (!name || this.busy) return;
    this.setBusy(true);
    try {
      this.lobby.connect(await this.signIn(name));
    } catch (e) {
      this.lobby.panel.setStatus(this.failure(e, 'Could not sign in'), true);
    } finally {
      this.setBusy(false);
    }
  }

  /** The server refused the lobby's token (it restarted with a new secret): sign in afresh once. */
  private async lobbyTokenRefused(): Promise<void> {
    const name = this.guest?.name;
    forgetGuest();
    this.guest = null;
    this.lobby.signOut();
    if (!name || this.lobbyReauthed) {
      this.lobby.panel.setStatus('The server no longer knows you: enter the lobby again.', true);
      return;
    }
    this.lobbyReauthed = true;
    try {
      this.lobby.connect(await this.signIn(name));
    } catch (e) {
      this.lobby.panel.setStatus(this.failure(e, 'Could not sign in'), true);
    }
  }

  private async enterMatch(name: string, request: (token: string) => Promise<MatchTicket>, showError: (msg: string) => void): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    this.menu.setStatus('');
    this.lobby.panel.setStatus('');
    try {
      let guest = await this.signIn(name);
      await this.ensureScene();
      let ticket: MatchTicket;
      try {
        ticket = await request(guest.token);
      } catch (e) {
        // A stored token from before a server restart (random secret): sign in afresh.
        if (!(e instanceof ApiError && e.unauthorized)) throw e;
        forgetGuest();
        this.guest = null;
        guest = await this.signIn(name);
        ticket = await request(guest.token);
      }
      await this.openSession(ticket, false);
    } catch (e) {
      showError(this.failure(e, 'Could not start'));
      this.showScreen('menu');
    } finally {
      this.setBusy(false);
    }
  }

  /** *Spectate* on a listed match (private matches would need their code as well). */
  async spectate(matchId: string, code?: string): Promise<void> {
    if (this.busy) return;
    const name = this.guest?.name ?? this.menu.requireName();
    if (!name) return;
    this.setBusy(true);
    this.lobby.panel.setStatus('');
    try {
      await this.signIn(name);
      const url = `${wsOrigin()}/spectate?match=${encodeURIComponent(matchId)}${code ? `&code=${encodeURIComponent(code)}` : ''}`;
      await this.openSession({ matchId, url, ticket: '' }, true, code);
    } catch (e) {
      this.lobby.panel.setStatus(this.failure(e, 'Could not spectate'), true);
      this.showScreen('menu');
    } finally {
      this.setBusy(false);
    }
  }

  private failure(e: unknown, what: string): string {
    return e instanceof ApiError ? `${what}: ${e.message}` : `${what}: could not reach the server (${(e as Error).message})`;
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.menu.setBusy(busy);
    this.lobby.setBusy(busy);
  }

  private async signIn(name: string): Promise<StoredGuest> {
    // Storage may be disabled (private mode): then the guest of this page is kept in memory.
    const stored = loadGuest(name) ?? (this.guest?.name === name ? this.guest : null);
    if (stored) return (this.guest = stored);
    const g = await this.api.guest(name);
    this.guest = { token: g.token, id: g.player.id, name: g.player.name };
    saveGuest(this.guest);
    return this.guest;
  }

  private async invite(playerId: string): Promise<string> {
    const guest = this.guest;
    if (!guest) throw new Error('Sign in first.');
    try {
      const r = await this.api.invite(guest.token, playerId);
      return r.delivered ? `Invite sent to ${playerId}.` : `${playerId} is not online, so nothing was sent: give them the code ${r.code}.`;
    } catch (e) {
      throw new Error(this.failure(e, 'Could not invite'));
    }
  }

  /**
   * The renderer, created once. Players get it ready before asking for a seat ticket: the
   * first WebGL init compiles shaders (seconds on a slow device or a software renderer),
   * and a ticket is single-use and lives 15 s, so initialising between ticket and socket
   * could expire it (the socket then got 403 and the freed seat a 404 on resume).
   */
  private ensureScene(): Promise<Scene> {
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

  /**
   * Connects to a match as a player (`ticket` from quick play, create or join) or as a
   * spectator (`ticket.url` is the /spectate URL, no seat ticket); resolves at the welcome.
   */
  private async openSession(ticket: MatchTicket, spectating: boolean, spectateCode?: string): Promise<void> {
    const guest = this.guest!;
    await this.ensureScene();
    this.dropSession();
    const connection = new Connection({
      // In a Worker where possible: frames are stamped on arrival, not when a busy main
      // thread gets to them (`?socket=page` keeps the socket on the page, for comparison).
      createSocket: workerSocketFactory(location.search),
      token: guest.token,
      endpoint: ticket,
      resume: spectating ? (matchId) => this.spectateAgain(ticket, matchId, spectateCode) : (matchId) => this.api.resume(guest.token, matchId),
      lag: this.lag,
    });
    const session = new GameSession(connection, undefined, { spectator: spectating });
    this.connection = connection;
    this.session = session;
    this.spectating = spectating;
    this.feel.attach(session, connection, spectating);
    this.privateCode = spectating ? null : (ticket.code ?? null);

    session.on('welcome', (w) => {
      if (!w.resumed) {
        this.scene!.reset();
        this.scene!.setMap(w.config.map);
        this.hud.clear();
        this.camera.reset(w.config.map.width, w.config.map.height);
        this.spectatorPanel.reset();
      }
      this.overlay.hide();
      this.reconnecting = false;
    });
    session.on('phase', ({ phase }) => {
      if (phase === Phase.Ended) this.showResults();
      else if (this.screenName === 'results') this.showScreen(this.spectating ? 'spectate' : 'game');
    });
    session.on('notice', (n) => {
      this.menu.setStatus(n.text);
      this.toasts.show({ kind: 'notice', text: n.text, key: `notice:${n.text}`, ttlMs: 10_000 });
    });
    session.on('notification', (n) => this.toasts.show(toastForNotification(n)));
    connection.on('reconnecting', ({ attempt, delayMs }) => {
      this.reconnecting = true;
      this.input.releaseAll();
      this.overlay.reconnecting(attempt, delayMs);
    });
    connection.on('link', ({ state }) => this.linkIndicator.set(state));
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
    // Seated: the play socket now carries this player's notifications (see LobbyController).
    if (!spectating) this.lobby.disconnect();
    this.invitePanel.setCode(this.privateCode);
    this.showScreen(spectating ? 'spectate' : 'game');
    this.startLoop();
  }

  /** A spectator's "resume": the same URL again, unless a public match left the list. */
  private async spectateAgain(ticket: MatchTicket, matchId: string, code?: string): Promise<MatchTicket> {
    if (!code && !(await this.api.listMatches()).some((m) => m.id === matchId)) throw new ApiError(404, 'the match is gone');
    return ticket;
  }

  private onClosed(connection: Connection, info: CloseInfo): void {
    if (connection !== this.connection) return;
    this.reconnecting = false;
    this.input.releaseAll();
    if (this.screenName === 'results') return; // the match ended and the server let us go
    if (this.session?.phase === Phase.Ended || info.code === CloseCode.MatchEnded) {
      this.showResults();
      return;
    }
    if (this.screenName !== 'game' && this.screenName !== 'spectate') return;
    const toMenu = () => void this.toMenu();
    if (info.code === CloseCode.Replaced) {
      this.overlay.message('Playing in another tab', 'This game was opened in another tab or window, which now has your seat.', 'Back to menu', toMenu);
    } else if (info.gone) {
      this.overlay.message('The match is gone', this.spectating ? 'It ended while you were away.' : 'It ended, or your seat expired while you were away.', 'Back to menu', toMenu);
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

  /** Frees the seat (or the spectator slot) on the server (no grace) before anything else happens. */
  private async leaveMatch(): Promise<void> {
    const c = this.connection;
    if (c) await c.leave(() => c.send({ type: ClientType.Leave }));
    this.dropSession();
  }

  private dropSession(): void {
    this.stopLoop();
    this.feel.detach();
    this.session?.dispose();
    this.connection?.close();
    this.connection?.removeAllListeners();
    this.session = null;
    this.connection = null;
    this.spectating = false;
    this.privateCode = null;
    this.lastView = null;
    this.invitePanel.setCode(null);
    this.linkIndicator.set('ok');
    this.overlay.hide();
    this.scoreboard.setVisible(false);
  }

  private showScreen(name: ScreenName): void {
    this.screenName = name;
    this.menu.root.hidden = name !== 'menu';
    this.gameRoot.hidden = name === 'menu';
    this.gameRoot.classList.toggle('spectating', this.spectating);
    this.spectatorPanel.root.hidden = !this.spectating;
    // Spectators use the keys too, but only to move their camera (no input is ever sent).
    this.input.enabled = name === 'game' || name === 'spectate';
    // Toasts join the HUD's flow during a match (no overlap with it), float elsewhere.
    if (name === 'game' || name === 'spectate') this.hud.toastSlot.append(this.toasts.root);
    else if (this.toasts.root.parentElement === this.hud.toastSlot) this.gameRoot.parentElement?.append(this.toasts.root);
    this.feel.setPlaying(name === 'game' && !this.spectating);
    // The name field keeps focus while hidden otherwise, and keys typed into it are not game keys.
    if (name !== 'menu' && name !== 'results' && document.activeElement instanceof HTMLElement) document.activeElement.blur();
    if (name !== 'results') this.results.hide();
    if (name !== 'game' && name !== 'spectate') this.input.releaseAll();
    if (name === 'menu') {
      this.overlay.hide();
      // Back in the menu: the lobby again (it was closed while seated).
      if (this.guest) this.lobby.connect(this.guest);
    }
  }

  // ---- spectator controls ---------------------------------------------------------------

  private installSpectatorControls(): void {
    window.addEventListener('keydown', (e) => {
      if (this.screenName !== 'spectate' || !this.session) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      const digit = /^Digit([0-9])$/.exec(e.code);
      if (digit) {
        const n = Number(digit[1]);
        if (n === 0) this.camera.free();
        else {
          const row = spectatorOrder(this.session.scoreboard())[n - 1];
          if (row) this.camera.follow(row.id);
        }
        e.preventDefault();
      } else if (e.code === 'Escape') {
        this.camera.free();
      }
    });
    this.canvasHost.addEventListener('click', (e) => {
      if (this.screenName !== 'spectate' || !this.scene || !this.lastView) return;
      const r = this.canvasHost.getBoundingClientRect();
      const world = this.scene.toWorld(e.clientX - r.left, e.clientY - r.top);
      this.camera.pick(world.x, world.y, this.lastView.players);
    });
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

    if (!this.spectating) {
      const selfPos = session.predictor?.position;
      if (selfPos) {
        const aim = this.input.aimFrom(scene.toScreen(selfPos.x, selfPos.y));
        if (aim !== null) this.aim = aim;
      }
      session.setInput(this.input.enabled && !this.reconnecting ? this.input.buttons : 0, this.aim);
    }
    session.update(now);
    const view = session.frame(now);
    if (!view) return;
    this.lastView = view;
    if (this.spectating) {
      const b = this.input.enabled ? this.input.buttons : 0;
      const dx = (b & Buttons.Right ? 1 : 0) - (b & Buttons.Left ? 1 : 0);
      const dy = (b & Buttons.Down ? 1 : 0) - (b & Buttons.Up ? 1 : 0);
      scene.draw(view, dt, this.camera.update(dt, dx, dy, view.players));
      this.spectatorPanel.update(session.scoreboard(), this.camera.followedId);
    } else {
      scene.draw(view, dt);
    }
    const stats = session.netStats(now);
    this.hud.update(view, now, stats.rttMs);
    this.hud.events(view.events, (id) => session.roster.get(id)?.name ?? `#${id}`, session.playerId, now, this.feel.respawnAfter);
    this.feel.frame(view, session, (x, y) => scene.toScreen(x, y), scene.viewRect(), now);
    this.scoreboard.update(session.scoreboard());
    this.netGraph.update(stats, this.fps, scene.rendererName, now);
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
      /** Link health: ok, unstable (badge shown, inputs held) or lost (reconnecting). */
      get link() {
        return app.connection?.linkState ?? null;
      },
      /** Times the "connection unstable" badge was shown on this page. */
      get linkIndicatorShown() {
        return app.linkIndicator.shown;
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
      /** Ids of the players the last drawn frame showed. */
      drawnPlayers() {
        return app.scene?.drawnPlayerIds() ?? [];
      },
      get spectating() {
        return app.spectating;
      },
      get privateCode() {
        return app.privateCode;
      },
      /** Input frames sent in this session (a spectator's stays 0). */
      get inputsSent() {
        return app.session?.inputSeq ?? 0;
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
      /** Everyone in the match (from the roster): id, name, bot. */
      roster() {
        return [...(app.session?.roster.values() ?? [])].map((r) => ({ ...r }));
      },
      /** Players in the latest snapshot, with names: who is actually on the field. */
      playersSeen() {
        return app.session?.scoreboard().map((r) => ({ id: r.id, name: r.name, bot: r.bot })) ?? [];
      },
      lobby() {
        return {
          state: app.lobby.state,
          online: app.lobby.online,
          matches: app.lobby.matches,
          chat: app.lobby.chat.lines(),
        };
      },
      toasts() {
        return app.toasts.visible().map((t) => ({ id: t.id, kind: t.kind, text: t.text, action: t.actionLabel, data: t.data }));
      },
      camera() {
        return { mode: app.camera.mode.kind, follow: app.camera.followedId, x: app.camera.x, y: app.camera.y };
      },
      /** Hit markers, damage numbers, flashes, sound, settings, touch, minimap, match chat. */
      feel() {
        return app.feel.debug();
      },
      /** Players of the latest frame: id, position in the world and on the screen, alive. */
      players() {
        const scene = app.scene;
        return (app.lastView?.players ?? []).map((p) => ({ id: p.id, name: p.name, self: p.self, alive: p.alive, x: p.x, y: p.y, screen: scene ? scene.toScreen(p.x, p.y) : null }));
      },
    };
  }
}
