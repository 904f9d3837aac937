/**
 * A test player over the long-polling transport: the client's own PollingSocket (so tests
 * exercise both ends), with the decoded message log and reconstructed snapshot state, and
 * conditions to await instead of sleeping. Always `close()` it in a finally/afterEach.
 */
import {
  ARENA_SCHEMA,
  BEARER_SUBPROTOCOL_PREFIX,
  ClientType,
  KEYFRAME,
  ServerType,
  SUBPROTOCOL,
  applySnapshotDelta,
  decodeServer,
  encodeClient,
  resolveAck,
  type ClientMessage,
  type ServerMessage,
  type SnapshotState,
  type WelcomeMsg,
} from '../../protocol/index.js';
import { PollingSocket } from '../../client/transport/pollingSocket.js';
import { Conditions } from './conditions.js';
import type { Closed } from './playClient.js';

export class PollingPlayer {
  readonly messages: ServerMessage[] = [];
  snapshot: SnapshotState | null = null;
  ack: number | null = null;
  welcome: WelcomeMsg | null = null;
  opened = false;
  closed: Closed | null = null;
  errors: string[] = [];
  private readonly conditions = new Conditions();
  private seq = 0;
  readonly socket: PollingSocket;

  constructor(wsUrl: string, token: string, ticket: string) {
    this.socket = new PollingSocket(`${wsUrl}?ticket=${encodeURIComponent(ticket)}`, [SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`]);
    this.socket.onopen = () => {
      this.opened = true;
      this.conditions.notify();
    };
    this.socket.onmessage = (ev) => {
      const r = decodeServer(new Uint8Array(ev.data as ArrayBuffer));
      if (!r.ok) this.errors.push(r.error);
      else this.onMessage(r.value);
      this.conditions.notify();
    };
    this.socket.onclose = (ev) => {
      this.closed = { code: ev.code, reason: ev.reason };
      this.conditions.notify();
    };
  }

  private onMessage(m: ServerMessage): void {
    this.messages.push(m);
    if (m.type === ServerType.Welcome) this.welcome = m;
    if (m.type === ServerType.Snapshot) {
      const s = applySnapshotDelta(this.snapshot, m.delta, ARENA_SCHEMA);
      const ack = resolveAck(this.ack, m.delta.baselineTick === KEYFRAME, m.ack);
      if (!s.ok || ack === null) this.errors.push(s.ok ? 'ack delta without a keyframe' : s.error);
      else {
        this.snapshot = s.value;
        this.ack = ack;
      }
    }
  }

  waitFor<T>(pred: () => T | undefined | null | false, what: string, timeoutMs = 8000): Promise<T> {
    return this.conditions.waitFor(pred, what, timeoutMs);
  }

  waitForClose(timeoutMs = 8000): Promise<Closed> {
    return this.waitFor(() => this.closed, 'close', timeoutMs);
  }

  send(msg: ClientMessage): void {
    this.socket.send(encodeClient(msg));
  }

  input(buttons: number, aim = 0): number {
    this.seq++;
    this.send({ type: ClientType.Input, seq: this.seq, buttons, aim, ackTick: this.snapshot?.tick ?? 0 });
    return this.seq;
  }

  close(): void {
    this.socket.close();
  }
}
