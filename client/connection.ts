/**
 * The one reconnecting connection state machine, used for a match (/play, /spectate) and for
 * the lobby (/lobby) alike. Game code sees events and messages, never a socket; options and
 * events are in connectionTypes.ts, the retry timing in retrySchedule.ts, link checks in
 * linkMonitor.ts. This file decides what happens to each socket and each drop:
 *
 * - A drop with a code not in `finalCodes` is retried. With a `resume` function and an
 *   endpoint naming a match, each attempt first asks the server for a ticket back into the
 *   same seat (POST /api/matchmake {"resume"}); an ApiError 404 there means the match or the
 *   seat is gone (`gone: true`). Without one (the lobby) the same URL is opened again. A 4008
 *   (rate limited) in `finalCodes` is retried once: a client that floods again ends.
 * - A socket that stays "open" but delivers nothing for `lostAfterMs` (a stalled path, the
 *   browser's offline mode) is given up and handled like a dropped one, unless link health
 *   is off (`linkHealth: false`, for streams that may be silent).
 * - A browser hides why an upgrade failed (a 401 looks like a network error), so after a
 *   socket that never opened the optional `verifyToken` is asked: false ends the connection
 *   as unauthorized instead of retrying forever with a dead token.
 */
import { CloseCode, decodeServer, encodeClient, type ClientMessage } from '../protocol/index.js';
import { ApiError } from './api.js';
import { describeClose, finalClose, matchGoneClose, PLAY_FINAL_CODES, unauthorizedClose } from './closeCodes.js';
import type { CloseInfo, ConnectionEvents, ConnectionOptions, ConnectionState } from './connectionTypes.js';
import { DelayLine } from './delayLine.js';
import { Emitter } from './emitter.js';
import { socketUrl, type Endpoint } from './endpoint.js';
import type { LagOptions } from './lagOptions.js';
import type { LinkState } from './linkHealth.js';
import { LinkMonitor } from './linkMonitor.js';
import { RetrySchedule } from './retrySchedule.js';
import { defaultSocketFactory, SOCKET_OPEN, tickwireProtocols, toBytes, type SocketFactory, type WebSocketLike } from './socket.js';
import { realTimers, type Timers } from './timers.js';

export class Connection extends Emitter<ConnectionEvents> {
  private readonly timers: Timers;
  private readonly createSocket: SocketFactory;
  private readonly finalCodes: ReadonlySet<number>;
  private ws: WebSocketLike | null = null;
  private inbound: DelayLine | null = null;
  private outbound: DelayLine | null = null;
  private stateValue: ConnectionState = 'connecting';
  private everOpened = false;
  private leaving = false;
  private endpointValue: Endpoint;
  private readonly retry: RetrySchedule;
  private readonly link: LinkMonitor | null;
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
    const random = o.random ?? Math.random;
    this.createSocket = o.createSocket ?? defaultSocketFactory();
    this.finalCodes = o.finalCodes ?? PLAY_FINAL_CODES;
    this.retry = new RetrySchedule({ maxAttempts: o.maxAttempts ?? 12, backoff: o.backoff, random, timers: this.timers });
    this.endpointValue = o.endpoint;
    this.link = o.linkHealth === false ? null : new LinkMonitor(this.timers, o.linkHealth, o.linkCheckMs ?? 200, (state) => this.emit('link', { state }));
    if (o.lag) {
      const oneWay = { delayMs: o.lag.lagMs / 2, jitterMs: o.lag.jitterMs };
      this.inbound = new DelayLine(oneWay, this.timers, random);
      this.outbound = new DelayLine(oneWay, this.timers, random);
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
    if (this.ws || this.stateValue === 'closed' || this.retry.waiting) return;
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
    this.link?.stop();
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
      this.link?.start({
        isCurrent: () => this.ws === ws && this.stateValue === 'open',
        bufferedAmount: () => ws.bufferedAmount ?? 0,
        lost: (reason) => this.abandon(ws, reason),
      });
      if (!this.everOpened) {
        this.everOpened = true;
        this.retry.opened();
        this.emit('connect', { url });
      } else {
        const attempts = this.retry.opened();
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
    this.link?.frame(() => ws.bufferedAmount ?? 0);
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
    this.link?.stop();
    this.outbound?.clear();
    if (this.stateValue === 'closed') return;
    if (opened) this.emit('disconnect', { code, reason });
    else this.emit('attemptFailed', { attempt: this.retry.attempt, url, code, reason });
    if ((this.stateValue as ConnectionState) === 'closed') return; // a listener closed it
    if (code === CloseCode.RateLimited && this.finalCodes.has(code) && !this.leaving && this.retry.takeRateLimitRetry()) {
      this.scheduleRetry(code, reason);
      return;
    }
    if (this.leaving || this.finalCodes.has(code)) {
      this.finish(finalClose(code, reason));
      return;
    }
    if (!opened && this.o.verifyToken) {
      // Hold the retry until we know whether the token is the reason.
      this.stateValue = 'reconnecting';
      this.emit('reconnecting', { attempt: this.retry.attempt + 1, delayMs: 0, code, reason });
      this.o.verifyToken().then(
        (ok) => {
          if (this.stateValue === 'closed') return;
          if (!ok) this.finish(unauthorizedClose(reason));
          else this.scheduleRetry(code, reason);
        },
        () => this.stateValue !== 'closed' && this.scheduleRetry(code, reason), // server unreachable: keep trying
      );
      return;
    }
    this.scheduleRetry(code, reason);
  }

  private scheduleRetry(code: number, reason: string): void {
    const next = this.retry.next();
    if (!next) {
      this.finish({ code, reason, message: 'could not reconnect: check your network and play again', gone: false, unauthorized: false });
      return;
    }
    this.stateValue = 'reconnecting';
    this.emit('reconnecting', { ...next, code, reason });
    this.retry.wait(next.delayMs, () => void this.reopen());
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
        if (e instanceof ApiError && (e.matchGone || e.unauthorized)) {
          this.finish(e.matchGone ? matchGoneClose(e.message) : unauthorizedClose(e.message));
          return;
        }
        this.emit('error', { message: `reconnect attempt ${this.retry.attempt} failed: ${(e as Error).message}` });
        this.scheduleRetry(1006, 'server unreachable');
        return;
      }
      if (this.stateValue !== 'reconnecting') return;
      this.endpointValue = next;
    }
    this.openSocket();
  }

  private finish(info: CloseInfo): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.link?.stop();
    this.retry.cancel();
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
