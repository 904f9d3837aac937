/**
 * Topic fan-out for long-polling sessions. Rooms publish snapshots and events on topics
 * (uWS publish reaches WebSocket subscribers only); this registry remembers which polling
 * connections subscribed to which topic, and `PollingBroadcaster` wraps the uWS broadcaster
 * so one publish reaches both kinds of subscriber. The room never learns which is which.
 */
import type { Broadcaster } from '../../rooms/connection.js';

/** What a topic delivers to: a polling connection's queue. */
export interface TopicSubscriber {
  /** Queues a published frame (the frame's buffer may be reused by the publisher: copy it). */
  deliver(frame: Uint8Array): void;
}

export class PollingTopics {
  private readonly topics = new Map<string, Set<TopicSubscriber>>();

  add(topic: string, sub: TopicSubscriber): void {
    let set = this.topics.get(topic);
    if (!set) this.topics.set(topic, (set = new Set()));
    set.add(sub);
  }

  remove(topic: string, sub: TopicSubscriber): void {
    const set = this.topics.get(topic);
    if (!set) return;
    set.delete(sub);
    // Empty topics are forgotten, so memory follows what is subscribed.
    if (set.size === 0) this.topics.delete(topic);
  }

  /** Subscribers of `topic` (tests and metrics). */
  count(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  deliver(topic: string, frame: Uint8Array): void {
    // Every snapshot of every player passes here; with no polling session (the usual case)
    // the string-keyed lookup is skipped.
    if (this.topics.size === 0) return;
    const set = this.topics.get(topic);
    if (!set) return;
    // A subscriber may unsubscribe while being delivered to (closed as a slow consumer).
    for (const sub of [...set]) sub.deliver(frame);
  }
}

/** A broadcaster that also reaches polling subscribers; metrics stay counted once, by `inner`. */
export class PollingBroadcaster implements Broadcaster {
  constructor(
    private readonly inner: Broadcaster,
    private readonly topics: PollingTopics,
  ) {}

  publish(topic: string, frame: Uint8Array, kind: string, subscribers: number): void {
    this.inner.publish(topic, frame, kind, subscribers);
    this.topics.deliver(topic, frame);
  }
}
