/**
 * The `/lobby` stream: online count, the live public match list, lobby chat, the player's
 * notifications and server notices — on the same `Connection` state machine as a match,
 * configured for a stream without a seat. Game code sees events, never the socket:
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
 * The lobby has no seat to lose, so it keeps reconnecting (same backoff with jitter) until
 * closed, stopping only on auth/protocol refusals; every reconnect gets a fresh `Full` list.
 * It has no link-health checks (the lobby may be quiet for minutes). After a socket that
 * never opened the optional `verifyToken` is asked (see connection.ts).
 */
import { ClientType, Limits, ServerType, type MatchListEntry, type ServerMessage } from '../protocol/index.js';
import { STREAM_FINAL_CODES } from './closeCodes.js';
import { Connection, type ConnectionState } from './connection.js';
import { Emitter } from './emitter.js';
import { MatchListState } from './matchListState.js';
import { emitSocial, type SocialEvents } from './socialMessages.js';
import type { SocketFactory } from './socket.js';
import type { Timers } from './timers.js';
import type { BackoffOptions } from './backoff.js';

export type LobbyNotification = SocialEvents['notification'];

/** Also the social events (chat, notification, notice, serverError) of socialMessages.ts. */
export interface LobbyEvents extends SocialEvents {
  status: { state: ConnectionState; attempt: number; delayMs: number };
  online: number;
  matches: MatchListEntry[];
  close: { code: number; message: string; unauthorized: boolean };
}

export interface LobbyConnectionOptions {
  /** `ws(s)://host/lobby`. */
  url: string;
  /** Guest or account JWT. */
  token: string;
  /** Opens each socket (default: the global WebSocket). */
  createSocket?: SocketFactory;
  /** Resolves false when the server refuses the token (asked after a socket failed to open). */
  verifyToken?: () => Promise<boolean>;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffOptions;
}

export class LobbyConnection extends Emitter<LobbyEvents> {
  readonly matches = new MatchListState();
  online: number | null = null;
  /** The state machine underneath (attemptFailed and error events for a transport policy). */
  readonly connection: Connection;

  constructor(o: LobbyConnectionOptions) {
    super();
    const c = new Connection({
      token: o.token,
      endpoint: { url: o.url },
      createSocket: o.createSocket,
      verifyToken: o.verifyToken,
      finalCodes: STREAM_FINAL_CODES,
      maxAttempts: Infinity,
      linkHealth: false,
      timers: o.timers,
      random: o.random,
      backoff: o.backoff,
    });
    this.connection = c;
    const open = () => this.emit('status', { state: 'open', attempt: 0, delayMs: 0 });
    c.on('connect', open);
    c.on('reconnected', open);
    c.on('reconnecting', ({ attempt, delayMs }) => this.emit('status', { state: 'reconnecting', attempt, delayMs }));
    c.on('message', (m) => this.onMessage(m));
    c.on('close', ({ code, message, unauthorized }) => {
      this.emit('status', { state: 'closed', attempt: 0, delayMs: 0 });
      this.emit('close', { code, message, unauthorized });
    });
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  get token(): string {
    return this.connection.token;
  }

  /** Successful reconnects over this connection's life. */
  get reconnects(): number {
    return this.connection.reconnects;
  }

  connect(): void {
    this.connection.connect();
  }

  /** Sends a chat line (trimmed, cut to the protocol's limit). False when empty or not connected. */
  sendChat(text: string): boolean {
    const line = text.trim().slice(0, Limits.maxChatLength);
    return line !== '' && this.connection.send({ type: ClientType.Chat, text: line });
  }

  /** Ends the connection for good; emits `close`. */
  close(): void {
    this.connection.close();
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
}
