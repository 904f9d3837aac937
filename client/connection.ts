/**
 * The one reconnecting connection state machine, used for a match (/play, /spectate) and for
 * the lobby (/lobby) alike. Game code sees events and messages, never a socket:
 *
 *   connect       the first socket opened
 *   message       a decoded, validated server message
 *   disconnect    an open socket dropped {code, reason}; `reconnecting` or `close` follows
 *   attemptFailed a socket closed without ever opening {attempt, url, code, reason} — the
 *                 hook for a transport policy (fall back to another transport after N)
 *   reconnecting  attempt n follows after delayMs (backoff with jitter); delayMs 0 while the
 *                 token is being checked (`verifyToken`)
 *   reconnected   a new socket opened (for a match: resumed the same seat)
 *   close         final {code, reason, message, gone, unauthorized}
 *   error         something non-fatal went wrong (a frame failed to decode, an attempt failed)
 *   link          the link's health changed: ok, unstable or lost (see linkHealth.ts)
 *
 * Reconnection: a drop with a code not in `finalCodes` is retried after a backoff. With a
 * `resume` function and an endpoint naming a match, each attempt first asks the server for a
 * ticket back into the same seat (POST /api/matchmake {"resume"}); an ApiError 404 there
 * means the match or the seat is gone and ends the connection with `gone: true`. Without
 * one (the lobby) the same URL is opened again. A 4008 (rate limited) in `finalCodes` is
 * retried once, after a longer backoff: a client that floods again ends.
 *
 * A socket that stays "open" but delivers nothing for `lostAfterMs` (a stalled path, the
 * browser's offline mode) is given up by the client itself and handled like a dropped one,
 * unless link health is off (`linkHealth: false`, for streams that may be silent).
 *
 * A browser hides why an upgrade failed (a 401 looks like a network error), so after a
 * socket that never opened the optional `verifyToken` is asked: false ends the connection
 * as unauthorized instead of retrying forever with a dead token.
 */
import { CloseCode, closeMessage, decodeServer, encodeClient, type ClientMessage, type ServerMessage } from '../protocol/index.js';
import { ApiError } from './api.js';
import { describeClose, isAuthCode, PLAY_FINAL_CODES } from './closeCodes.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { DelayLine } from './delayLine.js';
import { Emitter } from './emitter.js';
import type { LagOptions } from './lagOptions.js';
import { LinkHealth, type LinkHealthOptions, type LinkState } from './linkHealth.js';
import { defaultSocketFactory, SOCKET_OPEN, tickwireProtocols, toBytes, type SocketFactory, type WebSocketLike } from './socket.js';
import { realTimers, type TimerId, type Timers } from './timers.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Where a socket goes: a quick-play/resume ticket (MatchTicket fits) or just a URL. */
export interface Endpoint {
  url: string;
  /** Seat ticket, appended as `?ticket=` (none for spectators and the lobby). */
  ticket?: string;
  /** The match this endpoint belongs to (what `resume` is asked for). */
  matchId?: string;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** A sentence for the player. */
  message: string;
  /** The match or the seat no longer exists (resume refused with 404). */
  gone: boolean;
  /** The token was refused: sign in again. */
  unauthorized: boolean;
}

export interface ConnectionEvents extends Record<string, unknown> {
  connect: { url: string };
  message: ServerMessage;
  disconnect: { code: number; reason: string };
  attemptFailed: { attempt: number; url: string; code: number; reason: string };
  reconnecting: { attempt: number; delayMs: number; code: number; reason: string };
  reconnected: { attempts: number };
  close: CloseInfo;
  error: { message: string };
  link: { state: LinkState };
}

export interface ConnectionOptions {
  /** Guest or account JWT, offered as a `bearer.<jwt>` subprotocol. */
  token: string;
  /** Where to connect first (a quick-play ticket, or `{url}`). */
  endpoint: Endpoint;
  /** Opens each socket (default: the global WebSocket; pass `ws` on Node 20). See socket.ts. */
  createSocket?: SocketFactory;
  /** A ticket back into the same seat; rejects with ApiError(404) when gone. */
  resume?: (matchId: string) => Promise<Endpoint>;
  /** Close codes after which coming back is pointless (default: PLAY_FINAL_CODES). */
  finalCodes?: ReadonlySet<number>;
  /** Asked after a socket that never opened; false ends the connection as unauthorized. */
  verifyToken?: () => Promise<boolean>;
  /** Attempts before giving up (default 12, ~70 s; Infinity to retry forever). */
  maxAttempts?: number;
  /** Silence thresholds (linkHealth.ts), or false for no link checks. */
  linkHealth?: LinkHealthOptions | false;
  /** How often the link is checked while open, ms (default 200). */
  linkCheckMs?: number;
  /** Simulated latency inside the client (lagOptions.ts). */
  lag?: LagOptions | null;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffOptions;
}

