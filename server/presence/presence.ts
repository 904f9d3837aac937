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
export type PresenceHandler = (message: unknown) => void;

export interface Presence {
  /** Delivers `message` (JSON-serializable) to every subscriber of `channel` on every node. */
  publish(channel: string, message: unknown): Promise<void>;
  /** Returns a function that removes exactly this subscription. */
  subscribe(channel: string, handler: PresenceHandler): Promise<() => Promise<void>>;

  /** Key/value with optional expiry (ms). */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<void>;

  /** Hashes: the match registry and per-node counters. */
  hset(key: string, field: string, value: string): Promise<void>;
  hget(key: string, field: string): Promise<string | null>;
  hdel(key: string, field: string): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
  hincrby(key: string, field: string, by: number): Promise<number>;

  close(): Promise<void>;
}
