/**
 * Which transport a match connection uses: WebSocket, or HTTP long-polling (PollingSocket)
 * on networks that refuse WebSocket upgrades. It is a stateful `createSocket` for
 * Connection (`policy.createSocket`), watching the connection's `attemptFailed`, `connect`
 * and `reconnected` events (`policy.watch(connection)`), so the choice stays out of the
 * connection code.
 *
 * - `?transport=polling` in the page URL: always polling. `?transport=websocket`: never.
 * - No WebSocket at all (`webSocket: null`): polling.
 * - Otherwise WebSocket, until two socket attempts in a row fail before opening (an upgrade
 *   refused by a proxy, a captive portal); from then on polling, and in the background a
 *   probe WebSocket is tried (after 10 s, then doubling up to 2 min). When one opens, the
 *   policy goes back to WebSocket and the watched connection moves its seat over
 *   (`Connection.switchSocket()`; the server replaces the polling session with the new socket).
 *
 * The policy is meant to live as long as the page: a network found to refuse WebSocket is
 * not tried twice more for every match.
 */
import { BEARER_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../protocol/index.js';
import type { Connection } from '../connection.js';
import type { SocketFactory, WebSocketLike } from '../socket.js';
import { realTimers, type TimerId, type Timers } from '../timers.js';

export type TransportName = 'websocket' | 'polling';

export interface TransportPolicyOptions {
  /** The page's query string (`?transport=…`). */
  search: string;
  /** Opens a play WebSocket (maybe worker-hosted); null when there is no WebSocket. */
  webSocket: SocketFactory | null;
  /** Opens a probe WebSocket (the page's own); null when there is none. */
  probeSocket: SocketFactory | null;
  /** Opens a long-polling socket (`pollingSocketFactory()`). */
  polling: SocketFactory;
  timers?: Timers;
  /** Failed attempts in a row before polling (default 2). */
  failuresBeforePolling?: number;
  /** First probe delay, ms (default 10 s; doubles per failed probe up to `maxProbeMs`). */
  probeMs?: number;
  maxProbeMs?: number;
}

export class TransportPolicy {
  private currentValue: TransportName;
  private failures = 0;
  private readonly mode: 'auto' | TransportName;
  private readonly timers: Timers;
  private probeTimer: TimerId | null = null;
  private probeDelay: number;
  private probe: WebSocketLike | null = null;
  private last: { url: string; protocols: string[] } | null = null;
  private watched: Connection | null = null;
  private unwatch: (() => void) | null = null;
  /** The `createSocket` for Connection: a socket of the current transport. */
  readonly createSocket: SocketFactory;

  constructor(private readonly o: TransportPolicyOptions) {
    const forced = new URLSearchParams(o.search).get('transport');
    this.mode = forced === 'polling' || forced === 'websocket' ? forced : 'auto';
    this.timers = o.timers ?? realTimers;
    this.probeDelay = o.probeMs ?? 10_000;
    this.currentValue = this.mode === 'polling' || (this.mode === 'auto' && !o.webSocket) ? 'polling' : 'websocket';
    this.createSocket = (url, protocols) => {
      this.last = { url, protocols };
      return this.currentValue === 'polling' || !this.o.webSocket ? this.o.polling(url, protocols) : this.o.webSocket(url, protocols);
    };
  }

  get current(): TransportName {
    return this.currentValue;
  }

  /**
   * Follows `conn` (the current match connection; a previous one is let go): its failed
   * attempts count toward the fallback, an opened socket resets the count, and a successful
   * probe moves it over to WebSocket.
   */
  watch(conn: Connection): void {
    this.unwatch?.();
    this.watched = conn;
    const offs = [
      conn.on('attemptFailed', () => {
        if (conn.transport === 'websocket') this.failed();
      }),
      conn.on('connect', () => (this.failures = 0)),
      conn.on('reconnected', () => (this.failures = 0)),
      conn.on('close', () => this.unwatch?.()),
    ];
    this.unwatch = () => {
      for (const off of offs) off();
      if (this.watched === conn) this.watched = null;
      this.unwatch = null;
    };
  }

  /** Stops background probing and lets the connection go (the page leaves). */
  stop(): void {
    this.unwatch?.();
    if (this.probeTimer !== null) this.timers.clearTimeout(this.probeTimer);
    this.probeTimer = null;
    if (this.probe) {
      this.probe.onopen = this.probe.onclose = this.probe.onerror = null;
      this.probe.close();
      this.probe = null;
    }
  }

  private failed(): void {
    this.failures++;
    if (this.mode !== 'auto' || this.currentValue === 'polling' || this.failures < (this.o.failuresBeforePolling ?? 2)) return;
    this.currentValue = 'polling';
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.probeTimer !== null || !this.o.probeSocket) return;
    this.probeTimer = this.timers.setTimeout(() => {
      this.probeTimer = null;
      this.runProbe();
    }, this.probeDelay);
  }

  /** Opens a `/lobby` WebSocket on the play host: if it opens, WebSocket works again. */
  private runProbe(): void {
    if (this.currentValue !== 'polling' || !this.last || !this.o.probeSocket) return;
    const u = new URL(this.last.url);
    u.pathname = '/lobby';
    u.search = '';
    const bearer = this.last.protocols.find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
    let probe: WebSocketLike;
    try {
      probe = this.o.probeSocket(u.toString(), bearer ? [SUBPROTOCOL, bearer] : [SUBPROTOCOL]);
    } catch {
      return this.probeFailed();
    }
    this.probe = probe;
    probe.onopen = () => {
      this.probe = null;
      probe.onclose = null;
      probe.close(1000, 'probe');
      this.currentValue = 'websocket';
      this.failures = 0;
      this.probeDelay = this.o.probeMs ?? 10_000;
      this.watched?.switchSocket();
    };
    probe.onclose = () => {
      this.probe = null;
      this.probeFailed();
    };
  }

  private probeFailed(): void {
    this.probeDelay = Math.min(this.o.maxProbeMs ?? 120_000, this.probeDelay * 2);
    this.scheduleProbe();
  }
}
