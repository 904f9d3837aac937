/**
 * Which transport the play connection uses: WebSocket, or HTTP long-polling (PollingSocket)
 * on networks that refuse WebSocket upgrades. GameConnection constructs its sockets through
 * `policy.ctor`, so the choice stays out of the connection code.
 *
 * - `?transport=polling` in the page URL: always polling. `?transport=websocket`: never.
 * - A page without `WebSocket` at all: polling.
 * - Otherwise WebSocket, until two WebSocket attempts in a row fail before opening (an
 *   upgrade refused by a proxy, a captive portal); from then on polling, and in the
 *   background a probe WebSocket is tried (after 10 s, then doubling to 2 min). When one
 *   opens, the policy goes back to WebSocket and `onUpgrade` asks the connection to resume
 *   its seat over a new socket (server/transport: the new socket replaces the polling one).
 */
import { BEARER_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../protocol/index.js';
import type { WebSocketCtor, WebSocketLike } from './connection.js';
import { realTimers, type TimerId, type Timers } from './timers.js';

export type TransportName = 'websocket' | 'polling';

export interface TransportPolicyOptions {
  /** The page's query string (`?transport=…`). */
  search: string;
  /** The play socket's WebSocket constructor (maybe worker-hosted); null when the page has none. */
  webSocket: WebSocketCtor | null;
  /** The page's own WebSocket, for probes; null when the page has none. */
  probeSocket: WebSocketCtor | null;
  /** The long-polling socket constructor (PollingSocket). */
  polling: WebSocketCtor;
  /** The transport is WebSocket again: move the live connection over. */
  onUpgrade?: () => void;
  timers?: Timers;
  /** Failed WebSocket attempts in a row before polling (default 2). */
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
  /** The constructor GameConnection uses: a socket of the current transport. */
  readonly ctor: WebSocketCtor;

  constructor(private readonly o: TransportPolicyOptions) {
    const forced = new URLSearchParams(o.search).get('transport');
    this.mode = forced === 'polling' || forced === 'websocket' ? forced : 'auto';
    this.timers = o.timers ?? realTimers;
    this.probeDelay = o.probeMs ?? 10_000;
    this.currentValue = this.mode === 'polling' || (this.mode === 'auto' && !o.webSocket) ? 'polling' : 'websocket';
    const policy = this;
    // `new policy.ctor(url, protocols)` returns the object this function returns.
    this.ctor = function (url: string, protocols?: string | string[]) {
      return policy.create(url, protocols);
    } as unknown as WebSocketCtor;
  }

  get current(): TransportName {
    return this.currentValue;
  }

  /** Stops background probing (the page leaves the match). */
  stop(): void {
    if (this.probeTimer !== null) this.timers.clearTimeout(this.probeTimer);
    this.probeTimer = null;
    if (this.probe) {
      this.probe.onopen = this.probe.onclose = this.probe.onerror = null;
      this.probe.close();
      this.probe = null;
    }
  }

  private create(url: string, protocols: string | string[] = []): WebSocketLike {
    const list = typeof protocols === 'string' ? [protocols] : protocols;
    this.last = { url, protocols: list };
    if (this.currentValue === 'polling' || !this.o.webSocket) return new this.o.polling(url, list);
    let ws: WebSocketLike;
    try {
      ws = new this.o.webSocket(url, list);
    } catch (e) {
      this.failed();
      throw e;
    }
    return new ObservedSocket(ws, () => (this.failures = 0), () => this.failed());
  }

  private failed(): void {
    this.failures++;
    if (this.mode !== 'auto' || this.failures < (this.o.failuresBeforePolling ?? 2)) return;
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
      probe = new this.o.probeSocket(u.toString(), bearer ? [SUBPROTOCOL, bearer] : [SUBPROTOCOL]);
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
      this.o.onUpgrade?.();
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

/**
 * A WebSocket seen through: reports whether it opened, or closed before opening (a failed
 * attempt), and otherwise forwards everything to the socket it wraps.
 */
class ObservedSocket implements WebSocketLike {
  readonly transport = 'websocket';
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;

  constructor(
    private readonly ws: WebSocketLike,
    opened: () => void,
    failed: () => void,
  ) {
    let open = false;
    ws.onopen = (ev) => {
      open = true;
      opened();
      this.onopen?.(ev);
    };
    ws.onclose = (ev) => {
      if (!open) failed();
      this.onclose?.(ev);
    };
  }

  get binaryType(): string {
    return this.ws.binaryType;
  }
  set binaryType(v: string) {
    this.ws.binaryType = v;
  }
  get readyState(): number {
    return this.ws.readyState;
  }
  get protocol(): string {
    return this.ws.protocol;
  }
  get bufferedAmount(): number | undefined {
    return this.ws.bufferedAmount;
  }
  get onmessage(): WebSocketLike['onmessage'] {
    return this.ws.onmessage;
  }
  set onmessage(fn: WebSocketLike['onmessage']) {
    this.ws.onmessage = fn;
  }
  get onerror(): WebSocketLike['onerror'] {
    return this.ws.onerror;
  }
  set onerror(fn: WebSocketLike['onerror']) {
    this.ws.onerror = fn;
  }
  send(data: Uint8Array): void {
    this.ws.send(data);
  }
  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }
}

/** `globalThis.WebSocket` when the page has one (a page may lack it, or have it removed). */
export function pageWebSocket(): WebSocketCtor | null {
  const ws = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof ws === 'function' ? (ws as WebSocketCtor) : null;
}

/** For sockets a page without WebSocket cannot open (the lobby): fails like a refused connection. */
export const NO_WEBSOCKET = class {
  constructor() {
    throw new Error('this page has no WebSocket');
  }
} as unknown as WebSocketCtor;
