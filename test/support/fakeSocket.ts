/**
 * A scripted WebSocket and a manual clock for the client's net modules (Connection,
 * LobbyConnection): the test opens, feeds and drops sockets and advances time by hand.
 */
import type { SocketFactory, TimerId, Timers, WebSocketLike } from '../../client/index.js';

export class ManualTimers implements Timers {
  t = 0;
  private seq = 0;
  private timers: Array<{ id: number; at: number; fn: () => void }> = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): TimerId {
    const id = ++this.seq;
    this.timers.push({ id, at: this.t + ms, fn });
    return id as unknown as TimerId;
  }
  clearTimeout(id: TimerId): void {
    this.timers = this.timers.filter((x) => x.id !== (id as unknown as number));
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Runs every timer due within `ms`, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await settle();
    }
    this.t = end;
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

export class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  /** The connection's socket seam: each attempt constructs (and records) a FakeSocket. */
  static readonly create: SocketFactory = (url, protocols) => new FakeSocket(url, protocols);
  binaryType = 'blob';
  readyState = 0;
  protocol = '';
  sent: Uint8Array[] = [];
  closedByClient = false;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeSocket.all.push(this);
  }
  static last(): FakeSocket {
    return FakeSocket.all[FakeSocket.all.length - 1];
  }
  send(data: Uint8Array): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
    this.closedByClient = true;
  }
  // ---- test side
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}
