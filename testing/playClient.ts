/**
 * A test player speaking the real protocol over `ws`: keeps the decoded message log and the
 * reconstructed snapshot state, and lets tests await conditions instead of sleeping.
 * Snapshots are rebuilt with the mode's schema (`options.schema`; the arena's by default).
 * The message log is bounded (`maxMessages`, oldest dropped) so a long test cannot grow it
 * without limit; `snapshots` keeps the newest `maxSnapshots`.
 */
import { Conditions } from './conditions.js';
import WebSocket from 'ws';
import {
  ARENA_SCHEMA,
  ClientType,
  ServerType,
  SUBPROTOCOL,
  applySnapshotDelta,
  KEYFRAME,
  resolveAck,
  decodeServer,
  encodeClient,
  type ClientMessage,
  type ServerMessage,
  type SnapshotSchema,
  type SnapshotState,
  type WelcomeMsg,
} from '../protocol/index.js';

export interface Closed {
  code: number;
  reason: string;
}

export interface PlayClientOptions {
  /** Subprotocols offered at the upgrade (default: the one this server speaks). */
  protocols?: string[];
  /** The mode's snapshot schema (`GameMode.schema`); default the arena's. */
  schema?: SnapshotSchema;
  /** Messages kept in `messages` (default 10,000). */
  maxMessages?: number;
  /** Snapshots kept in `snapshots` (default 10,000: eleven minutes at 15 Hz). */
  maxSnapshots?: number;
}

export class PlayClient {
  readonly messages: ServerMessage[] = [];
  snapshot: SnapshotState | null = null;
  snapshots: SnapshotState[] = [];
  /** The last input sequence the server applied for this player (the snapshots' ack). */
  ack: number | null = null;
  welcome: WelcomeMsg | null = null;
  closed: Closed | null = null;
  decodeErrors: string[] = [];
  /** Totals since connecting (the logs above are bounded; these are not). */
  bytesReceived = 0;
  snapshotsReceived = 0;
  private readonly listeners = new Set<(m: ServerMessage) => void>();
  private readonly conditions = new Conditions();
  private seq = 0;

  private readonly schema: SnapshotSchema;
  private readonly maxMessages: number;
  private readonly maxSnapshots: number;

  private constructor(
    readonly ws: WebSocket,
    options: PlayClientOptions,
  ) {
    this.schema = options.schema ?? ARENA_SCHEMA;
    this.maxMessages = options.maxMessages ?? 10_000;
    this.maxSnapshots = options.maxSnapshots ?? 10_000;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => {
      this.bytesReceived += data.byteLength;
      const r = decodeServer(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (!r.ok) {
        this.decodeError(r.error);
      } else {
        const m = r.value;
        this.messages.push(m);
        if (this.messages.length > this.maxMessages) this.messages.shift();
        if (m.type === ServerType.Welcome) this.welcome = m;
        for (const fn of this.listeners) fn(m);
        if (m.type === ServerType.Snapshot) {
          this.snapshotsReceived++;
          const s = applySnapshotDelta(this.snapshot, m.delta, this.schema);
          const ack = resolveAck(this.ack, m.delta.baselineTick === KEYFRAME, m.ack);
          if (!s.ok) this.decodeError(s.error);
          else if (ack === null) this.decodeError('ack delta without a keyframe');
          else {
            this.snapshot = s.value;
            this.snapshots.push(s.value);
            if (this.snapshots.length > this.maxSnapshots) this.snapshots.shift();
            this.ack = ack;
          }
        }
      }
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.notify();
    });
  }

  /**
   * Joins a match with the seat from matchmaking. The last argument is the subprotocol list
   * (as before) or options.
   */
  static connect(url: string, token: string, ticket: string, options: string[] | PlayClientOptions = {}): Promise<PlayClient> {
    return PlayClient.open(`${url}?ticket=${encodeURIComponent(ticket)}`, token, options);
  }

  /** Any namespace (`/lobby`, `/spectate?match=…`, `/admin`): the full URL, the JWT as header. */
  static open(fullUrl: string, token: string, options: string[] | PlayClientOptions = {}): Promise<PlayClient> {
    const o: PlayClientOptions = Array.isArray(options) ? { protocols: options } : options;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(fullUrl, o.protocols ?? [SUBPROTOCOL], { headers: { authorization: `Bearer ${token}` } });
      const client = new PlayClient(ws, o);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body })));
      });
      ws.once('error', (e) => reject(e));
    });
  }

  /** Keeps the first 100 decode errors: enough to report, bounded under a flood. */
  private decodeError(e: string): void {
    if (this.decodeErrors.length < 100) this.decodeErrors.push(e);
  }

  private notify(): void {
    this.conditions.notify();
  }

  /** Resolves once `pred` holds (checked after every message/close); rejects on timeout. */
  waitFor<T>(pred: () => T | undefined | null | false, what: string, timeoutMs = 8000): Promise<T> {
    return this.conditions.waitFor(pred, what, timeoutMs);
  }

  waitForClose(timeoutMs = 8000): Promise<Closed> {
    return this.waitFor(() => this.closed, 'close', timeoutMs);
  }

  send(msg: ClientMessage): void {
    this.ws.send(encodeClient(msg));
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.ws.send(bytes);
  }

  /** Calls `fn` with every decoded message from now on; returns the unsubscribe function. */
  onMessage(fn: (m: ServerMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves when the socket has closed (at once if it already has); never rejects. */
  closeAndWait(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.close();
    });
  }

  /** Sends one input with the next sequence number; returns that number. */
  input(buttons: number, aim = 0): number {
    this.seq++;
    this.send({ type: ClientType.Input, seq: this.seq, buttons, aim, ackTick: this.snapshot?.tick ?? 0 });
    return this.seq;
  }

  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}
