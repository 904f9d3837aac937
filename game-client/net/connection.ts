/**
 * The client's connection to a match. Game code sees events and messages, never a socket:
 *
 *   open         the first socket of this match opened
 *   message      a decoded, validated server message
 *   reconnecting the socket dropped; attempt n follows after delayMs (backoff with jitter)
 *   reconnected  a new socket resumed the same seat
 *   close        final: the match is over for this client (code, human message, gone?)
 *   error        something non-fatal went wrong (a frame failed to decode, an attempt failed)
 *   link         the link's health changed: ok, unstable (no frame for a while: the game
 *                pauses its inputs and shows an indicator) or lost (see net/linkHealth.ts)
 *
 * A socket that stays "open" but delivers nothing for 5 s (a stalled path, the browser's
 * offline mode) is given up by the client itself and resumed like a dropped one. A 4008
 * (rate limited) is retried once, after a longer backoff: a client that floods again ends.
 *
 * Reconnection: a drop with a retryable code (network loss 1006, going away, idle, slow
 * consumer…) asks the server for a resume ticket (POST /api/matchmake {"resume"}) and opens
 * a new socket; the server reattaches it to the same player and sends a keyframe. A 404
 * there means the match or the seat is gone, which ends the connection with `gone: true`.
 * Codes that mean "do not come back" (replaced by another tab, match ended, kicked, auth)
 * end it at once.
 *
 * The WebSocket constructor is injected: the browser's global in the page, `ws` in Node.
 */
import {
  BEARER_SUBPROTOCOL_PREFIX,
  CloseCode,
  SUBPROTOCOL,
  closeMessage,
  decodeServer,
  encodeClient,
  type ClientMessage,
  type ServerMessage,
} from '../../protocol/index.js';
import { ApiError, type MatchTicket } from './api.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { DelayLine } from './delayLine.js';
import { Emitter } from './emitter.js';
import type { LagOptions } from './lagOptions.js';
import { LinkHealth, type LinkHealthOptions, type LinkState } from './linkHealth.js';
import { realTimers, type TimerId, type Timers } from './timers.js';