/** Backoff attempt index the single retry after a 4008 starts at (1.5–2.5 s). */
const RATE_LIMITED_RETRY_ATTEMPT = 2;

/** `url` with the endpoint's seat ticket appended. */
function socketUrl(e: Endpoint): string {
  return e.ticket ? `${e.url}${e.url.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(e.ticket)}` : e.url;
}

export class Connection extends Emitter<ConnectionEvents> {
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly createSocket: SocketFactory;
  private readonly finalCodes: ReadonlySet<number>;
  private readonly maxAttempts: number;
  private ws: WebSocketLike | null = null;
  private inbound: DelayLine | null = null;
  private outbound: DelayLine | null = null;
  private retryTimer: TimerId | null = null;
  private stateValue: ConnectionState = 'connecting';
  private attempt = 0;
  private everOpened = false;
  private leaving = false;
  private rateLimitRetried = false;
  private endpointValue: Endpoint;
  private readonly link: LinkHealth | null;
  private linkTimer: TimerId | null = null;
  private transportValue = 'websocket';
  /**
   * When the frame being delivered arrived (the socket event's timestamp, taken when the
   * frame was queued rather than when a busy main thread got to it); null when unknown.
   */
  receivedAt: number | null = null;
  /** Application bytes (WebSocket payloads) in each direction. */
  bytesIn = 0;
  bytesOut = 0;
  /** Successful reconnects over this connection's life. */
  reconnects = 0;

