/**
 * The play feature: quick play and match creation (REST), the matchmaker (this process's,
 * or the cluster's), and the `/play` and `/spectate` sockets. Refuses new matches and
 * players once a drain starts.
 */
import { registerApiRoutes } from '../http/apiRoutes.js';
import { registerMatchRoutes } from '../http/matchRoutes.js';
import { Matchmaker } from '../rooms/matchmaker.js';
import { countSeats, type SeatCounts } from '../rooms/seatCapacity.js';
import type { SeatFinder } from '../rooms/seatFinder.js';
import { registerPlayRoute, type PlayHandlers } from '../transport/playRoute.js';
import { registerSpectateRoute } from '../transport/spectateRoute.js';
import type { Core } from './core.js';
import type { Feature } from './feature.js';

export interface PlayFeature extends Feature {
  readonly matchmaker: SeatFinder;
  /** Seats held and free on this process (readiness and the seats gauge). */
  seats(): SeatCounts;
  /** What a `/play` connection does, for the long-polling transport to share (app/polling.ts). */
  readonly playHandlers: PlayHandlers;
}

export function startPlay(c: Core, draining: () => boolean): PlayFeature {
  const { config, clock, rooms, tickets, cluster } = c;
  const matchmaker: SeatFinder = cluster
    ? cluster.attach({
        rooms,
        inbox: c.inbox,
        tickets,
        publicUrl: config.publicUrl,
        host: config.host,
        maxMatches: config.maxMatches,
        minJoinMsLeft: config.minJoinTimeLeftMs,
        draining,
      })
    : new Matchmaker(rooms, tickets, { minJoinMsLeft: config.minJoinTimeLeftMs });
  // A new match gets the default (quick-play) mode's seats.
  const seats = () => countSeats(rooms, config.maxMatches, rooms.maxSeats(c.defaultMode));
  c.metrics.countSeatsBy(seats);

  const http = { app: c.app, tokens: c.tokens, matchmaker, rooms, metrics: c.metrics, log: c.log, clock, publicUrl: config.publicUrl, defaultMode: c.defaultMode, guards: c.guards };
  registerApiRoutes({ ...http, trustedProxyHeader: config.trustedProxyHeader });
  registerMatchRoutes({
    ...http,
    listing: c.listing,
    inbox: c.inbox,
    seatedMatch: cluster ? (userId) => cluster.seatedMatch(userId) : undefined,
  });
  const play = registerPlayRoute(c.ns, {
    tickets,
    rooms,
    clock,
    log: c.log,
    maxFrameBytes: config.maxFrameBytes,
    maxInputsPerSecond: config.maxInputsPerSecond,
    idleTimeoutSeconds: config.idleTimeoutSeconds,
    chatPerSecond: config.lobbyChatPerSecond,
  });
  const spectate = registerSpectateRoute(c.ns, { rooms, clock, idleTimeoutSeconds: config.idleTimeoutSeconds, maxFrameBytes: config.maxFrameBytes });
  return {
    matchmaker,
    seats,
    playHandlers: play.handlers,
    stop() {
      play.stop();
      spectate.stop();
    },
  };
}
