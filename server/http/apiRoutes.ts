/**
 * REST routes: guest auth, quick-play matchmaking, the public match list. Each handler
 * reads request headers synchronously (uWS frees the request after the first await), then
 * works through an Exchange that is safe after aborts.
 */
import { bearerFromHeader, normalizeName, type AuthUser, type TokenService } from '../auth/tokens.js';
import type { SeatFinder } from '../rooms/seatFinder.js';
import { RedisUnavailableError } from '../presence/redis/redisConnection.js';
import type { RoomManager } from '../rooms/roomManager.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../clock.js';
import type { TemplatedApp } from '../uws.js';
import { normalizeJoinCode } from '../rooms/joinCode.js';
import { Exchange, HttpError } from './exchange.js';
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

  d.app.post('/api/auth/guest', (res) => {
    const ex = new Exchange(res);
    // RS256 mode: players sign in with the operator's identity provider, unless guests are allowed.
    if (!d.tokens.guestsEnabled) return ex.error(404, 'guest sign-in is disabled on this server: sign in with your account');
    ex.readJson()
      .then((body) => {
        const name = normalizeName((body as { name?: unknown } | null)?.name);
        if (!name) throw new HttpError(400, 'name must be 1–16 printable characters');
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
    ex.readJson()
      .then(async (body) => {
        const mode = (body as { mode?: unknown } | null)?.mode ?? 'arena';
        if (typeof mode !== 'string' || mode.length > 32) throw new HttpError(400, 'mode must be a string');
        // {"resume": matchId}: back into this user's seat of that match, or 404 when it is gone.
        const resume = (body as { resume?: unknown } | null)?.resume;
        if (resume !== undefined && (typeof resume !== 'string' || resume.length < 1 || resume.length > 64)) {
          throw new HttpError(400, 'resume must be a match id');
        }
        // {"code": "ABCDEF"}: join a private match by its code.
        const rawCode = (body as { code?: unknown } | null)?.code;
        if (rawCode !== undefined && typeof rawCode !== 'string') throw new HttpError(400, 'code must be a string');
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
