/**
 * The public match list, kept in Presence so every node (and every lobby socket and SSE
 * stream on it) sees the same list, and each change is published on one channel. Private
 * matches never appear here; they are reachable only through their join code.
 */
import { phaseNames, type MatchListEntry } from '../../protocol/index.js';
import type { Presence } from '../presence/presence.js';
import type { Room } from '../rooms/room.js';

export const MATCHES_KEY = 'matches';
export const MATCHES_CHANNEL = 'lobby:matches';

/** A listed match: what the wire's MatchList carries, plus the URL of the node hosting it. */
export interface MatchSummary extends MatchListEntry {
  /** ws(s) URL of the node that hosts it (clients connect there directly). */
  url: string | null;
}

export type MatchListChange = { op: 'upsert'; match: MatchSummary } | { op: 'remove'; id: string };

declare module '../presence/presence.js' {
  interface PresenceChannels {
    'lobby:matches': MatchListChange;
  }
}

/**
 * `endsAt` is rounded to whole seconds so the summary (and so the published list) changes
 * when the phase does, not on every tick.
 */
export function summarize(room: Room, url: string | null, wallNow: number = Date.now()): MatchSummary {
  const left = room.msLeft;
  return {
    id: room.id,
    mode: room.mode.name,
    phase: phaseNames[room.phase],
    players: room.seatCount,
    bots: room.botCount,
    max: room.maxPlayers,
    spectators: room.spectatorCount,
    endsAt: Number.isFinite(left) && left > 0 ? Math.round((wallNow + left) / 1000) * 1000 : 0,
    url,
  };
}

/** Where summaries are kept: by default one Presence hash; a cluster keeps them in its registry. */
export interface MatchListStore {
  put(id: string, json: string): void;
  remove(id: string): void;
  all(): Promise<string[]>;
}

export class MatchListing {
  private readonly last = new Map<string, string>();
  private readonly store: MatchListStore;

  constructor(
    private readonly presence: Presence,
    private readonly url: () => string | null,
    /** The server's wall clock (epoch ms) for `endsAt`. */
    private readonly wallNow: () => number = Date.now,
    store?: MatchListStore,
  ) {
    this.store = store ?? {
      put: (id, json) => void presence.hset(MATCHES_KEY, id, json),
      remove: (id) => void presence.hdel(MATCHES_KEY, id),
      all: async () => Object.values(await presence.hgetall(MATCHES_KEY)),
    };
  }

  /** Publishes the room's summary if it changed since the last call. */
  update(room: Room): void {
    if (room.isPrivate) return;
    if (room.isDisposed) return this.remove(room);
    const match = summarize(room, this.url(), this.wallNow());
    const json = JSON.stringify(match);
    if (this.last.get(room.id) === json) return;
    this.last.set(room.id, json);
    this.store.put(room.id, json);
    void this.presence.publish(MATCHES_CHANNEL, { op: 'upsert', match } satisfies MatchListChange);
  }

  remove(room: Room): void {
    if (room.isPrivate || !this.last.delete(room.id)) return;
    this.store.remove(room.id);
    void this.presence.publish(MATCHES_CHANNEL, { op: 'remove', id: room.id } satisfies MatchListChange);
  }

  /** Every public match on every node. */
  async list(): Promise<MatchSummary[]> {
    return (await this.store.all())
      .map((j) => JSON.parse(j) as MatchSummary)
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}
