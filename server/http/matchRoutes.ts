/**
 * Matches beyond quick play:
 *   GET  /api/matches                       public matches on every node (never private ones)
 *   POST /api/matches {"mode","private",    opens a match with the caller's seat reserved;
 *        "bots","seats",…mode fields}         a private one answers with its 6-letter `code`;
 *                                           options: ./matchOptions.ts
 *   POST /api/invite {"playerId"}           sends the caller's private-match code to a player
 */
import type { TokenService } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import type { MatchListing } from '../lobby/matchListing.js';
import type { UserInbox } from '../notifications/userInbox.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../observability/logger.js';
import type { SeatFinder } from '../rooms/seatFinder.js';
import { RedisUnavailableError } from '../presence/redis/redisConnection.js';
import type { RoomManager } from '../rooms/roomManager.js';
import type { TemplatedApp } from '../uws.js';
import { authenticateBearer } from './bearerAuth.js';
import type { AbuseGuards } from '../limits/abuseGuards.js';
import { Exchange, HttpError } from './exchange.js';
import { parseMatchOptions, roomOverrides } from './matchOptions.js';
import { tooManyRequests } from './tooManyRequests.js';
import { seatResponse, wsBase } from './seatResponse.js';

export interface MatchRouteDeps {
  app: TemplatedApp;
  tokens: TokenService;
  matchmaker: SeatFinder;
  rooms: RoomManager;
  listing: MatchListing;
  inbox: UserInbox;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
  publicUrl: string | null;
  /** The mode a request without `mode` gets (the first registered). */
  defaultMode: string;
  /** In a cluster: the match (id, code) where this user is seated, on whichever node. */
  seatedMatch?: (userId: string) => Promise<{ id: string; joinCode: string | null } | null>;
  guards: AbuseGuards;
}

export function registerMatchRoutes(d: MatchRouteDeps): void {
  const fail = (ex: Exchange, e: unknown) => {
    if (e instanceof HttpError) return ex.error(e.status, e.message);
    if (e instanceof RedisUnavailableError) return ex.error(503, e.message);
    d.log.error({ err: e }, 'match route failed');
    ex.error(500, 'internal error');
  };

  d.app.get('/api/matches', (res) => {
    const ex = new Exchange(res);
    d.listing.list().then(
      (matches) => ex.json(200, { matches: matches.map(({ url: _url, ...m }) => m) }),
      (e) => fail(ex, e),
    );
  });

  d.app.post('/api/matches', (res, req) => {
    const ex = new Exchange(res);
    const host = req.getHeader('host');
    const user = authenticateBearer(d.tokens, d.metrics, req.getHeader('authorization'), ex);
    if (!user) return;
    // Opening a match reserves a seat: the same per-user budget as quick play.
    const limited = d.guards.check('matchmakes', d.guards.matchmakes.take(user.id));
    if (!limited.ok) return tooManyRequests(ex, limited.retryAfterSeconds, 'too many matchmaking requests: wait a moment');
    ex.readJson()
      .then(async (body) => {
        const b = (body ?? {}) as { mode?: unknown; private?: unknown };
        const mode = b.mode ?? d.defaultMode;
        if (typeof mode !== 'string' || mode.length > 32) throw new HttpError(400, 'mode must be a string');
        if (b.private !== undefined && typeof b.private !== 'boolean') throw new HttpError(400, 'private must be true or false');
        if (!d.rooms.hasMode(mode)) throw new HttpError(400, `unknown mode "${mode}"`);
        const parsed = parseMatchOptions(b as Record<string, unknown>, d.rooms.maxSeats(mode), d.rooms.modeOf(mode)!.mode);
        if (!parsed.ok) throw new HttpError(400, parsed.error);
        const r = await d.matchmaker.create(user, mode, b.private === true, roomOverrides(parsed.options));
        if (!r.ok) throw new HttpError(r.status, r.error);
        ex.json(201, seatResponse(r.room, r.ticket, r.url ?? wsBase(d.publicUrl, host), d.clock));
      })
      .catch((e) => fail(ex, e));
  });

  d.app.post('/api/invite', (res, req) => {
    const ex = new Exchange(res);
    const user = authenticateBearer(d.tokens, d.metrics, req.getHeader('authorization'), ex);
    if (!user) return;
    const limited = d.guards.check('invites', d.guards.invites.take(user.id));
    if (!limited.ok) return tooManyRequests(ex, limited.retryAfterSeconds, 'too many invites: wait a moment');
    ex.readJson()
      .then(async (body) => {
        const playerId = (body as { playerId?: unknown } | null)?.playerId;
        if (typeof playerId !== 'string' || playerId.length < 1 || playerId.length > 128) throw new HttpError(400, 'playerId must be a player id');
        if (playerId === user.id) throw new HttpError(400, 'you cannot invite yourself');
        const room = d.rooms.findSeat(user.id) ?? (await d.seatedMatch?.(user.id)) ?? null;
        if (!room || !room.joinCode) throw new HttpError(409, 'create a private match first, then invite');
        // Notifications are not stored for offline players: say so instead of pretending.
        const online = await d.inbox.isOnline(playerId);
        if (online) {
          await d.inbox.notify(playerId, {
            kind: 'invite',
            text: `${user.name} invites you to a private match (code ${room.joinCode})`,
            data: { code: room.joinCode, matchId: room.id, from: user.name, fromId: user.id },
          });
        }
        ex.json(200, { delivered: online, code: room.joinCode });
      })
      .catch((e) => fail(ex, e));
  });
}
