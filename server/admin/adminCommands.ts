/**
 * What an operator can do, independent of how the request arrives (`/admin` socket or
 * REST): see every match, kick a player, end a match, broadcast a server message. A
 * broadcast goes through Presence so every node shows it to its players and lobby.
 */
import { cleanText, CloseCode, encodeServer, phaseNames, ServerType } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { LobbyService } from '../lobby/lobbyService.js';
import type { Presence } from '../presence/presence.js';
import type { RoomManager } from '../rooms/roomManager.js';

export const ADMIN_BROADCAST_CHANNEL = 'admin:broadcast';

/** An operator's announcement, shown to every player and lobby socket on every node. */
export interface AdminBroadcast {
  text: string;
}

declare module '../presence/presence.js' {
  interface PresenceChannels {
    'admin:broadcast': AdminBroadcast;
  }
}
export const MAX_BROADCAST_LENGTH = 300;

export type CommandResult = { ok: true; body: unknown } | { ok: false; body: { error: string } };

export class AdminCommands {
  private unsubscribe: Promise<() => Promise<void>> | null = null;

  constructor(
    private readonly d: {
      rooms: RoomManager;
      lobby: LobbyService;
      presence: Presence;
      clock: Clock;
      drainMsLeft: () => number | null;
      /** In a cluster: the same command for a player or match on another node (null: not found there either). */
      remote?: {
        kick(userId: string, reason: string): Promise<CommandResult | null>;
        end(matchId: string, reason: string): Promise<CommandResult | null>;
      };
    },
  ) {}

  start(): void {
    this.unsubscribe = this.d.presence.subscribe(ADMIN_BROADCAST_CHANNEL, (m) => {
      const frame = encodeServer({ type: ServerType.Notice, kind: 'server', text: String(m.text) });
      for (const room of this.d.rooms.list()) room.broadcastDirect(frame, 'notice');
      this.d.lobby.broadcast(frame, 'notice');
    });
  }

  async stop(): Promise<void> {
    if (this.unsubscribe) await (await this.unsubscribe)();
  }

  overview(): { draining: boolean; drainMsLeft: number | null; matches: unknown[] } {
    const now = this.d.clock.now();
    const drainMsLeft = this.d.drainMsLeft();
    const matches = this.d.rooms.list().map((r) => ({
      id: r.id,
      mode: r.mode.name,
      phase: phaseNames[r.phase],
      private: r.isPrivate,
      tick: r.serverTick,
      ageSeconds: Math.round((now - r.createdAt) / 1000),
      maxPlayers: r.maxPlayers,
      bots: r.botCount,
      spectators: r.spectatorCount,
      players: r.seatList().map((s) => ({ userId: s.userId, name: s.name, playerId: s.playerId, status: s.status })),
      scores: r.scores(),
    }));
    return { draining: drainMsLeft !== null, drainMsLeft, matches };
  }

  /** Runs one command by name; `body` is untrusted input. */
  async run(method: string, body: unknown): Promise<CommandResult> {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const reason = typeof b.reason === 'string' && b.reason.trim() ? b.reason.trim().slice(0, 80) : 'no reason given';
    switch (method) {
      case 'matches.list':
        return { ok: true, body: this.overview() };
      case 'player.kick': {
        if (typeof b.userId !== 'string') return { ok: false, body: { error: 'userId required' } };
        const room = this.d.rooms.findSeat(b.userId);
        if (!room || !room.kick(b.userId, reason)) {
          const remote = await this.d.remote?.kick(b.userId, reason);
          return remote ?? { ok: false, body: { error: `player ${b.userId} is not in a match ${this.d.remote ? 'in the cluster' : 'on this node'}` } };
        }
        return { ok: true, body: { kicked: b.userId, matchId: room.id } };
      }
      case 'match.end': {
        const room = typeof b.matchId === 'string' ? this.d.rooms.get(b.matchId) : undefined;
        if (!room) return (typeof b.matchId === 'string' && (await this.d.remote?.end(b.matchId, reason))) || { ok: false, body: { error: 'match not found' } };
        room.dispose(CloseCode.MatchEnded, `match ended by an administrator: ${reason}`.slice(0, 120));
        return { ok: true, body: { ended: room.id } };
      }
      case 'broadcast': {
        const raw = typeof b.text === 'string' ? b.text.trim() : '';
        // Too long is refused (an operator should see it), invisible characters are stripped.
        const text = raw.length <= MAX_BROADCAST_LENGTH ? cleanText(raw, MAX_BROADCAST_LENGTH) : null;
        if (!text) return { ok: false, body: { error: `text: 1–${MAX_BROADCAST_LENGTH} characters` } };
        await this.d.presence.publish(ADMIN_BROADCAST_CHANNEL, { text });
        return { ok: true, body: { sent: true } };
      }
      default:
        return { ok: false, body: { error: `unknown method "${method}"; try matches.list, player.kick, match.end, broadcast` } };
    }
  }
}
