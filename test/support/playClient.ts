/**
 * A test player speaking the real protocol over `ws`: keeps the decoded message log and the
 * reconstructed snapshot state, and lets tests await conditions instead of sleeping.
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
  type SnapshotState,
  type WelcomeMsg,
} from '../../protocol/index.js';

export interface Closed {
  code: number;
  reason: string;
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
  private readonly conditions = new Conditions();
  private seq = 0;

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => {
      const r = decodeServer(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (!r.ok) {
        this.decodeErrors.push(r.error);
      } else {
        const m = r.value;
        this.messages.push(m);
        if (m.type === ServerType.Welcome) this.welcome = m;
        if (m.type === ServerType.Snapshot) {
          const s = applySnapshotDelta(this.snapshot, m.delta, ARENA_SCHEMA);
          const ack = resolveAck(this.ack, m.delta.baselineTick === KEYFRAME, m.ack);
          if (!s.ok) this.decodeErrors.push(s.error);
          else if (ack === null) this.decodeErrors.push('ack delta without a keyframe');
          else {
            this.snapshot = s.value;
            this.snapshots.push(s.value);
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

  static connect(url: string, token: string, ticket: string, protocols: string[] = [SUBPROTOCOL]): Promise<PlayClient> {
    return PlayClient.open(`${url}?ticket=${encodeURIComponent(ticket)}`, token, protocols);
  }

  /** Any namespace (`/lobby`, `/spectate?match=…`, `/admin`): the full URL, the JWT as header. */
  static open(fullUrl: string, token: string, protocols: string[] = [SUBPROTOCOL]): Promise<PlayClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(fullUrl, protocols, { headers: { authorization: `Bearer ${token}` } });
      const client = new PlayClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body })));
      });
      ws.once('error', (e) => reject(e));
    });
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
