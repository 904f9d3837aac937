/**
 * REST routes: guest auth, quick-play matchmaking, the public match list. Each handler
 * reads request headers synchronously (uWS frees the request after the first await), then
 * works through an Exchange that is safe after aborts.
 */
import { checkName } from '../../protocol/text.js';
import { bearerFromHeader, type AuthUser, type TokenService } from '../auth/tokens.js';
import type { SeatFinder } from '../rooms/seatFinder.js';
import { RedisUnavailableError } from '../presence/redis/redisConnection.js';
import type { RoomManager } from '../rooms/roomManager.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../clock.js';
import type { TemplatedApp } from '../uws.js';
import { normalizeJoinCode } from '../rooms/joinCode.js';
import type { AbuseGuards } from '../limits/abuseGuards.js';
import { clientAddress } from './clientAddress.js';
import { Exchange, HttpError } from './exchange.js';
import { tooManyRequests } from './tooManyRequests.js';
import { seatResponse, wsBase } from './seatResponse.js';

export interface ApiDeps {
  app: TemplatedApp;
  tokens: TokenService;
  matchmaker: SeatFinder;
  rooms: RoomManager;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
  /** ws(s)://host[:port] clients connect to; null → derived from the request's Host header. */
  publicUrl: string | null;
  /** The mode a matchmake without `mode` gets (the first registered). */
  defaultMode: string;
  guards: AbuseGuards;
  /** Header a trusted reverse proxy sets with the client address; null → the TCP peer. */
  trustedProxyHeader: string | null;
}

export function registerApiRoutes(d: ApiDeps): void {
  const authenticate = (authorization: string, ex: Exchange): AuthUser | null => {
    const v = d.tokens.verify(bearerFromHeader(authorization));
    if (v.ok) return v.user;
    d.metrics.authFailures.inc({ reason: `api_${v.reason}` });
    ex.error(401, v.reason === 'expired' ? 'token expired' : 'missing or invalid bearer token');
    return null;
  };

  const fail = (ex: Exchange, e: unknown) => {
    if (e instanceof HttpError) return ex.error(e.status, e.message);
    if (e instanceof RedisUnavailableError) return ex.error(503, e.message);
    d.log.error({ err: e }, 'api handler failed');
    ex.error(500, 'internal error');
  };

  d.app.post('/api/auth/guest', (res, req) => {
    const ex = new Exchange(res);
    // RS256 mode: players sign in with the operator's identity provider, unless guests are allowed.
    if (!d.tokens.guestsEnabled) return ex.error(404, 'guest sign-in is disabled on this server: sign in with your account');
    // Guest identities are free, so they are what a seat-flooding script mints first.
    const limited = d.guards.check('guest_signups', d.guards.guestSignups.take(clientAddress(res, req, d.trustedProxyHeader)));
    if (!limited.ok) return tooManyRequests(ex, limited.retryAfterSeconds, 'too many guest sign-ups from your address: try again later');
    ex.readJson()
      .then((body) => {
        const checked = checkName((body as { name?: unknown } | null)?.name);
        if (!checked.ok) throw new HttpError(400, checked.error);
        const name = checked.name;
        const { token, user } = d.tokens.issueGuest(name);
        ex.json(200, { token, player: { id: user.id, name: user.name } });
      })
      .catch((e) => fail(ex, e));
  });

  d.app.post('/api/matchmake', (res, req) => {
    const ex = new Exchange(res);
    const authorization = req.getHeader('authorization');
    const host = req.getHeader('host');
    const user = authenticate(authorization, ex);
    if (!user) return;
    const limited = d.guards.check('matchmakes', d.guards.matchmakes.take(user.id));
    if (!limited.ok) return tooManyRequests(ex, limited.retryAfterSeconds, 'too many matchmaking requests: wait a moment');
    ex.readJson()
      .then(async (body) => {
        const mode = (body as { mode?: unknown } | null)?.mode ?? d.defaultMode;
        if (typeof mode !== 'string' || mode.length > 32) throw new HttpError(400, 'mode must be a string');
        // {"resume": matchId}: back into this user's seat of that match, or 404 when it is gone.
        const resume = (body as { resume?: unknown } | null)?.resume;
        if (resume !== undefined && (typeof resume !== 'string' || resume.length < 1 || resume.length > 64)) {
          throw new HttpError(400, 'resume must be a match id');
        }
        // {"code": "ABCDEF"}: join a private match by its code.
        const rawCode = (body as { code?: unknown } | null)?.code;
        if (rawCode !== undefined && typeof rawCode !== 'string') throw new HttpError(400, 'code must be a string');
        if (rawCode !== undefined && resume === undefined) {
          const guess = d.guards.check('join_codes', d.guards.joinCodes.take(user.id));
          if (!guess.ok) return tooManyRequests(ex, guess.retryAfterSeconds, 'too many join-code attempts: wait a moment');
        }
        const r = await (
          resume !== undefined
            ? d.matchmaker.resume(user, resume)
            : rawCode !== undefined
              ? d.matchmaker.joinByCode(user, normalizeJoinCode(rawCode) ?? rawCode.slice(0, 12))
              : d.matchmaker.quickPlay(user, mode));
        if (!r.ok) throw new HttpError(r.status, r.error);
        ex.json(200, seatResponse(r.room, r.ticket, r.url ?? wsBase(d.publicUrl, host), d.clock));
      })
      .catch((e) => fail(ex, e));
  });

}
