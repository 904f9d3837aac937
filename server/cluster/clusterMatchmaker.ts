/**
 * Matchmaking across nodes. Placement is one atomic Lua script on Redis (fullest open
 * match of the mode, else a new match on the least-loaded live, non-draining node), so
 * concurrent quick plays through any number of nodes never overfill a match and open a new
 * match only when every open one is full. The owning node then reserves the seat in its
 * Room and issues the ticket (NodeRpc; no round trip when that is this node); the answer
 * carries the owner's public URL and the client connects there — no sticky sessions.
 *
 * Round trips per quick play: one script, plus one PUBLISH (and its reply) when the owner
 * is another node. If the owner refuses (phase ended, draining, gone), the registry seat is
 * given back and placement runs again, at most `attempts` times.
 */
import { randomInt } from 'node:crypto';
import type { AuthUser } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import { RedisUnavailableError } from '../presence/redis/redisConnection.js';
import { generateJoinCode } from '../rooms/joinCode.js';
import type { RoomManager } from '../rooms/roomManager.js';
import { newRoomId } from '../rooms/roomManager.js';
import type { SeatFinder, SeatResult } from '../rooms/seatFinder.js';
import type { SeatGrantValue } from './clusterOwner.js';
import type { RoomOptions } from '../rooms/room.js';
import type { ClusterRegistry, Placement } from './clusterRegistry.js';
import type { NodeRpc } from './nodeRpc.js';

export interface ClusterMatchmakerDeps {
  rooms: RoomManager;
  registry: ClusterRegistry;
  rpc: NodeRpc;
  clock: Clock;
  /** This node answers with the request's Host when it has no --public-url (single-node behaviour). */
  hasPublicUrl: boolean;
  /** Counts answers refused because Redis is unreachable. */
  onUnavailable: () => void;
  attempts?: number;
}

/** `ownerGone`: the owner died or cannot take players now: placing again may succeed elsewhere. */
type Fail = Extract<SeatResult, { ok: false }> & { ownerGone?: boolean };
const fail = (status: number, error: string): Fail => ({ ok: false, status, error });

export class ClusterMatchmaker implements SeatFinder {
  constructor(private readonly d: ClusterMatchmakerDeps) {}

  quickPlay(user: AuthUser, mode: string): Promise<SeatResult> {
    if (!this.d.rooms.hasMode(mode)) return Promise.resolve(fail(400, `unknown mode "${mode}"`));
    return this.guard(() => this.place(user, mode, () => this.d.registry.quickPlay(mode, user.id, newRoomId(), this.d.rooms.maxSeats(mode))));
  }

  /** `overrides` (seats, bots, bot skill: plain data) travel to the owner, which opens the Room with them. */
  create(user: AuthUser, mode: string, isPrivate: boolean, overrides: Partial<RoomOptions> = {}): Promise<SeatResult> {
    if (!this.d.rooms.hasMode(mode)) return Promise.resolve(fail(400, `unknown mode "${mode}"`));
    return this.guard(async () => {
      for (let i = 0; i < 5; i++) {
        const code = isPrivate ? generateJoinCode(randomInt) : '';
        const max = Math.min(overrides.maxPlayers ?? Infinity, this.d.rooms.maxSeats(mode));
        const p = await this.d.registry.create(mode, user.id, newRoomId(), max, isPrivate, code);
        if (p.kind === 'code_taken') continue;
        if (p.kind === 'held') return fail(409, 'leave your current match first');
        const r = await this.seat(user, mode, p, isPrivate, code, overrides);
        // The chosen node died or is draining: it was evicted or skipped; place again.
        if (!r.ok && (r as Fail).ownerGone) continue;
        return r;
      }
      return fail(503, 'could not find a free join code: retry');
    });
  }

