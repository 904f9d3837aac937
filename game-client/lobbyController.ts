/**
 * The lobby side of the menu: the `/lobby` connection of the signed-in player and the three
 * panels it feeds (lobby card, live match list, chat), added beside the play card with
 * `MenuScreen.addPanel`. Notifications and notices go to the page (toasts); the flows they
 * start (create, join, spectate) belong to the App.
 *
 * The page keeps the lobby open in the menu and while spectating, and closes it while the
 * player is seated in a match: the play socket then carries the player's notifications, and
 * one socket per player is what the server's capacity is planned for.
 */
import type { MatchListEntry } from '../protocol/index.js';
import { CloseCode } from '../protocol/index.js';
import type { StoredGuest } from './guestStore.js';
import { LobbyConnection, type ConnectionState as LobbyConnectionState, type LobbyNotification, type SocketFactory } from '../client/index.js';
import { LobbyChat } from './ui/lobbyChat.js';
import { LobbyMatchList } from './ui/lobbyMatchList.js';
import { LobbyPanel, type LobbyPanelHandlers } from './ui/lobbyPanel.js';
import type { MenuScreen } from './ui/menu.js';

export interface LobbyHandlers extends LobbyPanelHandlers {
  onSpectate(matchId: string): void;
  onNotification(n: LobbyNotification): void;
  onNotice(n: { kind: string; text: string }): void;
  /** The server refused the stored token (e.g. it restarted with a new secret). */
  onUnauthorized(): void;
}

export interface LobbyControllerOptions {
  menu: MenuScreen;
  handlers: LobbyHandlers;
  createSocket: SocketFactory;
  /** `ws(s)://host/lobby`. */
  url: string;
  verifyToken(token: string): Promise<boolean>;
}

export class LobbyController {
  readonly panel: LobbyPanel;
  readonly matchList: LobbyMatchList;
  readonly chat: LobbyChat;
  private conn: LobbyConnection | null = null;
  private user: StoredGuest | null = null;

  constructor(private readonly o: LobbyControllerOptions) {
    this.panel = new LobbyPanel(o.handlers);
    this.matchList = new LobbyMatchList((id) => o.handlers.onSpectate(id));
    this.chat = new LobbyChat((text) => this.conn?.sendChat(text) ?? false);
    o.menu.addPanel(this.panel.root);
    o.menu.addPanel(this.matchList.root);
    o.menu.addPanel(this.chat.root);
  }

  get state(): LobbyConnectionState | null {
    return this.conn?.state ?? null;
  }

  get online(): number | null {
    return this.conn?.online ?? null;
  }

  get matches(): MatchListEntry[] {
    return this.conn?.matches.list() ?? [];
  }

  /** Connects the lobby as this player; a connection with another token is replaced. */
  connect(user: StoredGuest): void {
    this.user = user;
    this.panel.setUser({ id: user.id, name: user.name });
    if (this.conn && this.conn.state !== 'closed' && this.conn.token === user.token) return;
    this.disconnect();
    const conn = new LobbyConnection({
      createSocket: this.o.createSocket,
      url: this.o.url,
      token: user.token,
      verifyToken: () => this.o.verifyToken(user.token),
    });
    this.conn = conn;
    const h = this.o.handlers;
    conn.on('status', ({ state }) => {
      this.panel.setConnection(state);
      this.chat.setEnabled(state === 'open');
    });
    conn.on('online', (n) => this.panel.setOnline(n));
    conn.on('matches', (list) => this.matchList.setMatches(list));
    conn.on('chat', (c) => this.chat.line(c.from, c.text));
    conn.on('notification', (n) => h.onNotification(n));
    conn.on('notice', (n) => {
      this.chat.system(n.text);
      h.onNotice(n);
    });
    conn.on('serverError', (e) => {
      if (e.code === CloseCode.RateLimited) this.chat.system(`Slow down: ${e.message}`);
      else this.panel.setStatus(e.message, true);
    });
    conn.on('close', (info) => {
      if (conn !== this.conn) return;
      this.conn = null;
      this.panel.setConnection('closed');
      this.chat.setEnabled(false);
      if (info.unauthorized) h.onUnauthorized();
    });
    this.panel.setConnection('connecting');
    conn.connect();
  }

  /** Closes the lobby socket (entering a match); the player stays shown as signed in. */
  disconnect(): void {
    const conn = this.conn;
    this.conn = null;
    if (conn) {
      conn.removeAllListeners();
      conn.close();
    }
    this.chat.setEnabled(false);
    this.panel.setConnection('closed');
  }

  /** Forgets the player (the token was refused). */
  signOut(): void {
    this.disconnect();
    this.user = null;
    this.panel.setUser(null);
    this.matchList.setMatches(null);
  }

  get signedIn(): StoredGuest | null {
    return this.user;
  }

  setBusy(busy: boolean): void {
    this.panel.setBusy(busy);
    this.matchList.setBusy(busy);
  }
}
