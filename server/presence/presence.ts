/**
 * Presence: the state and messaging that must be shared once there is more than one
 * process (Colyseus's Presence, Socket.IO's adapter). Everything above this interface —
 * lobby, notifications, match registry — talks only to it, so one process runs on
 * LocalPresence (in memory, the default) and a cluster on RedisPresence, unchanged.
 *
 * All methods are async because the Redis implementation is; LocalPresence resolves at once
 * but still delivers published messages asynchronously (a microtask later), as Redis would,
 * so no caller can come to depend on synchronous delivery.
 */

/**
 * Channel name → message type. Presence names no channel itself: each service declares
 * its own beside the channel's name, by augmenting this interface —
 *
 *   declare module '../presence/presence.js' {
 *     interface PresenceChannels { 'lobby:chat': ChatLine }
 *   }
 *
 * — so publish and subscribe are typed per channel without casts at the call sites.
 * A host's own code may add channels the same way.
 */
export interface PresenceChannels {}

export type PresenceChannel = keyof PresenceChannels & string;

/**
 * A message as subscribers receive it: a copy of what was published. On a channel the
 * cluster logs for resumable streams (server/cluster/clusterEventFeed.ts) it also carries
 * the log's `feedId`.
 */
export type Delivered<T> = T & { readonly feedId?: number };

export type PresenceHandler<K extends PresenceChannel> = (message: Delivered<PresenceChannels[K]>) => void;

export interface Presence {
  /** Delivers `message` (JSON-serializable) to every subscriber of `channel` on every node. */
  publish<K extends PresenceChannel>(channel: K, message: PresenceChannels[K]): Promise<void>;
  /** Returns a function that removes exactly this subscription. */
  subscribe<K extends PresenceChannel>(channel: K, handler: PresenceHandler<K>): Promise<() => Promise<void>>;

  /** Hashes: the match listing and per-user online counts. */
  hset(key: string, field: string, value: string): Promise<void>;
  hget(key: string, field: string): Promise<string | null>;
  hdel(key: string, field: string): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
  /** Number of fields in the hash (0 when absent): a count without copying the hash. */
  hlen(key: string): Promise<number>;
  hincrby(key: string, field: string, by: number): Promise<number>;

  close(): Promise<void>;
}
