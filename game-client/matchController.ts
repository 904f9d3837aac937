/**
 * One match's lifecycle in the page: opens the connection (as a player from a seat ticket, or
 * as a spectator), builds the session on it, wires the session's and connection's events to
 * the game screen, runs the frame loop, and leaves or drops it. Which screen shows when is the
 * app's business (handlers); what a frame looks like is the game screen's.
 *
 * The loop runs on requestAnimationFrame; a 50 ms timer also calls `session.update`, so
 * inputs keep flowing (with keys released) when the browser throttles frames of a hidden tab.
 *
 * A player's socket comes from the page's TransportPolicy: WebSocket, or long-polling where
 * WebSocket upgrades fail (docs/transports.md). Spectators need WebSocket: the long-polling
 * fallback serves `/play` only.
 */
import { ClientType, type Phase } from '../protocol/index.js';
import {
  ApiError,
  Connection,
  pollingSocketFactory,
  socketFactoryOf,
  TransportPolicy,
  workerSocketFactory,
  type ApiClient,
  type CloseInfo,
  type LagOptions,
  type MatchTicket,
  type WebSocketCtor,
} from '../client/index.js';
import type { GameScreen } from './gameScreen.js';
import { GameSession } from './netcode/session.js';
import type { Overlay } from './ui/overlay.js';

export interface MatchHandlers {
  /** The match's phase changed (results at Ended). */
  onPhase(phase: Phase): void;
  onNotice(n: { kind: string; text: string }): void;
  onNotification(n: { kind: string; text: string; data: Record<string, unknown> }): void;
  /** The connection ended for good (after the input was released). */
  onClosed(info: CloseInfo): void;
}

export interface MatchControllerOptions {
  api: ApiClient;
  lag: LagOptions | null;
  game: GameScreen;
  overlay: Overlay;
  handlers: MatchHandlers;
}

export class MatchController {
  connection: Connection | null = null;
  session: GameSession | null = null;
  /** The current session watches instead of plays. */
  spectating = false;
  /** Join code of the private match the player is seated in (null: public or none). */
  privateCode: string | null = null;
  /** Between a drop and the resume: the player's keys are not sent. */
  private reconnecting = false;
  private rafId = 0;
  private updateTimer: ReturnType<typeof setInterval> | null = null;

  /** The page's own WebSocket, when it has one (a page may lack it, or have it removed). */
  private readonly pageWebSocket = (globalThis as { WebSocket?: WebSocketCtor }).WebSocket ?? null;
  // In a Worker where possible: frames are stamped on arrival, not when a busy main
  // thread gets to them (`?socket=page` keeps the socket on the page, for comparison).
  private readonly webSocket = this.pageWebSocket ? workerSocketFactory(location.search) : null;
  /** WebSocket or long-polling for play, for the page's life (one network, one verdict). */
  private readonly transports = new TransportPolicy({
    search: location.search,
    webSocket: this.webSocket,
    probeSocket: this.pageWebSocket ? socketFactoryOf(this.pageWebSocket) : null,
    polling: pollingSocketFactory(),
  });

  constructor(private readonly o: MatchControllerOptions) {}

  /**
   * Connects to a match as a player (`ticket` from quick play, create or join) or as a
   * spectator (`ticket.url` is the /spectate URL, no seat ticket); resolves at the welcome
   * with the loop running, rejects with the close message if the first socket is refused.
   */
  async open(ticket: MatchTicket, token: string, spectating: boolean, spectateCode?: string): Promise<void> {
    const { game, overlay, handlers } = this.o;
    await game.ensureScene();
    this.drop();
    const connection = new Connection({
      createSocket: spectating ? (this.webSocket ?? noWebSocket) : this.transports.createSocket,
      token,
      endpoint: ticket,
      resume: spectating ? (matchId) => this.spectateAgain(ticket, matchId, spectateCode) : (matchId) => this.o.api.resume(token, matchId),
      lag: this.o.lag,
    });
    if (!spectating) this.transports.watch(connection);
    const session = new GameSession(connection, undefined, { spectator: spectating });
    this.connection = connection;
    this.session = session;
    this.spectating = spectating;
    game.feel.attach(session, connection, spectating);
    this.privateCode = spectating ? null : (ticket.code ?? null);

    session.on('welcome', (w) => {
      if (!w.resumed) game.newMatch(w.config.map);
      overlay.hide();
      this.reconnecting = false;
    });
    session.on('phase', ({ phase }) => handlers.onPhase(phase));
    session.on('notice', (n) => handlers.onNotice(n));
    session.on('notification', (n) => handlers.onNotification(n));
    connection.on('reconnecting', ({ attempt, delayMs }) => {
      this.reconnecting = true;
      game.input.releaseAll();
      overlay.reconnecting(attempt, delayMs);
    });
    connection.on('link', ({ state }) => game.linkIndicator.set(state));
    connection.on('error', (e) => console.warn(`tickwire: ${e.message}`));
    connection.on('close', (info) => {
      if (connection !== this.connection) return;
      this.reconnecting = false;
      game.input.releaseAll();
      handlers.onClosed(info);
    });

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
    game.invitePanel.setCode(this.privateCode);
    this.startLoop();
  }

  /** Frees the seat (or the spectator slot) on the server (no grace), then drops the match. */
  async leave(): Promise<void> {
    const c = this.connection;
    if (c) await c.leave(() => c.send({ type: ClientType.Leave }));
    this.drop();
  }

  /** Forgets the match at once (no goodbye to the server). */
  drop(): void {
    this.stopLoop();
    this.o.game.feel.detach();
    this.session?.dispose();
    this.connection?.close();
    this.connection?.removeAllListeners();
    this.session = null;
    this.connection = null;
    this.spectating = false;
    this.privateCode = null;
    this.o.game.clear();
    this.o.overlay.hide();
  }

  /** A spectator's "resume": the same URL again, unless a public match left the list. */
  private async spectateAgain(ticket: MatchTicket, matchId: string, code?: string): Promise<MatchTicket> {
    if (!code && !(await this.o.api.listMatches()).some((m) => m.id === matchId)) throw new ApiError(404, 'the match is gone');
    return ticket;
  }

  private startLoop(): void {
    this.stopLoop();
    this.o.game.resetTiming(performance.now());
    const frame = () => {
      this.rafId = requestAnimationFrame(frame);
      if (this.session) this.o.game.draw(this.session, performance.now(), this.spectating, this.reconnecting);
    };
    this.rafId = requestAnimationFrame(frame);
    this.updateTimer = setInterval(() => this.session?.update(performance.now()), 50);
  }

  private stopLoop(): void {
    cancelAnimationFrame(this.rafId);
    if (this.updateTimer) clearInterval(this.updateTimer);
    this.updateTimer = null;
  }
}

/** For sockets a page without WebSocket cannot open: fails like a refused connection. */
export function noWebSocket(): never {
  throw new Error('this page has no WebSocket');
}
