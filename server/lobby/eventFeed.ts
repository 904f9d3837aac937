/**
 * What `GET /api/events` streams: public match-list changes and the caller's notifications,
 * as numbered events. Recent events stay in bounded rings — one shared for match changes,
 * one per user for notifications, kept for `retentionMs` after the user's last stream closes
 * — so a stream that reconnects with `Last-Event-ID` gets exactly what it missed. When what
 * it missed has already been evicted, it gets a `reset` with the full match list instead of
 * a silent gap.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { Notification } from '../notifications/notification.js';
import type { UserInbox } from '../notifications/userInbox.js';
import type { Presence } from '../presence/presence.js';
import { MATCHES_CHANNEL, type MatchListChange, type MatchListing } from './matchListing.js';

export interface FeedEvent {
  id: number;
  event: 'snapshot' | 'reset' | 'match' | 'notification';
  data: unknown;
}

export type FeedWriter = (e: FeedEvent) => void;

class Ring {
  private readonly items: FeedEvent[] = [];
  /** Highest id evicted so far: a resume from below it has lost events. */
  evictedThrough = 0;

  constructor(private readonly capacity: number) {}

  push(e: FeedEvent): void {
    this.items.push(e);
    if (this.items.length > this.capacity) this.evictedThrough = this.items.shift()!.id;
  }

  after(id: number): FeedEvent[] {
    return this.items.filter((e) => e.id > id);
  }
}

interface UserFeed {
  ring: Ring;
  writers: Set<FeedWriter>;
  detach: () => void;
  linger: TimerHandle | null;
}

export interface EventFeedOptions {
  presence: Presence;
  inbox: UserInbox;
  listing: MatchListing;
  clock: Clock;
  /** Match-list events kept for resumes. */
  globalCapacity?: number;
  /** Notifications kept per user for resumes. */
  userCapacity?: number;
  /** How long a user's notifications are still collected after their last stream closed, ms. */
  retentionMs?: number;
}

export class EventFeed {
  private lastId = 0;
  private readonly global: Ring;
  private readonly users = new Map<string, UserFeed>();
  private readonly writers = new Set<FeedWriter>();
  private unsubscribe: Promise<() => Promise<void>> | null = null;

  constructor(private readonly o: EventFeedOptions) {
    this.global = new Ring(o.globalCapacity ?? 256);
  }

  start(): void {
    this.unsubscribe = this.o.presence.subscribe(MATCHES_CHANNEL, (m) => {
      const e: FeedEvent = { id: ++this.lastId, event: 'match', data: m };
      this.global.push(e);
      for (const w of [...this.writers]) w(e);
    });
  }

  async stop(): Promise<void> {
    for (const u of this.users.values()) {
      u.linger?.cancel();
      u.detach();
    }
    this.users.clear();
    this.writers.clear();
    if (this.unsubscribe) await (await this.unsubscribe)();
  }

  /**
   * Opens a stream for `userId`: replays what a resume missed (or sends the current list),
   * then every new event goes to `write`. Returns the function that closes the stream.
   */
  async open(userId: string, lastEventId: number | null, write: FeedWriter): Promise<() => void> {
    const feed = this.userFeed(userId);
    const resumable =
      lastEventId !== null && lastEventId <= this.lastId && lastEventId >= this.global.evictedThrough && lastEventId >= feed.ring.evictedThrough;
    if (resumable) {
      const missed = [...this.global.after(lastEventId), ...feed.ring.after(lastEventId)].sort((a, b) => a.id - b.id);
      for (const e of missed) write(e);
    } else {
      const matches = await this.o.listing.list();
      write({ id: this.lastId, event: lastEventId === null ? 'snapshot' : 'reset', data: { matches } });
    }
    feed.writers.add(write);
    this.writers.add(write);
    return () => this.closeWriter(userId, feed, write);
  }

  private userFeed(userId: string): UserFeed {
    let feed = this.users.get(userId);
    if (feed) {
      feed.linger?.cancel();
      feed.linger = null;
      return feed;
    }
    const ring = new Ring(this.o.userCapacity ?? 64);
    const writers = new Set<FeedWriter>();
    const { detach } = this.o.inbox.attach(userId, (n: Notification) => {
      const e: FeedEvent = { id: ++this.lastId, event: 'notification', data: n };
      ring.push(e);
      for (const w of [...writers]) w(e);
    });
    feed = { ring, writers, detach, linger: null };
    this.users.set(userId, feed);
    return feed;
  }

  private closeWriter(userId: string, feed: UserFeed, write: FeedWriter): void {
    feed.writers.delete(write);
    this.writers.delete(write);
    if (feed.writers.size > 0 || feed.linger) return;
    feed.linger = this.o.clock.setTimeout(() => {
      if (feed.writers.size > 0 || this.users.get(userId) !== feed) return;
      this.users.delete(userId);
      feed.detach();
    }, this.o.retentionMs ?? 60_000);
  }
}