/** The part of the WebSocket API this module uses (browser WebSocket and `ws` both fit). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly protocol: string;
  /** Bytes queued in the socket but not yet sent (browser WebSocket and `ws` both have it). */
  readonly bufferedAmount?: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  /** `timeStamp`: when the browser queued the event (performance.now() timebase), if given. */
  onmessage: ((ev: { data: unknown; timeStamp?: number }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketCtor = new (url: string, protocols?: string | string[]) => WebSocketLike;

const OPEN = 1;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface CloseInfo {
  code: number;
  reason: string;
  /** A sentence for the player. */
  message: string;
  /** The match or the seat no longer exists (resume refused with 404). */
  gone: boolean;
}

export interface ConnectionEvents extends Record<string, unknown> {
  open: { matchId: string };
  message: ServerMessage;
  reconnecting: { attempt: number; delayMs: number; code: number; reason: string };
  reconnected: { attempts: number };
  close: CloseInfo;
  error: { message: string };
  link: { state: LinkState };
}

export interface ConnectionOptions {
  WebSocket: WebSocketCtor;
  /** Guest or account JWT, offered as a `bearer.<jwt>` subprotocol (browsers cannot set headers). */
  token: string;
  /** Where to connect first (from quick play). */
  ticket: MatchTicket;
  /** Asks the server for a ticket back into the same seat; rejects with ApiError(404) when gone. */
  resume: (matchId: string) => Promise<MatchTicket>;
  lag?: LagOptions | null;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Attempts before giving up (the server's grace is 20 s by default; this covers ~70 s). */
  maxAttempts?: number;
  /** Silence thresholds (net/linkHealth.ts). */
  linkHealth?: LinkHealthOptions;
  /** How often the link is checked while open, ms (default 200). */
  linkCheckMs?: number;
}

/** Backoff attempt index the single retry after a 4008 starts at (1.5–2.5 s). */
const RATE_LIMITED_RETRY_ATTEMPT = 2;

/** Close codes after which coming back is pointless or unwanted. */
const FINAL_CODES = new Set<number>([
  1000, // normal: the server let us go (we left)
  1002, // protocol error
  1003, // unsupported data
  1007,
  1008,
  1009,
  1010,
  CloseCode.Unauthorized,
  CloseCode.TokenExpired,
  CloseCode.ProtocolMismatch,
  CloseCode.MatchNotFound,
  CloseCode.MatchFull,
  CloseCode.SeatExpired,
  CloseCode.RateLimited, // retried once by socketGone, final after that
  CloseCode.MalformedFrame,
  CloseCode.FrameTooLarge,
  CloseCode.Kicked,
  CloseCode.ServerDraining,
  CloseCode.Replaced,
  CloseCode.MatchEnded,
  CloseCode.PolicyViolation,
]);

export function shouldReconnect(code: number): boolean {
  return !FINAL_CODES.has(code);
}

function describeClose(code: number, reason: string): string {
  if (code >= 4000) return closeMessage(code);
  if (code === 1000) return reason || 'disconnected';
  return reason ? `connection lost (${reason})` : 'connection lost';
}

/**
 * A binary socket offering our subprotocol and the JWT as a `bearer.<jwt>` entry (browsers
 * cannot set an Authorization header on a WebSocket). Throws what the constructor throws.
 */
export function openTickwireSocket(WebSocket: WebSocketCtor, url: string, token: string): WebSocketLike {
  const ws = new WebSocket(url, [SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`]);
  ws.binaryType = 'arraybuffer';
  return ws;
}

export class GameConnection extends Emitter<ConnectionEvents> {
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
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
  private ticket: MatchTicket;
  private readonly link: LinkHealth;
  private linkTimer: TimerId | null = null;
  /**
   * When the frame being delivered arrived (the browser event's timestamp, taken when the
   * frame was queued rather than when a busy main thread got to it); null when unknown
   * (Node's `ws`, or the simulated lag, whose delivery time is the arrival).
   */
  receivedAt: number | null = null;
  /** Application bytes (WebSocket payloads) in each direction, for the net graph. */
  bytesIn = 0;
  bytesOut = 0;
  /** Successful resumes over this connection's life. */
  reconnects = 0;
  /** The transport of the socket last opened: a socket may say (`transport`), else a WebSocket. */
  private transportValue = 'websocket';

  constructor(private readonly o: ConnectionOptions) {
    super();
    this.timers = o.timers ?? realTimers;
    this.random = o.random ?? Math.random;
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
    this.maxAttempts = o.maxAttempts ?? 12;
    this.ticket = o.ticket;
    this.link = new LinkHealth(this.timers.now(), o.linkHealth);
    if (o.lag) {
      const oneWay = { delayMs: o.lag.lagMs / 2, jitterMs: o.lag.jitterMs };
      this.inbound = new DelayLine(oneWay, this.timers, this.random);
      this.outbound = new DelayLine(oneWay, this.timers, this.random);
    }
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  get matchId(): string {
    return this.ticket.matchId;
  }

  /** "websocket" or "polling" (net/pollingSocket.ts), for the net graph and HUD. */
  get transport(): string {
    return this.transportValue;
  }

  get lag(): LagOptions | null {
    return this.o.lag ?? null;
  }

  /** The link's health (ok while frames arrive; see net/linkHealth.ts). */
  get linkState(): LinkState {
    return this.stateValue === 'open' ? this.link.state : this.stateValue === 'connecting' ? 'ok' : 'lost';
  }

  /** Times the link went unstable or was lost over this connection's life. */
  get linkEpisodes(): number {
    return this.link.episodes;
  }

  /** Opens the first socket. Events follow; nothing is thrown. */
  connect(): void {
    if (this.ws || this.stateValue === 'closed') return;
    this.openSocket();
  }

  /** Sends a message now (or after the simulated lag); dropped while not open. */
  send(msg: ClientMessage): boolean {
    const ws = this.ws;
    if (!ws || this.stateValue !== 'open' || ws.readyState !== OPEN) return false;
    const bytes = encodeClient(msg);
    this.bytesOut += bytes.byteLength;
    if (this.outbound) this.outbound.push(() => ws.readyState === OPEN && ws.send(bytes));
    else ws.send(bytes);
    return true;
  }

  /** Ends the connection for good (no reconnection); emits `close`. */
  close(code = 1000, reason = 'closed by the client'): void {
    this.finish({ code, reason, message: describeClose(code, reason), gone: false });
  }

  /**
   * Leaves the match: tells the server (it frees the seat at once, no grace) and resolves
   * once the server has closed the socket, so a following quick play cannot land in the
   * seat being left. Gives up waiting after `timeoutMs`.
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
   * Moves the seat to a new socket now (the transport policy found WebSocket working again
   * while on long-polling): the current socket is closed and the seat resumed over a new
   * one from the socket constructor, without a `reconnecting` event; if that fails, the
   * usual reconnection takes over.
   */
  switchSocket(): void {
    const ws = this.ws;
    if (!ws || this.stateValue !== 'open') return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    if (ws.readyState <= OPEN) ws.close(1000, 'switching transport');
    this.ws = null;
    this.stopLinkChecks();
    this.outbound?.clear();
    this.stateValue = 'reconnecting';
    void this.tryResume();
  }

  // ---- sockets --------------------------------------------------------------------------

  private openSocket(): void {
    const { url, ticket } = this.ticket;
    // Spectators connect without a seat ticket (the match id is in the URL).
    const full = ticket ? `${url}${url.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(ticket)}` : url;
    let ws: WebSocketLike;
    try {
      ws = openTickwireSocket(this.o.WebSocket, full, this.o.token);
    } catch (e) {
      this.emit('error', { message: `cannot open a WebSocket: ${(e as Error).message}` });
      this.socketGone(1006, 'cannot open a WebSocket');
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      opened = true;
      this.stateValue = 'open';
      this.transportValue = (ws as { transport?: string }).transport ?? 'websocket';
      this.link.reset(this.timers.now());
      this.startLinkChecks(ws);
      this.emit('link', { state: 'ok' });
      if (!this.everOpened) {
        this.everOpened = true;
        this.emit('open', { matchId: this.ticket.matchId });
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
      // Frames still in the simulated network arrive before the close does.
      if (this.inbound) this.inbound.push(() => this.socketClosed(ws, code, ev.reason ?? ''));
      else this.socketClosed(ws, code, ev.reason ?? '');
    };
  }

  private deliver(ws: WebSocketLike, bytes: Uint8Array, receivedAt: number | null): void {
    if (this.ws !== ws) return;
    this.bytesIn += bytes.byteLength;
    const now = this.timers.now();
    this.link.frame(now);
    // Back from a stall: healthy at once, not at the next check.
    if (this.link.state !== 'ok' && this.link.check(now, ws.bufferedAmount ?? 0) === 'ok') this.emit('link', { state: 'ok' });
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

  private startLinkChecks(ws: WebSocketLike): void {
    this.stopLinkChecks();
    const every = this.o.linkCheckMs ?? 200;
    const run = () => {
      this.linkTimer = null;
      if (this.ws !== ws || this.stateValue !== 'open') return;
      const before = this.link.state;
      const state = this.link.check(this.timers.now(), ws.bufferedAmount ?? 0);
      if (state === 'lost') {
        this.abandon(ws, `no frames from the server for ${Math.round(this.link.options.lostAfterMs / 1000)} s`);
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
   * Gives up a socket that stopped delivering: nothing more is read from it, and the seat
   * is resumed on a new one exactly as after a network drop (1006). Its close frame reaches
   * the server whenever the path recovers; a new socket on the seat replaces it anyway.
   */
  private abandon(ws: WebSocketLike, reason: string): void {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      if (ws.readyState <= OPEN) ws.close(1000, 'no frames from the server');
    } catch {
      // Closing a broken socket may throw in some environments; it is dropped either way.
    }
    this.emit('link', { state: 'lost' });
    this.socketGone(1006, reason);
  }

  private socketClosed(ws: WebSocketLike, code: number, reason: string): void {
    if (this.ws !== ws) return;
    this.socketGone(code, reason);
  }

  private socketGone(code: number, reason: string): void {
    this.ws = null;
    this.stopLinkChecks();
    this.outbound?.clear();
    if (this.stateValue === 'closed') return;
    if (code === CloseCode.RateLimited && !this.leaving && !this.rateLimitRetried) {
      // Once: a stall's catch-up or a browser hiccup should not end the match; a client
      // that floods again on the new socket is closed for good.
      this.rateLimitRetried = true;
      this.attempt = Math.max(this.attempt, RATE_LIMITED_RETRY_ATTEMPT);
      this.scheduleRetry(code, reason);
      return;
    }
    if (this.leaving || !shouldReconnect(code)) {
      this.finish({ code, reason, message: describeClose(code, reason), gone: code === CloseCode.MatchNotFound || code === CloseCode.SeatExpired });
      return;
    }
    this.scheduleRetry(code, reason);
  }

  // ---- reconnection ---------------------------------------------------------------------

  private scheduleRetry(code: number, reason: string): void {
    if (this.attempt >= this.maxAttempts) {
      this.finish({ code, reason, message: 'could not reconnect: check your network and play again', gone: false });
      return;
    }
    const delayMs = backoffDelay(this.attempt, this.random, this.backoff);
    this.attempt++;
    this.stateValue = 'reconnecting';
    this.emit('reconnecting', { attempt: this.attempt, delayMs, code, reason });
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.tryResume();
    }, delayMs);
  }

  private async tryResume(): Promise<void> {
    if (this.stateValue !== 'reconnecting') return;
    let ticket: MatchTicket;
    try {
      ticket = await this.o.resume(this.ticket.matchId);
    } catch (e) {
      if (this.stateValue !== 'reconnecting') return;
      if (e instanceof ApiError && e.matchGone) {
        this.finish({ code: CloseCode.MatchNotFound, reason: e.message, message: 'the match is gone: it ended or your seat expired', gone: true });
        return;
      }
      if (e instanceof ApiError && e.unauthorized) {
        this.finish({ code: CloseCode.Unauthorized, reason: e.message, message: closeMessage(CloseCode.Unauthorized), gone: false });
        return;
      }
      this.emit('error', { message: `reconnect attempt ${this.attempt} failed: ${(e as Error).message}` });
      this.scheduleRetry(1006, 'server unreachable');
      return;
    }
    if (this.stateValue !== 'reconnecting') return;
    this.ticket = ticket;
    this.openSocket();
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
      if (ws.readyState <= OPEN) ws.close(1000, 'closed by the client');
    }
    this.emit('close', info);
  }
}

/** A binary WebSocket payload as bytes (null for text frames). */
export function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // `ws` in Node may hand over an array of Buffers for fragmented frames.
  if (Array.isArray(data)) {
    const parts = data as Uint8Array[];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    return out;
  }
  return null;
}
