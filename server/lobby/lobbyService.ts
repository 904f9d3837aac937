/**
 * The lobby: who is online, lobby chat, the live public match list, and each player's
 * notifications, for every `/lobby` socket on this node. Chat and match-list changes come
 * through Presence channels, so a message said on one node reaches lobbies on all of them;
 * each frame is encoded once and published to the node's `lobby` topic.
 */
import { cleanText, encodeServer, Limits, MatchListOp, ServerType, type MatchListEntry } from '../../protocol/index.js';
import type { AuthUser } from '../auth/tokens.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { UserInbox } from '../notifications/userInbox.js';
import type { Presence } from '../presence/presence.js';
import type { Broadcaster, Connection } from '../rooms/connection.js';
import { MATCHES_CHANNEL, type MatchListing, type MatchSummary } from './matchListing.js';

export const LOBBY_TOPIC = 'lobby';
export const CHAT_CHANNEL = 'lobby:chat';

/** One lobby chat line, already cleaned (protocol/text.ts). */
export interface ChatLine {
  from: string;
  text: string;
}

declare module '../presence/presence.js' {
  interface PresenceChannels {
    'lobby:chat': ChatLine;
  }
}

export interface LobbyMember {
  user: AuthUser;
  conn: Connection;
  detachInbox: () => void;
}

function entry(m: MatchSummary): MatchListEntry {
  return { id: m.id, mode: m.mode, phase: m.phase, players: m.players, bots: m.bots, max: m.max, spectators: m.spectators, endsAt: m.endsAt ?? 0 };
}

export class LobbyService {
  private readonly members = new Set<LobbyMember>();
  private readonly unsubscribers: Array<Promise<() => Promise<void>>> = [];
  private onlineTimer: TimerHandle | null = null;
  private lastOnline = -1;
  private stopped = false;

  constructor(
    private readonly d: {
      presence: Presence;
      inbox: UserInbox;
      listing: MatchListing;
      broadcaster: Broadcaster;
      clock: Clock;
      /** How often the online count is recomputed and pushed if it changed, ms. */
      onlineIntervalMs: number;
    },
  ) {}

  start(): void {
    this.unsubscribers.push(
      this.d.presence.subscribe(CHAT_CHANNEL, (m) => {
        const { from, text } = m;
        this.publish(encodeServer({ type: ServerType.Chat, from, text }), 'chat');
      }),
      this.d.presence.subscribe(MATCHES_CHANNEL, (m) => {
        const change = m;
        const frame =
          change.op === 'upsert'
            ? encodeServer({ type: ServerType.MatchList, op: MatchListOp.Upsert, matches: [entry(change.match)], removed: [] })
            : encodeServer({ type: ServerType.MatchList, op: MatchListOp.Remove, matches: [], removed: [change.id] });
        this.publish(frame, 'matchlist');
      }),
    );
    const tick = () => {
      if (this.stopped) return;
      // A failed read (a cluster's Redis is down) skips this round; the next one catches up.
      void this.pushOnline()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.onlineTimer = this.d.clock.setTimeout(tick, this.d.onlineIntervalMs);
        });
    };
    this.onlineTimer = this.d.clock.setTimeout(tick, this.d.onlineIntervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.onlineTimer?.cancel();
    for (const m of this.members) {
      m.detachInbox();
      if (!m.conn.closed) m.conn.close(1001, 'server shutting down');
    }
    this.members.clear();
    for (const u of this.unsubscribers) await (await u)();
  }

  get size(): number {
    return this.members.size;
  }

  /** A lobby socket opened: send the current state, then keep it updated. */
  async join(user: AuthUser, conn: Connection): Promise<LobbyMember> {
    const { detach, ready } = this.d.inbox.attach(user.id, (n) =>
      conn.send(encodeServer({ type: ServerType.Notification, kind: n.kind, text: n.text, data: n.data }), 'notification'),
    );
    const member: LobbyMember = { user, conn, detachInbox: detach };
    this.members.add(member);
    conn.subscribe(LOBBY_TOPIC);
    await ready;
    let matches: MatchSummary[];
    let online: number;
    try {
      [matches, online] = await Promise.all([this.d.listing.list(), this.onlineCount()]);
    } catch {
      // The shared state is unreachable (a cluster lost Redis): say so instead of showing nothing.
      if (!conn.closed) conn.close(1013, 'lobby unavailable: try again shortly');
      return member;
    }
    if (conn.closed) return member;
    conn.send(encodeServer({ type: ServerType.LobbyState, online }), 'lobby');
    conn.send(encodeServer({ type: ServerType.MatchList, op: MatchListOp.Full, matches: matches.map(entry), removed: [] }), 'matchlist');
    return member;
  }

  leave(member: LobbyMember): void {
    if (!this.members.delete(member)) return;
    member.detachInbox();
  }

  /** Says something in lobby chat (already rate-limited by the caller). False when nothing was left to say. */
  chat(user: AuthUser, raw: string): boolean {
    const text = cleanText(raw, Limits.maxChatLength);
    if (!text) return false;
    void this.d.presence.publish(CHAT_CHANNEL, { from: user.name, text });
    return true;
  }

  /** Sends an already-encoded frame to every lobby socket on this node. */
  broadcast(frame: Uint8Array, kind: string): void {
    this.publish(frame, kind);
  }

  private publish(frame: Uint8Array, kind: string): void {
    if (this.members.size > 0) this.d.broadcaster.publish(LOBBY_TOPIC, frame, kind, this.members.size);
  }

  private async onlineCount(): Promise<number> {
    return this.d.inbox.onlineCount();
  }

  private async pushOnline(): Promise<void> {
    const online = await this.onlineCount();
    if (online === this.lastOnline) return;
    this.lastOnline = online;
    this.publish(encodeServer({ type: ServerType.LobbyState, online }), 'lobby');
  }
}
