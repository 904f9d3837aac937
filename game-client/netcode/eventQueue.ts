/**
 * Game events waiting for the render time. Events come with the snapshot that covers their
 * tick, but remote entities are drawn an interpolation delay behind it: an event is released
 * once the render tick reaches it, so a hit flash coincides with the interpolated shot
 * arriving. Bounded in size and in waiting time, since nobody draws frames in a hidden tab
 * and a starved buffer may not advance the render tick.
 */
import type { GameEvent } from '../../protocol/index.js';

/** Events wait for the render time at most this long (starved buffer, tab in background). */
const EVENT_MAX_WAIT_MS = 1500;
/** Events kept at most; the oldest go first (a hidden tab sees only the latest on return). */
const MAX_QUEUED_EVENTS = 256;

export class EventQueue {
  private readonly queue: Array<{ tick: number; at: number; event: GameEvent }> = [];

  /** The events of `tick`, arrived at `at`. */
  push(tick: number, at: number, events: readonly GameEvent[]): void {
    for (const event of events) this.queue.push({ tick, at, event });
    if (this.queue.length > MAX_QUEUED_EVENTS) this.queue.splice(0, this.queue.length - MAX_QUEUED_EVENTS);
  }

  /** The events due at `renderTick` (or waiting too long by `now`), in arrival order. */
  release(renderTick: number, now: number): GameEvent[] {
    const events: GameEvent[] = [];
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head.tick > renderTick && now - head.at < EVENT_MAX_WAIT_MS) break;
      events.push(head.event);
      this.queue.shift();
    }
    return events;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
