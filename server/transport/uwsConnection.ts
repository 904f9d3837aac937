/**
 * The room-facing Connection over a uWS WebSocket. uWS invalidates a socket object once it
 * closes (any call then throws), so every method checks `closed` first. Every direct frame
 * goes through one SocketSender, which closes the socket with 4016 instead of queueing past
 * its hard send-buffer bound.
 */
import { CloseCode, closeMessage } from '../../protocol/closeCodes.js';
import type { Broadcaster, Connection } from '../rooms/connection.js';
import type { FrameCounters, Metrics } from '../observability/metrics.js';
import type { TemplatedApp, WebSocket } from '../uws.js';
import { DEFAULT_SEND_LIMITS, SocketSender, type SendLimits } from './socketSender.js';

export class UwsConnection implements Connection {
  closed = false;
  private readonly sender: SocketSender;

  constructor(
    private readonly ws: WebSocket<unknown>,
    metrics: Metrics,
    limits: SendLimits = DEFAULT_SEND_LIMITS,
  ) {
    this.sender = new SocketSender(ws, metrics, limits);
  }

  send(frame: Uint8Array, kind: string): void {
    if (this.closed) return;
    if (!this.sender.send(frame, kind)) this.closeSlowConsumer();
  }

  /** Closes the socket when publish fan-out took it past its hard bound; true if it did. */
  enforceSendLimit(): boolean {
    if (this.closed || !this.sender.overHardLimit()) return false;
    this.closeSlowConsumer();
    return true;
  }

  /** Read on the socket itself, not through the sender: the fan-out asks once per snapshot. */
  bufferedAmount(): number {
    return this.closed ? 0 : this.ws.getBufferedAmount();
  }

  private closeSlowConsumer(): void {
    // The close frame queues behind the unsent bytes; the namespace's close handler tells
    // the room, which keeps a player's seat for the reconnection grace.
    this.close(CloseCode.SlowConsumer, closeMessage(CloseCode.SlowConsumer));
  }

  subscribe(topic: string): void {
    if (!this.closed) this.ws.subscribe(topic);
  }

  unsubscribe(topic: string): void {
    if (!this.closed) this.ws.unsubscribe(topic);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    // end() sends a close frame with our code; uWS then calls the close handler.
    this.ws.end(code, reason.slice(0, 120));
  }

  terminate(): void {
    if (this.closed) return;
    this.closed = true;
    // close() drops the TCP connection at once (no close frame); uWS still calls the close handler.
    this.ws.close();
  }
}

export class UwsBroadcaster implements Broadcaster {
  /** The counters of the last kind published: nearly every publish is a 'snapshot'. */
  private lastKind = '';
  private lastCounters: FrameCounters | null = null;

  constructor(
    private readonly app: TemplatedApp,
    private readonly metrics: Metrics,
  ) {}

  publish(topic: string, frame: Uint8Array, kind: string, subscribers: number): void {
    this.app.publish(topic, frame, true);
    if (subscribers > 0) {
      let c = this.lastCounters;
      if (c === null || kind !== this.lastKind) {
        c = this.lastCounters = this.metrics.outbound(kind);
        this.lastKind = kind;
      }
      c.frames += subscribers;
      c.bytes += frame.byteLength * subscribers;
    }
  }
}