  constructor(private readonly o: ConnectionOptions) {
    super();
    this.timers = o.timers ?? realTimers;
    this.random = o.random ?? Math.random;
    this.createSocket = o.createSocket ?? defaultSocketFactory();
    this.finalCodes = o.finalCodes ?? PLAY_FINAL_CODES;
    this.maxAttempts = o.maxAttempts ?? 12;
    this.endpointValue = o.endpoint;
    this.link = o.linkHealth === false ? null : new LinkHealth(this.timers.now(), o.linkHealth);
    if (o.lag) {
      const oneWay = { delayMs: o.lag.lagMs / 2, jitterMs: o.lag.jitterMs };
      this.inbound = new DelayLine(oneWay, this.timers, this.random);
      this.outbound = new DelayLine(oneWay, this.timers, this.random);
    }
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  get endpoint(): Endpoint {
    return this.endpointValue;
  }

  /** The match this connection is for ('' for a seatless stream). */
  get matchId(): string {
    return this.endpointValue.matchId ?? '';
  }

  get token(): string {
    return this.o.token;
  }

  get lag(): LagOptions | null {
    return this.o.lag ?? null;
  }

  /** The link's health (ok while frames arrive; see linkHealth.ts). */
  get linkState(): LinkState {
    if (this.stateValue === 'connecting') return 'ok';
    if (this.stateValue !== 'open') return 'lost';
    return this.link?.state ?? 'ok';
  }

  /** The transport of the current (or last) socket: 'websocket' unless the socket names another. */
  get transport(): string {
    return this.transportValue;
  }

  /** Times the link went unstable or was lost over this connection's life. */
  get linkEpisodes(): number {
    return this.link?.episodes ?? 0;
  }

  /** Opens the first socket. Events follow; nothing is thrown. */
  connect(): void {
    if (this.ws || this.stateValue === 'closed' || this.retryTimer !== null) return;
    this.openSocket();
  }

  /** Sends a message now (or after the simulated lag); false (dropped) while not open. */
  send(msg: ClientMessage): boolean {
    const ws = this.ws;
    if (!ws || this.stateValue !== 'open' || ws.readyState !== SOCKET_OPEN) return false;
    const bytes = encodeClient(msg);
    this.bytesOut += bytes.byteLength;
    if (this.outbound) this.outbound.push(() => ws.readyState === SOCKET_OPEN && ws.send(bytes));
    else ws.send(bytes);
    return true;
  }

  /** Ends the connection for good (no reconnection); emits `close`. */
  close(code = 1000, reason = 'closed by the client'): void {
    this.finish({ code, reason, message: describeClose(code, reason), gone: false, unauthorized: false });
  }

  /**
   * Leaves: `send` tells the server (for a match it frees the seat at once, no grace);
   * resolves once the server has closed the socket, so a following quick play cannot land
   * in the seat being left. Gives up waiting after `timeoutMs`.
   */
  leave(send: () => void, timeoutMs = 2000): Promise<void> {
    if (this.stateValue === 'closed') return Promise.resolve();
    if (this.stateValue !== 'open') {
      this.close(1000, 'left');
      return Promise.resolve();
    }
    this.leaving = true;
    send();
    return new Promise((resolve) => {
      const timer = this.timers.setTimeout(() => {
        this.close(1000, 'left');
        resolve();
      }, timeoutMs);
      const off = this.on('close', () => {
        off();
        this.timers.clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Moves to a new socket now (a transport policy found WebSocket working again while on
   * long-polling): the current socket is closed and the seat resumed over a new one from
   * `createSocket`, without a `reconnecting` event; if that fails, the usual reconnection
   * takes over.
   */
  switchSocket(): void {
    const ws = this.ws;
    if (!ws || this.stateValue !== 'open') return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    if (ws.readyState <= SOCKET_OPEN) ws.close(1000, 'switching transport');
    this.ws = null;
    this.stopLinkChecks();
    this.outbound?.clear();
    this.stateValue = 'reconnecting';
    void this.reopen();
  }

  // ---- sockets --------------------------------------------------------------------------

  private openSocket(): void {
    const url = socketUrl(this.endpointValue);
    let ws: WebSocketLike;
    try {
      ws = this.createSocket(url, tickwireProtocols(this.o.token));
      ws.binaryType = 'arraybuffer';
    } catch (e) {
      this.emit('error', { message: `cannot open a socket: ${(e as Error).message}` });
      this.socketGone(url, 1006, 'cannot open a socket', false);
      return;
    }
    this.ws = ws;
    this.transportValue = ws.transport ?? 'websocket';
    let opened = false;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      opened = true;
      this.stateValue = 'open';
      if (this.link) {
        this.link.reset(this.timers.now());
        this.startLinkChecks(ws, this.link);
        this.emit('link', { state: 'ok' });
      }
      if (!this.everOpened) {
        this.everOpened = true;
        this.attempt = 0;
        this.emit('connect', { url });
      } else {
        const attempts = this.attempt;
        this.attempt = 0;
        this.reconnects++;
        this.emit('reconnected', { attempts });
      }
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      const bytes = toBytes(ev.data);
      if (!bytes) {
        this.emit('error', { message: 'text frame from the server ignored' });
        return;
      }
      if (this.inbound) this.inbound.push(() => this.deliver(ws, bytes, null));
      else this.deliver(ws, bytes, typeof ev.timeStamp === 'number' && ev.timeStamp > 0 ? ev.timeStamp : null);
    };
    ws.onerror = () => {
      // The close event follows with the code; nothing to add here (browsers give no detail).
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      const code = opened ? ev.code : ev.code === 1000 ? 1006 : ev.code;
      const gone = () => this.ws === ws && this.socketGone(url, code, ev.reason ?? '', opened);
      // Frames still in the simulated network arrive before the close does.
      if (this.inbound) this.inbound.push(gone);
      else gone();
    };
  }

  private deliver(ws: WebSocketLike, bytes: Uint8Array, receivedAt: number | null): void {
    if (this.ws !== ws) return;
    this.bytesIn += bytes.byteLength;
    if (this.link) {
      const now = this.timers.now();
      this.link.frame(now);
      // Back from a stall: healthy at once, not at the next check.
      if (this.link.state !== 'ok' && this.link.check(now, ws.bufferedAmount ?? 0) === 'ok') this.emit('link', { state: 'ok' });
    }
    const decoded = decodeServer(bytes);
    if (!decoded.ok) {
      this.emit('error', { message: `bad frame from the server: ${decoded.error}` });
      return;
    }
    this.receivedAt = receivedAt;
    try {
      this.emit('message', decoded.value);
    } finally {
      this.receivedAt = null;
    }
  }

  // ---- link health ----------------------------------------------------------------------

  private startLinkChecks(ws: WebSocketLike, link: LinkHealth): void {
    this.stopLinkChecks();
    const every = this.o.linkCheckMs ?? 200;
    const run = () => {
      this.linkTimer = null;
      if (this.ws !== ws || this.stateValue !== 'open') return;
      const before = link.state;
      const state = link.check(this.timers.now(), ws.bufferedAmount ?? 0);
      if (state === 'lost') {
        this.abandon(ws, `no frames from the server for ${Math.round(link.options.lostAfterMs / 1000)} s`);
        return;
      }
      if (state !== before) this.emit('link', { state });
      this.linkTimer = this.timers.setTimeout(run, every);
    };
    this.linkTimer = this.timers.setTimeout(run, every);
  }

  private stopLinkChecks(): void {
    if (this.linkTimer !== null) this.timers.clearTimeout(this.linkTimer);
    this.linkTimer = null;
  }

  /**
   * Gives up a socket that stopped delivering: nothing more is read from it, and it is
   * replaced exactly as after a network drop (1006). Its close frame reaches the server
   * whenever the path recovers; a new socket on the seat replaces it anyway.
   */
  private abandon(ws: WebSocketLike, reason: string): void {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      if (ws.readyState <= SOCKET_OPEN) ws.close(1000, 'no frames from the server');
    } catch {
      // Closing a broken socket may throw in some environments; it is dropped either way.
    }
    this.emit('link', { state: 'lost' });
    this.socketGone(socketUrl(this.endpointValue), 1006, reason, true);
  }

  // ---- reconnection ---------------------------------------------------------------------

  private socketGone(url: string, code: number, reason: string, opened: boolean): void {
    this.ws = null;
    this.stopLinkChecks();
    this.outbound?.clear();
    if (this.stateValue === 'closed') return;
    if (opened) this.emit('disconnect', { code, reason });
    else this.emit('attemptFailed', { attempt: this.attempt, url, code, reason });
    if ((this.stateValue as ConnectionState) === 'closed') return; // a listener closed it
    if (code === CloseCode.RateLimited && this.finalCodes.has(code) && !this.leaving && !this.rateLimitRetried) {
      // Once: a stall's catch-up or a browser hiccup should not end the match; a client
      // that floods again on the new socket is closed for good.
      this.rateLimitRetried = true;
      this.attempt = Math.max(this.attempt, RATE_LIMITED_RETRY_ATTEMPT);
      this.scheduleRetry(code, reason);
      return;
    }
    if (this.leaving || this.finalCodes.has(code)) {
      this.finish({
        code,
        reason,
        message: describeClose(code, reason),
        gone: code === CloseCode.MatchNotFound || code === CloseCode.SeatExpired,
        unauthorized: isAuthCode(code),
      });
      return;
    }
    if (!opened && this.o.verifyToken) {
      // Hold the retry until we know whether the token is the reason.
      this.stateValue = 'reconnecting';
      this.emit('reconnecting', { attempt: this.attempt + 1, delayMs: 0, code, reason });
      this.o.verifyToken().then(
        (ok) => {
          if (this.stateValue === 'closed') return;
          if (!ok) this.finishUnauthorized(reason);
          else this.scheduleRetry(code, reason);
        },
        () => this.stateValue !== 'closed' && this.scheduleRetry(code, reason), // server unreachable: keep trying
      );
      return;
    }
    this.scheduleRetry(code, reason);
  }

  private scheduleRetry(code: number, reason: string): void {
    if (this.attempt >= this.maxAttempts) {
      this.finish({ code, reason, message: 'could not reconnect: check your network and play again', gone: false, unauthorized: false });
      return;
    }
    const delayMs = backoffDelay(this.attempt, this.random, this.o.backoff ?? DEFAULT_BACKOFF);
    this.attempt++;
    this.stateValue = 'reconnecting';
    this.emit('reconnecting', { attempt: this.attempt, delayMs, code, reason });
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.reopen();
    }, delayMs);
  }

  private async reopen(): Promise<void> {
    if (this.stateValue !== 'reconnecting') return;
    const matchId = this.endpointValue.matchId;
    if (this.o.resume && matchId) {
      let next: Endpoint;
      try {
        next = await this.o.resume(matchId);
      } catch (e) {
        if (this.stateValue !== 'reconnecting') return;
        if (e instanceof ApiError && e.matchGone) {
          this.finish({ code: CloseCode.MatchNotFound, reason: e.message, message: 'the match is gone: it ended or your seat expired', gone: true, unauthorized: false });
          return;
        }
        if (e instanceof ApiError && e.unauthorized) {
          this.finishUnauthorized(e.message);
          return;
        }
        this.emit('error', { message: `reconnect attempt ${this.attempt} failed: ${(e as Error).message}` });
        this.scheduleRetry(1006, 'server unreachable');
        return;
      }
      if (this.stateValue !== 'reconnecting') return;
      this.endpointValue = next;
    }
    this.openSocket();
  }

  private finishUnauthorized(reason: string): void {
    this.finish({ code: CloseCode.Unauthorized, reason, message: closeMessage(CloseCode.Unauthorized), gone: false, unauthorized: true });
  }

  private finish(info: CloseInfo): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.stopLinkChecks();
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.outbound?.clear();
    this.inbound?.clear();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState <= SOCKET_OPEN) ws.close(1000, 'closed by the client');
    }
    this.emit('close', info);
  }
}
