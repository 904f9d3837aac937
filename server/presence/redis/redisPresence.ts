/**
 * Presence on Redis (the cluster's shared state and pub/sub), the drop-in for LocalPresence:
 * every key and channel is prefixed (`tw:` by default) so one Redis can hold several
 * clusters. Messages are JSON.
 *
 * Subscriptions are held here (channel → handlers) and the subscriber connection carries one
 * Redis subscription per channel; after a reconnect every channel is subscribed again, so a
 * subscriber never silently stops hearing a channel.
 *
 * Failure policy while Redis is down: reads reject with RedisUnavailableError (REST answers
 * 503); writes and publishes that callers fire and forget (match-list upkeep, online counts)
 * are dropped and counted in `droppedWrites` — a running match must never fail because the
 * lobby's bookkeeping could not be written, and the cluster re-registers everything when
 * Redis returns.
 */
import type { Presence, PresenceChannel, PresenceChannels, PresenceHandler } from '../presence.js';

/** Handlers as stored: what a channel delivers is typed at subscribe(). */
type AnyHandler = (message: unknown) => void;
import type { RedisConnection } from './redisConnection.js';

/**
 * Channels whose messages are also appended to a Redis Stream (the cluster's SSE replay
 * log), atomically with the publish so every node sees the same event id. A logged message
 * reaches subscribers with its log id as `feedId`.
 */
export interface ChannelLog {
  /** Stream key (unprefixed), cap on its length (MAXLEN ~), and TTL in ms (0: none). */
  stream: string;
  cap: number;
  ttlMs: number;
  /** Log only while this key exists (e.g. the user has an event stream open). */
  marker?: string;
}

export interface PublishScript {
  run<T>(redis: RedisConnection, args: Array<string | number>): Promise<T>;
}

export class RedisPresence implements Presence {
  private readonly channels = new Map<string, Set<AnyHandler>>();
  private readonly listener = (message: string, channel: string) => this.deliver(channel, message);
  private readonly offReady: () => void;
  droppedWrites = 0;
  /** Set by the cluster: which channels are logged, and the script that logs and publishes. */
  logging: { logFor: (channel: string) => ChannelLog | null; script: PublishScript } | null = null;

  constructor(
    readonly redis: RedisConnection,
    readonly prefix = 'tw:',
  ) {
    this.offReady = redis.onReady(() => {
      for (const channel of this.channels.keys()) void this.redisSubscribe(channel);
    });
  }

  async publish<K extends PresenceChannel>(channel: K, message: PresenceChannels[K]): Promise<void> {
    const log = this.logging?.logFor(channel);
    if (!log || !this.logging) {
      await this.write(['PUBLISH', this.prefix + channel, JSON.stringify(message)]);
      return;
    }
    try {
      await this.logging.script.run(this.redis, [this.prefix, channel, log.stream, log.cap, log.marker ?? '', log.ttlMs, JSON.stringify(message)]);
    } catch {
      this.droppedWrites++;
    }
  }

  async subscribe<K extends PresenceChannel>(channel: K, handler: PresenceHandler<K>): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    const first = !set;
    if (!set) this.channels.set(channel, (set = new Set()));
    // Parsed JSON published on this channel by a node of this cluster, so of its type.
    const h: AnyHandler = (m) => handler(m as Parameters<PresenceHandler<K>>[0]);
    set.add(h);
    if (first) await this.redisSubscribe(channel);
    return async () => {
      const s = this.channels.get(channel);
      if (!s || !s.delete(h) || s.size > 0) return;
      this.channels.delete(channel);
      this.redis.commandsSent++;
      try {
        await this.redis.subscriber.unsubscribe(this.prefix + channel, this.listener);
      } catch {
        // Down: the channel is gone from our map, so it is not subscribed again on reconnect.
      }
    };
  }

  async hset(key: string, field: string, value: string): Promise<void> {
    await this.write(['HSET', this.prefix + key, field, value]);
  }

  hget(key: string, field: string): Promise<string | null> {
    return this.redis.send<string | null>(['HGET', this.prefix + key, field]);
  }

  async hdel(key: string, field: string): Promise<void> {
    await this.write(['HDEL', this.prefix + key, field]);
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    const flat = await this.redis.send<unknown>(['HGETALL', this.prefix + key]);
    // RESP2 answers a flat [field, value, …] list; RESP3 a map.
    if (Array.isArray(flat)) {
      const out: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
      return out;
    }
    return Object.fromEntries(Object.entries((flat ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }

  async hlen(key: string): Promise<number> {
    return (await this.redis.send<number>(['HLEN', this.prefix + key])) ?? 0;
  }

  async hincrby(key: string, field: string, by: number): Promise<number> {
    const n = await this.write<number>(['HINCRBY', this.prefix + key, field, String(by)]);
    return n ?? 0;
  }

  /** Live channel subscriptions (tests check nothing leaks). */
  subscriptionCount(): number {
    let n = 0;
    for (const s of this.channels.values()) n += s.size;
    return n;
  }

  async close(): Promise<void> {
    this.offReady();
    this.channels.clear();
  }

  private async write<T>(args: string[]): Promise<T | null> {
    try {
      return await this.redis.send<T>(args);
    } catch {
      this.droppedWrites++;
      return null;
    }
  }

  private async redisSubscribe(channel: string): Promise<void> {
    if (!this.redis.up) return; // subscribed on the next 'ready'
    this.redis.commandsSent++;
    try {
      await this.redis.subscriber.subscribe(this.prefix + channel, this.listener);
    } catch {
      // Lost mid-call: the reconnect handler subscribes again.
    }
  }

  private deliver(channel: string, raw: string): void {
    const handlers = this.channels.get(channel.slice(this.prefix.length));
    if (!handlers) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return; // not ours
    }
    message = unwrapLogged(message);
    for (const h of [...handlers]) {
      // Each handler gets its own copy, as LocalPresence's structured clone does.
      h(handlers.size === 1 ? message : structuredClone(message));
    }
  }
}

/** `{"feedId":n,"m":{…}}` (a logged message) → the message with `feedId` on it. */
export function unwrapLogged(message: unknown): unknown {
  if (typeof message !== 'object' || message === null) return message;
  const env = message as { feedId?: unknown; m?: unknown };
  if (typeof env.feedId !== 'number' || typeof env.m !== 'object' || env.m === null || Object.keys(env).length !== 2) return message;
  return { ...(env.m as object), feedId: env.feedId };
}
