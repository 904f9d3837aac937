/**
 * A WebSocket-shaped object over HTTP long-polling (server/transport/polling/), so the
 * connection code runs unchanged on networks that refuse WebSocket upgrades. It takes the
 * same arguments as `new WebSocket(url, protocols)`: the `ws(s)://…/play?ticket=…` URL of
 * the seat and the `[tickwire.v1, bearer.<jwt>]` subprotocol list, and maps them onto
 *
 *   POST /play/poll/open?ticket=…  (JWT in the Authorization header, never in the URL)
 *   GET  /play/poll                a receive loop, one request outstanding at a time
 *   POST /play/poll                queued frames, batched up to the server's limits, one
 *                                  request in flight at a time (so frames stay in order)
 *   DELETE /play/poll              close()
 *
 * Closes look like WebSocket closes: the server's in-band close record gives its code and
 * reason; a lost session or network gives 1006; a refused open gives 4001 for a bad token
 * and 1006 otherwise (as a refused upgrade does), so reconnection logic is the same.
 */
import { BEARER_SUBPROTOCOL_PREFIX, decodePollBody, encodePollBody } from '../../protocol/index.js';
import type { SocketFactory, WebSocketLike } from '../socket.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** Bytes a page may queue for sending before the socket gives up (a browser WebSocket has no bound; we do). */
export const MAX_SEND_BACKLOG_BYTES = 256 * 1024;
/** Extra wait past the server's hold before a receive request counts as lost, ms. */
const POLL_GRACE_MS = 10_000;
/** Largest record accepted from the server (a keyframe of a big match fits easily). */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

export const SESSION_HEADER = 'x-tickwire-session';
export const PROTOCOL_HEADER = 'x-tickwire-protocol';

export interface PollingSocketOptions {
  /** Injected for Node bots and tests; the page's fetch by default. */
  fetch?: typeof fetch;
}

interface OpenReply {
  session: string;
  holdMs: number;
  maxSendBytes: number;
  maxFramesPerSend: number;
}

/** `ws://h/play?ticket=t` → `http://h/play/poll` and the query to open with. */
export function pollEndpoint(url: string): { base: string; query: string } {
  const u = new URL(url);
  const scheme = u.protocol === 'wss:' || u.protocol === 'https:' ? 'https:' : 'http:';
  return { base: `${scheme}//${u.host}${u.pathname.replace(/\/$/, '')}/poll`, query: u.search };
}