  joinByCode(user: AuthUser, code: string): Promise<SeatResult> {
    return this.guard(async () => {
      const matchId = await this.d.registry.matchOfCode(code);
      if (!matchId) return fail(404, `no match with code ${code}`);
      const p = await this.d.registry.join(matchId, user.id);
      if (p.kind === 'other') return fail(409, 'leave your current match first');
      if (p.kind === 'gone') return fail(404, `no match with code ${code}`);
      if (p.kind === 'full') return fail(409, 'match full');
      return this.seat(user, p.kind === 'seat' || p.kind === 'held' ? (p.mode ?? '') : '', p, true, code);
    });
  }

  resume(user: AuthUser, matchId: string): Promise<SeatResult> {
    return this.guard(async () => {
      const where = await this.d.registry.locate(matchId);
      if (!where) return fail(404, 'match not found');
      const r = await this.d.rpc.call(where.node, 'resume', { matchId, userId: user.id, name: user.name });
      if (r.ok) return this.granted(matchId, user, where.node, r.value as SeatGrantValue);
      if (!r.gone) return fail(r.status, r.error);
      // The match died with its node: say so (the client quick-plays again).
      await this.d.registry.evict(where.node).catch(() => undefined);
      return fail(404, 'match not found');
    });
  }

  private async place(user: AuthUser, mode: string, placement: () => Promise<Placement>): Promise<SeatResult> {
    let last: SeatResult = fail(503, 'matchmaking is busy: retry');
    for (let i = 0; i < (this.d.attempts ?? 3); i++) {
      const p = await placement();
      if (p.kind === 'none') return fail(503, 'no node can open a match: every node is full or draining');
      const r = await this.seat(user, mode, p, false, '');
      if (r.ok) return r;
      last = r;
      // 409/404: the owner's Room would not take the seat (ended, full, gone); a dead owner
      // (a player of a killed node retrying): place again, elsewhere.
      if (!(r as Fail).ownerGone && r.status !== 409 && r.status !== 404) return r;
    }
    return last;
  }

  /** Asks the owner to reserve the seat placed by `p`; gives it back when refused. */
  private async seat(user: AuthUser, mode: string, p: Placement, isPrivate: boolean, code: string, overrides?: Partial<RoomOptions>): Promise<SeatResult | Fail> {
    if (p.kind !== 'new' && p.kind !== 'seat' && p.kind !== 'held') return fail(503, 'no node can open a match: every node is full or draining');
    // Every request may create the room: the placement that created the entry and a
    // second player's seat in it can reach the owner in either order.
    const r = await this.d.rpc.call(p.node, 'seat', {
      matchId: p.matchId,
      mode,
      isPrivate,
      code,
      userId: user.id,
      name: user.name,
      create: mode !== '' && p.kind !== 'held',
      // A quick play into a running match must leave the player enough of it (the fair-join rule).
      quickPlay: !isPrivate && !overrides && p.kind === 'seat',
      overrides: overrides ?? {},
    });
    if (r.ok) return this.granted(p.matchId, user, p.node, r.value as SeatGrantValue);
    // The owner did not reserve: undo what the script did (best effort; the sweeper and
    // ticket expiry clean up whatever a lost Redis leaves behind).
    const undo = p.kind === 'new' ? this.d.registry.unregister(p.matchId) : this.d.registry.release(p.matchId, user.id, p.kind === 'seat');
    await undo.catch(() => undefined);
    if (r.gone) {
      await this.d.registry.evict(p.node).catch(() => undefined);
      return { ...fail(r.status, r.error), ownerGone: true };
    }
    if (r.elsewhere) return { ...fail(r.status, r.error), ownerGone: true };
    return fail(r.status, r.error);
  }

  private granted(matchId: string, user: AuthUser, node: string, v: SeatGrantValue): SeatResult {
    const local = node === this.d.registry.nodeId && !this.d.hasPublicUrl;
    return {
      ok: true,
      room: { id: matchId, joinCode: v.code },
      ticket: { id: v.ticket, userId: user.id, matchId, expiresAt: this.d.clock.now() + v.expiresInMs },
      ...(local ? {} : { url: v.url }),
    };
  }

  private async guard(fn: () => Promise<SeatResult>): Promise<SeatResult> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof RedisUnavailableError) {
        this.d.onUnavailable();
        return fail(503, e.message);
      }
      throw e;
    }
  }
}
