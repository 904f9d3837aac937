/**
 * The single-process Presence: plain maps. Messages are delivered on a microtask so
 * ordering matches a networked implementation: per channel, in publish order.
 */
import type { Presence, PresenceChannel, PresenceChannels, PresenceHandler } from './presence.js';

/** Handlers as stored: what a channel delivers is typed at subscribe(). */
type AnyHandler = (message: unknown) => void;

export class LocalPresence implements Presence {
  private readonly channels = new Map<string, Set<AnyHandler>>();
  private readonly hashes = new Map<string, Map<string, string>>();

  async publish<K extends PresenceChannel>(channel: K, message: PresenceChannels[K]): Promise<void> {
    const handlers = this.channels.get(channel);
    if (!handlers || handlers.size === 0) return;
    // A structured copy, as a serialized message would be: subscribers cannot share objects.
    const copy = structuredClone(message);
    for (const h of [...handlers]) queueMicrotask(() => h(copy));
  }

  async subscribe<K extends PresenceChannel>(channel: K, handler: PresenceHandler<K>): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    // Wrap so the same function subscribed twice yields two independent subscriptions.
    // The copy of a message published on this channel, so of this channel's type.
    const h: AnyHandler = (m) => handler(m as Parameters<PresenceHandler<K>>[0]);
    set.add(h);
    return async () => {
      const s = this.channels.get(channel);
      if (!s) return;
      s.delete(h);
      if (s.size === 0) this.channels.delete(channel);
    };
  }

  async hset(key: string, field: string, value: string): Promise<void> {
    let h = this.hashes.get(key);
    if (!h) this.hashes.set(key, (h = new Map()));
    h.set(field, value);
  }

  async hget(key: string, field: string): Promise<string | null> {
    return this.hashes.get(key)?.get(field) ?? null;
  }

  async hdel(key: string, field: string): Promise<void> {
    const h = this.hashes.get(key);
    if (!h) return;
    h.delete(field);
    if (h.size === 0) this.hashes.delete(key);
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.hashes.get(key) ?? []);
  }

  async hlen(key: string): Promise<number> {
    return this.hashes.get(key)?.size ?? 0;
  }

  async hincrby(key: string, field: string, by: number): Promise<number> {
    const cur = Number((await this.hget(key, field)) ?? '0');
    const next = cur + by;
    await this.hset(key, field, String(next));
    return next;
  }

  /** Number of live subscriptions (tests check nothing leaks). */
  subscriptionCount(): number {
    let n = 0;
    for (const s of this.channels.values()) n += s.size;
    return n;
  }

  async close(): Promise<void> {
    this.channels.clear();
    this.hashes.clear();
  }
}