export class PollingSocket implements WebSocketLike {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  /** Shown in the net graph and HUD. */
  readonly transport = 'polling';
  binaryType = 'arraybuffer';
  readyState = CONNECTING;
  protocol = '';
  /** Bytes queued by send() and not yet acknowledged by the server. */
  bufferedAmount = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown; timeStamp?: number }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  private readonly fetch: typeof fetch;
  private readonly base: string;
  private readonly token: string;
  private readonly offered: string[];
  private session: OpenReply | null = null;
  private readonly outbox: Uint8Array[] = [];
  private sending = false;
  private readonly aborts = new Set<AbortController>();

  constructor(url: string, protocols: string | string[] = [], options: PollingSocketOptions = {}) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const list = typeof protocols === 'string' ? [protocols] : protocols;
    this.token = list.find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX))?.slice(BEARER_SUBPROTOCOL_PREFIX.length) ?? '';
    this.offered = list.filter((p) => !p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
    const { base, query } = pollEndpoint(url);
    this.base = base;
    // After the caller has set its handlers, as with a WebSocket.
    setTimeout(() => void this.open(query), 0);
  }

  send(data: Uint8Array): void {
    if (this.readyState === CONNECTING) throw new Error('InvalidStateError: still connecting');
    if (this.readyState !== OPEN) return;
    if (this.bufferedAmount + data.byteLength > MAX_SEND_BACKLOG_BYTES) {
      this.finish(1006, `send backlog over ${MAX_SEND_BACKLOG_BYTES} bytes`);
      return;
    }
    this.outbox.push(data.slice());
    this.bufferedAmount += data.byteLength;
    if (!this.sending) void this.pump();
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= CLOSING) return;
    const session = this.session;
    if (session) {
      // Fire and forget, outliving this socket (and the page, with keepalive): the server
      // frees the session and the seat waits out the grace, as after a WebSocket close.
      this.fetch(this.base, { method: 'DELETE', headers: { [SESSION_HEADER]: session.session }, keepalive: true }).catch(() => undefined);
    }
    this.finish(code, reason);
  }

  // ---- the exchanges ------------------------------------------------------------------

  private async open(query: string): Promise<void> {
    if (this.readyState !== CONNECTING) return;
    let res: Response;
    try {
      res = await this.request('POST', `${this.base}/open${query}`, {
        authorization: `Bearer ${this.token}`,
        [PROTOCOL_HEADER]: this.offered.join(', '),
      });
    } catch (e) {
      return this.fail(1006, `cannot reach the server: ${(e as Error).message}`);
    }
    if (!res.ok) {
      const error = await errorOf(res);
      return this.fail(res.status === 401 ? 4001 : 1006, error);
    }
    let reply: OpenReply;
    try {
      reply = (await res.json()) as OpenReply;
    } catch {
      return this.fail(1006, 'bad answer from the server');
    }
    if (this.readyState !== CONNECTING) return;
    this.session = reply;
    this.readyState = OPEN;
    this.protocol = this.offered[0] ?? '';
    this.onopen?.({});
    void this.receiveLoop(reply);
  }

  private async receiveLoop(s: OpenReply): Promise<void> {
    while (this.readyState === OPEN) {
      let res: Response;
      try {
        res = await this.request('GET', this.base, { [SESSION_HEADER]: s.session }, undefined, s.holdMs + POLL_GRACE_MS);
      } catch (e) {
        return this.fail(1006, `receive failed: ${(e as Error).message}`);
      }
      if (res.status !== 200) return this.fail(1006, await errorOf(res));
      const body = new Uint8Array(await res.arrayBuffer());
      if (this.readyState !== OPEN) return;
      const records = decodePollBody(body, { maxRecords: Number.MAX_SAFE_INTEGER, maxRecordBytes: MAX_RECORD_BYTES, allowClose: true });
      if (!records.ok) return this.fail(1006, `bad body from the server: ${records.error}`);
      for (const r of records.value) {
        if (this.readyState !== OPEN) return;
        if (r.kind === 'close') return this.finish(r.code, r.reason);
        // A fresh ArrayBuffer per frame, as a WebSocket message event carries.
        this.onmessage?.({ data: r.frame.slice().buffer });
      }
    }
  }

  /** Sends what is queued, one request at a time, each within the server's limits. */
  private async pump(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.sending = true;
    while (this.readyState === OPEN && this.outbox.length > 0) {
      const batch: Uint8Array[] = [];
      let bytes = 0;
      while (batch.length < s.maxFramesPerSend && this.outbox.length > 0 && bytes + this.outbox[0].byteLength + 5 <= s.maxSendBytes) {
        const f = this.outbox.shift()!;
        batch.push(f);
        bytes += f.byteLength + 5;
      }
      if (batch.length === 0) return this.fail(1006, 'a frame larger than the server accepts per send');
      let res: Response;
      try {
        res = await this.request('POST', this.base, { [SESSION_HEADER]: s.session, 'content-type': 'application/octet-stream' }, encodePollBody(batch));
      } catch (e) {
        return this.fail(1006, `send failed: ${(e as Error).message}`);
      }
      for (const f of batch) this.bufferedAmount -= f.byteLength;
      // 410: the session closed; its close record arrives on the receive loop.
      if (!res.ok && res.status !== 410) return this.fail(1006, await errorOf(res));
    }
    this.sending = false;
  }

  private async request(method: string, url: string, headers: Record<string, string>, body?: Uint8Array<ArrayBuffer>, timeoutMs = 30_000): Promise<Response> {
    const abort = new AbortController();
    this.aborts.add(abort);
    const timer = setTimeout(() => abort.abort(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    try {
      return await this.fetch(url, { method, headers, body, signal: abort.signal });
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
  }

  private fail(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.onerror?.({ message: reason });
    this.finish(code, reason);
  }

  private finish(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.sending = false;
    this.outbox.length = 0;
    for (const a of this.aborts) a.abort();
    this.aborts.clear();
    this.onclose?.({ code, reason });
  }
}

async function errorOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/** A `createSocket` for Connection that always long-polls. */
export function pollingSocketFactory(options: PollingSocketOptions = {}): SocketFactory {
  return (url, protocols) => new PollingSocket(url, protocols, options);
}
