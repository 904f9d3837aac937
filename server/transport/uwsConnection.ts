/**
 * The room-facing Connection over a uWS WebSocket. uWS invalidates a socket object once it
 * closes (any call then throws), so every method checks `closed` first.
 */
import type { Broadcaster, Connection } from '../rooms/connection.js';
import type { Metrics } from '../observability/metrics.js';
import type { TemplatedApp, WebSocket } from '../uws.js';

export class UwsConnection implements Connection {
  closed = false;

  constructor(
    private readonly ws: WebSocket<unknown>,
    private readonly metrics: Metrics,
  ) {}

  send(frame: Uint8Array, kind: string): void {
    if (this.closed) return;
    this.ws.send(frame, true);
    const c = this.metrics.outbound(kind);
    c.frames++;
    c.bytes += frame.byteLength;
  }

  bufferedAmount(): number {
    return this.closed ? 0 : this.ws.getBufferedAmount();
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
  constructor(
    private readonly app: TemplatedApp,
    private readonly metrics: Metrics,
  ) {}

  publish(topic: string, frame: Uint8Array, kind: string, subscribers: number): void {
    this.app.publish(topic, frame, true);
    if (subscribers > 0) {
      const c = this.metrics.outbound(kind);
      c.frames += subscribers;
      c.bytes += frame.byteLength * subscribers;
    }
  }
}
