/**
 * The room-facing Connection of one long-polling session: frames the room sends or
 * publishes are queued here until the client's next receive request takes them all. The
 * queue is bounded by the same hard bound as a WebSocket's send buffer; a frame that would
 * pass it closes the session as a slow consumer (4016, the seat is kept for the grace).
 *
 * At most one receive request is held at a time (a newer one ends the older with 409); a
 * held request is answered as soon as something is queued (after the current tick's frames
 * are all in, so one tick's frames share one response) or empty after `holdMs`.
 * A close is queued as an in-band close record behind the frames before it.
 */
import { CloseCode, closeMessage, encodePollBody } from '../../../protocol/index.js';
import type { Clock, TimerHandle } from '../../clock.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Connection } from '../../rooms/connection.js';
import type { PollingTopics, TopicSubscriber } from './pollingTopics.js';

/** A receive request held open by the transport. */
export interface HeldPoll {
  /** Answers 200 with this body (possibly empty). */
  reply(body: Uint8Array): void;
  /** Answers 409: a newer receive request on the same session replaced this one. */
  supersede(): void;
  /** Drops the TCP connection without an answer (a dead network, for `terminate`). */
  drop(): void;
}

export interface PollingConnectionOptions {
  clock: Clock;
  metrics: Metrics;
  topics: PollingTopics;
  /** Queued bytes bound (the WebSocket hard send-buffer bound). */
  hardBytes: number;
  holdMs: number;
  /**
   * Called once when the connection closes, never from inside the call that closed it (a
   * room closing a slow consumer mid-publish must not be re-entered): the transport then
   * tells the room, exactly as a WebSocket close handler does.
   */
  onClose(code: number): void;
}

export class PollingConnection implements Connection, TopicSubscriber {
  closed = false;
  /** Nothing more to deliver: the close record went out, or the session was terminated. */
  finished = false;
  private frames: Uint8Array[] = [];
  private bytes = 0;
  private closeRecord: { code: number; reason: string } | null = null;
  private held: HeldPoll | null = null;
  private holdTimer: TimerHandle | null = null;
  private flushQueued = false;
  private readonly subscriptions = new Set<string>();
  /** When a receive request was last outstanding. */
  private lastPollAt: number;

  constructor(private readonly o: PollingConnectionOptions) {
    this.lastPollAt = o.clock.now();
  }

  send(frame: Uint8Array, kind: string): void {
    if (this.closed || !this.enqueue(frame)) return;
    const c = this.o.metrics.outbound(kind);
    c.frames++;
    c.bytes += frame.byteLength;
  }

  /** A frame published on a subscribed topic (counted by the broadcaster). */
  deliver(frame: Uint8Array): void {
    if (!this.closed) this.enqueue(frame);
  }

  bufferedAmount(): number {
    return this.bytes;
  }

  subscribe(topic: string): void {
    if (this.closed || this.subscriptions.has(topic)) return;
    this.subscriptions.add(topic);
    this.o.topics.add(topic, this);
  }

  unsubscribe(topic: string): void {
    if (this.subscriptions.delete(topic)) this.o.topics.remove(topic, this);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.shut();
    // Behind the frames already queued, as a WebSocket close frame queues behind unsent bytes.
    this.closeRecord = { code, reason: reason.slice(0, 120) };
    this.scheduleFlush();
    queueMicrotask(() => this.o.onClose(code));
  }

  terminate(): void {
    if (this.closed) return;
    this.shut();
    this.finished = true;
    this.frames = [];
    this.bytes = 0;
    const held = this.takeHeld();
    held?.drop();
    queueMicrotask(() => this.o.onClose(1006));
  }

  /**
   * A receive request arrived: answered at once when something is queued, otherwise held
   * until something is or `holdMs` passes. A request already held is ended with 409.
   */
  poll(req: HeldPoll): void {
    const previous = this.takeHeld();
    previous?.supersede();
    this.held = req;
    if (this.frames.length > 0 || this.closeRecord) {
      this.flush();
      return;
    }
    this.holdTimer = this.o.clock.setTimeout(() => {
      this.holdTimer = null;
      const held = this.takeHeld();
      held?.reply(new Uint8Array(0));
    }, this.o.holdMs);
  }

  /** The client gave up on `req` (uWS onAborted). */
  pollAborted(req: HeldPoll): void {
    if (this.held === req) this.takeHeld();
  }

  /** How long no receive request has been outstanding, ms (0 while one is held). */
  idleFor(now: number): number {
    return this.held ? 0 : now - this.lastPollAt;
  }

  private enqueue(frame: Uint8Array): boolean {
    // An empty queue always takes the frame (a keyframe may be larger than the bound).
    if (this.bytes > 0 && this.bytes + frame.byteLength > this.o.hardBytes) {
      this.o.metrics.limitHits.inc({ limit: 'send_buffer' });
      this.close(CloseCode.SlowConsumer, closeMessage(CloseCode.SlowConsumer));
      return false;
    }
    // Copied: publishers reuse their frame buffers from one snapshot to the next.
    this.frames.push(frame.slice());
    this.bytes += frame.byteLength;
    this.scheduleFlush();
    return true;
  }

  /**
   * Answers after the current task: a tick sends several frames (roster, snapshot, events)
   * one after the other, and they should leave in one response, not one per poll.
   */
  private scheduleFlush(): void {
    if (this.flushQueued || !this.held) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    if (!this.held || (this.frames.length === 0 && !this.closeRecord)) return;
    const body = encodePollBody(this.frames, this.closeRecord);
    this.frames = [];
    this.bytes = 0;
    if (this.closeRecord) this.finished = true;
    this.takeHeld()!.reply(body);
  }

  private takeHeld(): HeldPoll | null {
    const held = this.held;
    if (!held) return null;
    this.held = null;
    this.holdTimer?.cancel();
    this.holdTimer = null;
    this.lastPollAt = this.o.clock.now();
    return held;
  }

  private shut(): void {
    this.closed = true;
    for (const topic of this.subscriptions) this.o.topics.remove(topic, this);
    this.subscriptions.clear();
  }
}
