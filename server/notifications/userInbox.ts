/**
 * Per-user rooms (Socket.IO's "each socket joins a room named after its user"): every
 * connection a user has on this node — play socket, lobby socket, SSE stream — registers a
 * sink here, and a notification published on the user's Presence channel reaches all of
 * them, on whichever node they are. This node subscribes to a user's channel while it has
 * at least one of their sinks, and drops the subscription with the last one.
 *
 * Notifications for users with no connection anywhere are not stored: they are dropped
 * (documented in README) — a game notification ("match starting") is stale by the time an
 * offline player could read it.
 */
import type { Presence } from '../presence/presence.js';
import { userChannel, type Notification } from './notification.js';

export type NotificationSink = (n: Notification) => void;

/** Presence hash of users with at least one connection: field = user id, value = nodes' count. */
export const ONLINE_KEY = 'online';

/**
 * Who is online: by default one Presence hash (field = user id, value = connections' count
 * over all nodes). A cluster keeps one hash per node instead, so a node that dies takes its
 * users out of the count with it (server/cluster/clusterOnline.ts).
 */
export interface OnlineStore {
  /** A user's first connection on this node opened (+1) or its last one closed (−1). */
  change(userId: string, by: 1 | -1): void;
  count(): Promise<number>;
  isOnline(userId: string): Promise<boolean>;
}

export function presenceOnlineStore(presence: Presence): OnlineStore {
  return {
    change: (userId, by) => {
      void presence.hincrby(ONLINE_KEY, userId, by).then((n) => (by < 0 && n <= 0 ? presence.hdel(ONLINE_KEY, userId) : undefined));
    },
    // HLEN, not HGETALL: the lobby recounts every couple of seconds, and copying every online
    // user's entry to count them was one of the server's larger steady allocations.
    count: () => presence.hlen(ONLINE_KEY),
    isOnline: async (userId) => Number((await presence.hget(ONLINE_KEY, userId)) ?? '0') > 0,
  };
}

interface Entry {
  sinks: Set<NotificationSink>;
  unsubscribe: Promise<() => Promise<void>>;
}

export class UserInbox {
  private readonly users = new Map<string, Entry>();

  private readonly online: OnlineStore;

  constructor(
    private readonly presence: Presence,
    online?: OnlineStore,
  ) {
    this.online = online ?? presenceOnlineStore(presence);
  }

  /** Users with at least one connection on this node. */
  localUsers(): string[] {
    return [...this.users.keys()];
  }

  /**
   * Starts delivering the user's notifications to `sink`. `ready` resolves once the
   * subscription is live on the Presence (immediately in memory; a round trip on Redis).
   */
  attach(userId: string, sink: NotificationSink): { detach: () => void; ready: Promise<void> } {
    let entry = this.users.get(userId);
    if (!entry) {
      const sinks = new Set<NotificationSink>();
      const unsubscribe = this.presence.subscribe(userChannel(userId), (m) => {
        for (const s of [...sinks]) s(m);
      });
      entry = { sinks, unsubscribe };
      this.users.set(userId, entry);
      this.online.change(userId, 1);
    }
    const e = entry;
    const wrapped: NotificationSink = (n) => sink(n);
    e.sinks.add(wrapped);
    const detach = () => {
      if (!e.sinks.delete(wrapped)) return;
      if (e.sinks.size === 0 && this.users.get(userId) === e) {
        this.users.delete(userId);
        void e.unsubscribe.then((off) => off());
        this.online.change(userId, -1);
      }
    };
    return { detach, ready: e.unsubscribe.then(() => undefined) };
  }

  /** Whether the user has a connection on this node. */
  isLocal(userId: string): boolean {
    return this.users.has(userId);
  }

  /** Users connected anywhere (lobby, match or event stream), on any node. */
  onlineCount(): Promise<number> {
    return this.online.count();
  }

  /** Whether the user has a connection on any node. */
  isOnline(userId: string): Promise<boolean> {
    return this.online.isOnline(userId);
  }

  /** Publishes to the user's channel (reaches every node). */
  notify(userId: string, n: Notification): Promise<void> {
    return this.presence.publish(userChannel(userId), n);
  }
}
