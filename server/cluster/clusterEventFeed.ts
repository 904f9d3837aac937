/**
 * The SSE feed (`GET /api/events`) of a cluster node: the same events and ids as
 * lobby/eventFeed.ts, but the replay log lives in Redis Streams (feedScripts.ts), so a
 * client that reconnects to a different node with `Last-Event-ID` gets exactly what it
 * missed, or a `reset` with the full list when part of the gap was trimmed away.
 *
 * Ordering on open: the live subscription starts first and buffers, then the replay (or the
 * snapshot) is written, then buffered events newer than what was written — no gap, no
 * duplicate.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { FeedEvent, FeedWriter } from '../lobby/eventFeed.js';
import { MATCHES_CHANNEL, type MatchListing } from '../lobby/matchListing.js';
import type { UserInbox } from '../notifications/userInbox.js';
import type { Delivered } from '../presence/presence.js';
import type { RedisConnection } from '../presence/redis/redisConnection.js';
import { unwrapLogged, type ChannelLog, type RedisPresence } from '../presence/redis/redisPresence.js';
import { REPLAY } from './feedScripts.js';

export const MATCH_STREAM = 'feed:matches';
export const userStream = (userId: string): string => `feed:user:${userId}`;
export const sseMarker = (userId: string): string => `sse:${userId}`;

export interface ClusterFeedOptions {
  presence: RedisPresence;
  inbox: UserInbox;
  listing: MatchListing;
  clock: Clock;
  /** Match changes kept for resumes. */
  globalCapacity?: number;
  /** Notifications kept per user for resumes. */
  userCapacity?: number;
  /** How long a user's notifications are still logged after their last stream closed, ms. */
  retentionMs?: number;
}

interface Local {
  writers: number;
  refresh: TimerHandle | null;
}

/** Which channels the cluster logs (passed to RedisPresence). */
export function feedLogs(o: { globalCapacity?: number; userCapacity?: number; retentionMs?: number }): (channel: string) => ChannelLog | null {
  return (channel) => {
    if (channel === MATCHES_CHANNEL) return { stream: MATCH_STREAM, cap: o.globalCapacity ?? 256, ttlMs: 0 };
    if (channel.startsWith('user:')) {
      const userId = channel.slice(5);
      return { stream: userStream(userId), cap: o.userCapacity ?? 64, ttlMs: o.retentionMs ?? 60_000, marker: sseMarker(userId) };
    }
    return null;
  };
}

/** A delivered message (or one read back from the log) → its feed id and the payload without it. */
function strip(m: Delivered<object> | unknown): { feedId: number | null; data: unknown } {
  if (typeof m !== 'object' || m === null) return { feedId: null, data: m };
  const { feedId, ...data }: Delivered<object> = m;
  return { feedId: typeof feedId === 'number' ? feedId : null, data };
}

export class ClusterEventFeed {
  private readonly writers = new Set<FeedWriter>();
  private readonly users = new Map<string, Local>();
  private unsubscribe: Promise<() => Promise<void>> | null = null;

  constructor(private readonly o: ClusterFeedOptions) {}

  private get redis(): RedisConnection {
    return this.o.presence.redis;
  }

  private get retentionMs(): number {
    return this.o.retentionMs ?? 60_000;
  }

  start(): void {
    this.unsubscribe = this.o.presence.subscribe(MATCHES_CHANNEL, (m) => {
      const { feedId, data } = strip(m);
      if (feedId === null) return; // not logged: no id to resume from
      const e: FeedEvent = { id: feedId, event: 'match', data };
      for (const w of [...this.writers]) w(e);
    });
  }

  async stop(): Promise<void> {
    for (const u of this.users.values()) u.refresh?.cancel();
    this.users.clear();
    this.writers.clear();
    if (this.unsubscribe) await (await this.unsubscribe)();
  }

  async open(userId: string, lastEventId: number | null, write: FeedWriter): Promise<() => void> {
    await this.markOpen(userId);
    // Live events buffer until the replay is written.
    let buffered: FeedEvent[] | null = [];
    let lastWritten = 0;
    const live: FeedWriter = (e) => {
      if (buffered) buffered.push(e);
      else if (e.id > lastWritten) {
        lastWritten = e.id;
        write(e);
      }
    };
    this.writers.add(live);
    const { detach, ready } = this.o.inbox.attach(userId, (n) => {
      const { feedId, data } = strip(n);
      if (feedId !== null) live({ id: feedId, event: 'notification', data });
    });
    const close = () => {
      this.writers.delete(live);
      detach();
      this.markClosed(userId);
    };
    try {
      await ready;
      const backlog = await this.backlog(userId, lastEventId);
      for (const e of backlog) {
        lastWritten = Math.max(lastWritten, e.id);
        write(e);
      }
      const pending = buffered.sort((a, b) => a.id - b.id);
      buffered = null;
      for (const e of pending) live(e);
    } catch (e) {
      close();
      throw e;
    }
    return close;
  }

  /** The missed events after `lastEventId`, or a snapshot/reset of the whole list. */
  private async backlog(userId: string, lastEventId: number | null): Promise<FeedEvent[]> {
    if (lastEventId !== null) {
      const r = await REPLAY.run<Array<number | string>>(this.redis, [this.o.presence.prefix, userStream(userId), lastEventId]);
      const [seq, mFloor, uFloor, nMatches] = r.slice(0, 4).map(Number);
      if (lastEventId <= seq && lastEventId >= mFloor && lastEventId >= uFloor) {
        const events: FeedEvent[] = r.slice(4).map((raw, i) => {
          const { feedId, data } = strip(unwrapLogged(JSON.parse(String(raw))));
          return { id: feedId ?? 0, event: i < nMatches ? 'match' : 'notification', data };
        });
        return events.sort((a, b) => a.id - b.id);
      }
    }
    const seq = Number((await this.redis.send<string | null>(['GET', `${this.o.presence.prefix}feed:seq`])) ?? '0');
    const matches = await this.o.listing.list();
    return [{ id: seq, event: lastEventId === null ? 'snapshot' : 'reset', data: { matches } }];
  }

  private async markOpen(userId: string): Promise<void> {
    let u = this.users.get(userId);
    if (!u) this.users.set(userId, (u = { writers: 0, refresh: null }));
    u.writers++;
    await this.touch(userId);
    if (!u.refresh) this.scheduleRefresh(userId, u);
  }

  private markClosed(userId: string): void {
    const u = this.users.get(userId);
    if (!u || --u.writers > 0) return;
    // The marker (and the user's log) lapse `retentionMs` after this, unless a stream reopens.
    u.refresh?.cancel();
    this.users.delete(userId);
    void this.touch(userId).catch(() => undefined);
  }

  private scheduleRefresh(userId: string, u: Local): void {
    u.refresh = this.o.clock.setTimeout(() => {
      if (this.users.get(userId) !== u) return;
      void this.touch(userId)
        .catch(() => undefined)
        .finally(() => this.users.get(userId) === u && this.scheduleRefresh(userId, u));
    }, Math.max(1000, Math.floor(this.retentionMs / 3)));
  }

  private async touch(userId: string): Promise<void> {
    const p = this.o.presence.prefix;
    const ttl = String(this.retentionMs);
    await this.redis.send(['SET', p + sseMarker(userId), '1', 'PX', ttl]);
    await this.redis.send(['PEXPIRE', p + userStream(userId), ttl]);
  }
}
