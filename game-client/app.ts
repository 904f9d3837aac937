/**
 * The arena in the browser: the screens (menu with the lobby → game or spectator view →
 * results) and the player's way through them — sign in, quick play, private matches, invites,
 * spectating, leaving. A match's connection and frame loop are the MatchController's
 * (matchController.ts), the in-match screen is the GameScreen (gameScreen.ts), and
 * `window.__tickwire` comes from debugHook.ts. A spectator's session sends no inputs at all
 * (only pings): WASD pans its camera locally.
 */
import { CloseCode, Phase } from '../protocol/index.js';
import { ApiClient, ApiError, defaultSocketFactory, parseLagOptions, type CloseInfo, type LagOptions, type MatchTicket } from '../client/index.js';
import { installDebugHook } from './debugHook.js';
import { GameScreen } from './gameScreen.js';
import { forgetGuest, lastName, loadGuest, saveGuest, type StoredGuest } from './guestStore.js';
import { LobbyController } from './lobbyController.js';
import { MatchController, noWebSocket } from './matchController.js';
import { MenuScreen } from './ui/menu.js';
import { Overlay } from './ui/overlay.js';
import { ResultsScreen } from './ui/results.js';
import { toastForNotification } from './ui/toastQueue.js';
import { Toasts } from './ui/toasts.js';

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
  private readonly overlay = new Overlay();
  private readonly results: ResultsScreen;
  private readonly game: GameScreen;
  private readonly match: MatchController;
  private guest: StoredGuest | null = null;
  private screenName: ScreenName = 'menu';
  private busy = false;
  /** One automatic re-sign-in per refused lobby token, so a broken server cannot loop us. */
  private lobbyReauthed = false;

  constructor(root: HTMLElement) {
    this.menu = new MenuScreen({ onQuickPlay: (name) => void this.quickPlay(name) }, lastName());
    this.toasts = new Toasts((t) => {
      if (t.kind !== 'invite' || typeof t.data.code !== 'string') return;
      // Already playing in that match (a second invite to it): nothing to do.
      if (!this.match.spectating && this.match.session && this.match.session.matchId === t.data.matchId) return;
      void this.joinInvite(t.data.code);
    });
    this.lobby = new LobbyController({
      menu: this.menu,
      // Without WebSocket the lobby stays offline; quick play and codes are REST + polling.
      createSocket: typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function' ? defaultSocketFactory() : noWebSocket,
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
    this.game = new GameScreen({ menuRoot: this.menu.root, onInvite: (id) => this.invite(id), onLeave: () => void this.toMenu() });
    this.match = new MatchController({
      api: this.api,
      lag: this.lag,
      game: this.game,
      overlay: this.overlay,
      handlers: {
        onPhase: (phase) => {
          if (phase === Phase.Ended) this.showResults();
          else if (this.screenName === 'results') this.showScreen(this.match.spectating ? 'spectate' : 'game');
        },
        onNotice: (n) => {
          this.menu.setStatus(n.text);
          this.toasts.show({ kind: 'notice', text: n.text, key: `notice:${n.text}`, ttlMs: 10_000 });
        },
        onNotification: (n) => this.toasts.show(toastForNotification(n)),
        onClosed: (info) => this.onClosed(info),
      },
    });
    this.game.installSpectatorControls(
      () => this.match.session,
      () => this.screenName === 'spectate',
    );
    root.append(this.menu.root, this.game.root, this.results.root, this.overlay.root, this.toasts.root);
    if (this.lag) this.menu.setStatus(`Simulating ${this.lag.lagMs} ms of latency (±${this.lag.jitterMs / 2} ms jitter per direction).`);
    installDebugHook({ screen: () => this.screenName, userId: () => this.guest?.id ?? null, match: this.match, game: this.game, lobby: this.lobby, overlay: this.overlay, toasts: this.toasts });
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
    if (this.match.connection) await this.toMenu();
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
      await this.game.ensureScene();
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
      await this.openMatch(ticket, guest.token, false);
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
      const guest = await this.signIn(name);
      const url = `${wsOrigin()}/spectate?match=${encodeURIComponent(matchId)}${code ? `&code=${encodeURIComponent(code)}` : ''}`;
      await this.openMatch({ matchId, url, ticket: '' }, guest.token, true, code);
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

  /** Into a match (or its spectator view): the lobby closes while seated, then the screen shows. */
  private async openMatch(ticket: MatchTicket, token: string, spectating: boolean, spectateCode?: string): Promise<void> {
    await this.match.open(ticket, token, spectating, spectateCode);
    // Seated: the play socket now carries this player's notifications (see LobbyController).
    if (!spectating) this.lobby.disconnect();
    this.showScreen(spectating ? 'spectate' : 'game');
  }

  private onClosed(info: CloseInfo): void {
    if (this.screenName === 'results') return; // the match ended and the server let us go
    if (this.match.session?.phase === Phase.Ended || info.code === CloseCode.MatchEnded) {
      this.showResults();
      return;
    }
    if (this.screenName !== 'game' && this.screenName !== 'spectate') return;
    const toMenu = () => void this.toMenu();
    if (info.code === CloseCode.Replaced) {
      this.overlay.message('Playing in another tab', 'This game was opened in another tab or window, which now has your seat.', 'Back to menu', toMenu);
    } else if (info.gone) {
      this.overlay.message('The match is gone', this.match.spectating ? 'It ended while you were away.' : 'It ended, or your seat expired while you were away.', 'Back to menu', toMenu);
    } else {
      this.overlay.message('Disconnected', info.message, 'Back to menu', toMenu);
    }
  }

  private showResults(): void {
    if (!this.match.session) return;
    this.results.showResults(this.match.session.scoreboard());
    this.showScreen('results');
  }

  async playAgain(): Promise<void> {
    const name = this.guest?.name ?? lastName();
    await this.match.leave();
    this.showScreen('menu');
    await this.quickPlay(name);
  }

  async toMenu(): Promise<void> {
    await this.match.leave();
    this.showScreen('menu');
    this.menu.focus();
  }

  private showScreen(name: ScreenName): void {
    this.screenName = name;
    this.menu.root.hidden = name !== 'menu';
    const game = this.game;
    const spectating = this.match.spectating;
    game.root.hidden = name === 'menu';
    game.root.classList.toggle('spectating', spectating);
    game.spectatorPanel.root.hidden = !spectating;
    // Spectators use the keys too, but only to move their camera (no input is ever sent).
    game.input.enabled = name === 'game' || name === 'spectate';
    // Toasts join the HUD's flow during a match (no overlap with it), float elsewhere.
    if (name === 'game' || name === 'spectate') game.hud.toastSlot.append(this.toasts.root);
    else if (this.toasts.root.parentElement === game.hud.toastSlot) game.root.parentElement?.append(this.toasts.root);
    game.feel.setPlaying(name === 'game' && !spectating);
    // The name field keeps focus while hidden otherwise, and keys typed into it are not game keys.
    if (name !== 'menu' && name !== 'results' && document.activeElement instanceof HTMLElement) document.activeElement.blur();
    if (name !== 'results') this.results.hide();
    if (name !== 'game' && name !== 'spectate') game.input.releaseAll();
    if (name === 'menu') {
      this.overlay.hide();
      // Back in the menu: the lobby again (it was closed while seated).
      if (this.guest) this.lobby.connect(this.guest);
    }
  }
}
