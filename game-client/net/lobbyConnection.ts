/**
 * The client's `/lobby` socket: online count, the live public match list, lobby chat, the
 * player's notifications and server notices. Game code sees events, never the socket:
 *
 *   status        connecting / open / reconnecting {attempt, delayMs} / closed
 *   online        the number of players online (on every node)
 *   matches       the match list changed (the full, ordered list)
 *   chat          a lobby chat line {from, text}
 *   notification  a personal notification {kind, text, data} (invite, match_found, …)
 *   notice        a server notice {kind: 'server' | 'draining', text}
 *   serverError   an Error frame that did not close the socket (e.g. chat rate limited, 4008)
 *   close         final: closed by the client, or the token was refused (`unauthorized`)
 *
 * The lobby has no seat to lose, so it keeps reconnecting (same backoff with jitter as
 * `GameConnection`) until closed; every reconnect gets a fresh `Full` list. A browser hides
 * why an upgrade failed (a 401 looks like a network error), so after a socket that never
 * opened the optional `verifyToken` is asked: false ends the connection as unauthorized,
 * and the page signs in again instead of retrying forever with a dead token.
 */
import { emitSocial, type SocialEvents } from './socialMessages.js';
import {
  ClientType,
  CloseCode,
  Limits,
  ServerType,
  closeMessage,
  decodeServer,
  encodeClient,
  type MatchListEntry,
  type ServerMessage,
} from '../../protocol/index.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { openTickwireSocket, toBytes, type WebSocketCtor, type WebSocketLike } from './connection.js';
import { Emitter } from './emitter.js';
import { MatchListState } from './matchListState.js';
import { realTimers, type TimerId, type Timers } from './timers.js';

const OPEN = 1;

export type LobbyConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export type LobbyNotification = SocialEvents['notification'];

/** Also the social events (chat, notification, notice, serverError) of ./socialMessages.ts. */
export interface LobbyEvents extends SocialEvents {
  status: { state: LobbyConnectionState; attempt: number; delayMs: number };
  online: number;
  matches: MatchListEntry[];
  close: { code: number; message: string; unauthorized: boolean };
}

export interface LobbyConnectionOptions {
  WebSocket: WebSocketCtor;
  /** `ws(s)://host/lobby`. */
  url: string;
  /** Guest or account JWT, offered as a `bearer.<jwt>` subprotocol (browsers cannot set headers). */
  token: string;
  /** Resolves false when the server refuses the token (asked after a socket failed to open). */
  verifyToken?: () => Promise<boolean>;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffOptions;
}

/** Codes after which reconnecting cannot help: the token or the protocol is refused. */
const FINAL_CODES = new Set<number>([CloseCode.Unauthorized, CloseCode.TokenExpired, CloseCode.ProtocolMismatch]);

export class LobbyConnection extends Emitter<LobbyEvents> {
  readonly matches = new MatchListState();
  online: number | null = null;
  /** Successful reconnects over this connection's life. */
  reconnects = 0;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private ws: WebSocketLike | null = null;
  private stateValue: LobbyConnectionState = 'connecting';
  private attempt = 0;
  private everOpened = false;
  private retryTimer: TimerId | null = null;

  constructor(private readonly o: LobbyConnectionOptions) {
    super();
    this.timers = o.timers ?? realTimers;
    this.random = o.random ?? Math.random;
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
  }

  get state(): LobbyConnectionState {
    return this.stateValue;
  }

  get token(): string {
    return this.o.token;
  }

  connect(): void {
    if (this.ws || this.stateValue === 'closed' || this.retryTimer !== null) return;
    this.openSocket();
  }

  /** Sends a chat line (trimmed, cut to the protocol's limit). False when empty or not connected. */
  sendChat(text: string): boolean {
    const line = text.trim().slice(0, Limits.maxChatLength);
    const ws = this.ws;
    if (!line || !ws || this.stateValue !== 'open' || ws.readyState !== OPEN) return false;
    ws.send(encodeClient({ type: ClientType.Chat, text: line }));
    return true;
  }

  /** Ends the connection for good; emits `close`. */
  close(): void {
    this.finish(1000, 'closed by the client', false);
  }

  // ---- sockets --------------------------------------------------------------------------

  private openSocket(): void {
    let ws: WebSocketLike;
    try {
      ws = openTickwireSocket(this.o.WebSocket, this.o.url, this.o.token);
    } catch {
      this.socketGone(1006, false);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      opened = true;
      if (this.everOpened) this.reconnects++;
      this.everOpened = true;
      this.attempt = 0;
      this.setState('open', 0, 0);
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      const bytes = toBytes(ev.data);
      if (!bytes) return;
      const decoded = decodeServer(bytes);
      // A frame this build cannot read is skipped: the lobby is informational.
      if (decoded.ok) this.onMessage(decoded.value);
    };
    ws.onerror = () => {
      // The close event follows.
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.socketGone(ev.code, opened);
    };
  }

  private onMessage(m: ServerMessage): void {
    switch (m.type) {
      case ServerType.LobbyState:
        this.online = m.online;
        this.emit('online', m.online);
        return;
      case ServerType.MatchList:
        this.matches.apply(m);
        this.emit('matches', this.matches.list());
        return;
      default:
        emitSocial(m, (event, payload) => this.emit(event, payload));
    }
  }

  private socketGone(code: number, opened: boolean): void {
    if (this.stateValue === 'closed') return;
    if (FINAL_CODES.has(code)) {
      this.finish(code, closeMessage(code), code !== CloseCode.ProtocolMismatch);
      return;
    }
    if (!opened && this.o.verifyToken) {
      // Hold the retry until we know whether the token is the reason.
      this.setState('reconnecting', this.attempt + 1, 0);
      this.o.verifyToken().then(
        (ok) => {
          if (this.stateValue === 'closed') return;
          if (!ok) this.finish(CloseCode.Unauthorized, closeMessage(CloseCode.Unauthorized), true);
          else this.scheduleRetry();
        },
        () => this.stateValue !== 'closed' && this.scheduleRetry(), // server unreachable: keep trying
      );
      return;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delayMs = backoffDelay(this.attempt, this.random, this.backoff);
    this.attempt++;
    this.setState('reconnecting', this.attempt, delayMs);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (this.stateValue === 'reconnecting') this.openSocket();
    }, delayMs);
  }

  private setState(state: LobbyConnectionState, attempt: number, delayMs: number): void {
    this.stateValue = state;
    this.emit('status', { state, attempt, delayMs });
  }

  private finish(code: number, message: string, unauthorized: boolean): void {
    if (this.stateValue === 'closed') return;
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState <= OPEN) ws.close(1000, 'closed by the client');
    }
    this.setState('closed', 0, 0);
    this.emit('close', { code, message, unauthorized });
  }
}
