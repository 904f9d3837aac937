/**
 * Assembles one Tickwire server process: config → auth, rooms, matchmaker → HTTP routes
 * and WebSocket namespaces on one uWS app. `startServer` resolves once listening and
 * returns a handle whose `close()` ends matches, sockets and timers, and whose `drain()`
 * winds matches down gracefully first (server/drain.ts).
 */
import { TicketStore } from './auth/tickets.js';
import { TokenService } from './auth/tokens.js';
import { systemClock, type Clock } from './clock.js';
import type { ServerConfig } from './config.js';
import { Drainer, type DrainReport } from './drain.js';
import { registerAdminRoutes } from './http/adminRoutes.js';
import { registerApiRoutes } from './http/apiRoutes.js';
import { registerHealthRoutes } from './http/healthRoutes.js';
import { Exchange } from './http/exchange.js';
import { acceptsGzip, loadStaticFiles } from './http/staticFiles.js';
import { createLogger, type Logger } from './observability/logger.js';
import { LoopHealth } from './observability/loopHealth.js';
import { MatchLogs } from './observability/matchLogs.js';
import { Metrics } from './observability/metrics.js';
import type { RegisteredMode } from './modes/modeRegistry.js';
import type { PlayerTokenVerifier } from './auth/tokens.js';
import { Matchmaker } from './rooms/matchmaker.js';
import { RoomManager } from './rooms/roomManager.js';
import { CloseCode, phaseNames } from '../protocol/index.js';
import { registerPlayRoute } from './transport/playRoute.js';
import { registerLobbyRoute } from './transport/lobbyRoute.js';
import { registerAdminRoute } from './transport/adminRoute.js';
import { AdminCommands } from './admin/adminCommands.js';
import { registerSpectateRoute } from './transport/spectateRoute.js';
import { registerEventStreamRoutes } from './http/eventStreamRoutes.js';
import { registerMatchRoutes } from './http/matchRoutes.js';
import { EventFeed } from './lobby/eventFeed.js';
import { LobbyService } from './lobby/lobbyService.js';
import { matchEventHooks } from './lobby/matchEventHooks.js';
import { MatchListing } from './lobby/matchListing.js';
import { UserInbox } from './notifications/userInbox.js';
import { LocalPresence } from './presence/localPresence.js';
import { ClusterNode } from './cluster/clusterNode.js';
import type { SeatFinder } from './rooms/seatFinder.js';
import type { RoomHooks } from './rooms/room.js';
import type { Presence } from './presence/presence.js';
import { combineHooks } from './rooms/combineHooks.js';
import { UwsBroadcaster } from './transport/uwsConnection.js';
import { AbuseGuards } from './limits/abuseGuards.js';
import { countSeats } from './rooms/seatCapacity.js';
import { withRequestLimits } from './http/requestLimits.js';
import { listenExclusive } from './listen.js';
import { listenShared } from './cluster/sharedListen.js';
import { loadUws, uwsBuildName } from './uws.js';

export { HostNotLocalError, PortInUseError } from './listen.js';

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Registered modes (server/modes/modeRegistry.ts) and the default one's tag. */
  modes: ReadonlyMap<string, RegisteredMode>;
  defaultMode: string;
  /** The metrics registry to fill; default a new one. */
  metrics?: Metrics;
  verifyPlayer?: PlayerTokenVerifier;
  /** A host's room hooks, chained after the server's. */
  hooks?: RoomHooks;
  /** Shared state and pub/sub; default LocalPresence (one process). */
  presence?: Presence;
  /** A second port serving the same routes, this process's own (a --workers worker's play port). */
  playPort?: number;
}

export interface RunningServer {
  readonly port: number;
  readonly config: ServerConfig;
  readonly rooms: RoomManager;
  readonly metrics: Metrics;
  readonly tokens: TokenService;
  readonly log: Logger;
  /** True once a drain has started. */
  readonly draining: boolean;
  /**
   * Graceful shutdown, step one: no new matches or players, players told, running matches
   * end by themselves or at `deadlineMs`. Resolves when no match is left; then call close().
   */
  drain(deadlineMs: number): Promise<DrainReport>;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, options: StartOptions): Promise<RunningServer> {
  const uWS = loadUws();
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? createLogger(config.logLevel);
  const metrics = options.metrics ?? new Metrics({ defaultMetrics: true });
  // --redis: join the cluster first, so an unreachable Redis fails the start with one line.
  const cluster = config.redisUrl && !options.presence ? await ClusterNode.connect({ url: config.redisUrl, clock, log, metrics }) : null;
  const tokens = new TokenService({
    secret: config.jwtSecret,
    ttlSeconds: config.tokenTtlSeconds,
    publicKey: config.jwtPublicKey,
    keyId: config.jwtKeyId,
    allowGuest: config.allowGuest,
    adminSecret: config.adminSecret,
    verifyPlayer: options.verifyPlayer,
  });
  if (tokens.generatedSecret) {
    log.warn('TICKWIRE_JWT_SECRET is not set: using a random per-process secret; tokens stop working when the process restarts');
  }
  const matchLogs = new MatchLogs(log);

  const rawApp = uWS.App();
  // Routes register on the guarded app (request size limits); the hot publish path uses the raw one.
  const app = withRequestLimits(rawApp, { limits: config.requestLimits, clock, metrics });
  const broadcaster = new UwsBroadcaster(rawApp, metrics);
  const presence = options.presence ?? cluster?.presence ?? new LocalPresence(clock);
  const inbox = new UserInbox(presence, cluster?.online);
  const listing = new MatchListing(presence, () => config.publicUrl, () => clock.wallNow(), cluster?.listStore);
  const rooms = new RoomManager({
    clock,
    broadcaster,
    modes: options.modes,
    maxRooms: config.maxMatches,
    seed: config.seed,
    roomDefaults: {
      tickRate: config.tickRate,
      snapshotRate: config.snapshotRate,
      maxPlayers: config.maxPlayersPerMatch,
      reconnectGraceMs: config.reconnectGraceMs,
      botFillDelayMs: config.botFillDelayMs,
      softBufferBytes: config.sendBufferSoftBytes,
      hardBufferBytes: config.sendBufferHardBytes,
    },
    hooks: combineHooks(matchEventHooks(listing, inbox), cluster?.hooks ?? {}, {
      onCreate: (room) => {
        matchLogs.of(room).info({ mode: room.mode.name }, 'match created');
      },
      onPhase: (room, phase) => {
        matchLogs.of(room).info({ phase: phaseNames[phase] }, 'match phase');
      },
      onDispose: (room) => {
        matchLogs.of(room).info('match disposed');
        drainer.matchDisposed();
      },
      onJoin: (room, seat, resumed) => {
        if (!resumed) {
          metrics.players.inc();
          metrics.playersJoined.inc();
        }
        matchLogs.player(room, seat).info({ resumed }, 'player joined');
        drainer.playerJoined(room, seat);
      },
      onSpectatorJoin: (_room, conn) => {
        drainer.viewerJoined(conn);
      },
      onLeave: (room, seat, reason) => {
        if (seat.playerId !== 0) metrics.players.dec();
        matchLogs.player(room, seat).info({ reason }, 'player left');
      },
      onTickStats: (_room, s) => {
        metrics.tickDuration.observe(s.durationMs);
        metrics.tickLateness.observe(s.latenessMs);
      },
      onTicksSkipped: (room, n) => {
        metrics.ticksSkipped.inc(n);
        matchLogs.of(room).warn({ skipped: n }, 'tick loop fell behind; skipped ticks');
      },
      onInputs: (applied, rejected, reason) => {
        if (applied) metrics.inputsApplied.inc(applied);
        if (rejected) metrics.inputsRejected.inc({ reason }, rejected);
      },
      onSnapshotDropped: () => metrics.snapshotsDropped.inc(),
      onEventsDropped: (_room, n) => metrics.eventsDropped.inc(n),
    }, options.hooks ?? {}),
  });
  // The lobby (created below) hears the notice too, so nobody there starts a match here.
  const drainer = new Drainer({ rooms, clock, log, matchLogs, tellOthers: (notice) => lobby.broadcast(notice, 'notice') });
  metrics.countMatchesBy(() => rooms.list().map((r) => phaseNames[r.phase]));
  // One live seat ticket per user: a new one replaces the old (server/auth/tickets.ts).
  const tickets = new TicketStore(clock, config.ticketTtlMs, (t) => rooms.get(t.matchId)?.releaseReservation(t.userId), { onePerUser: true });
  const matchmaker: SeatFinder = cluster
    ? cluster.attach({
        rooms,
        inbox,
        tickets,
        publicUrl: config.publicUrl,
        host: config.host,
        maxMatches: config.maxMatches,
        minJoinMsLeft: config.minJoinTimeLeftMs,
        draining: () => drainer.draining,
      })
    : new Matchmaker(rooms, tickets, { minJoinMsLeft: config.minJoinTimeLeftMs });
  const guards = new AbuseGuards(clock, config.limits, metrics);
  const seats = () => countSeats(rooms, config.maxMatches, rooms.maxSeats(options.defaultMode));
  metrics.countSeatsBy(seats);

  registerApiRoutes({ app, tokens, matchmaker, rooms, metrics, log, clock, publicUrl: config.publicUrl, defaultMode: options.defaultMode, guards, trustedProxyHeader: config.trustedProxyHeader });
  const nsDeps = { app, tokens, clock, metrics, guards, sendLimits: { softBytes: config.sendBufferSoftBytes, hardBytes: config.sendBufferHardBytes } };
  const playRoute = registerPlayRoute(nsDeps, {
    tickets,
    rooms,
    clock,
    log,
    maxFrameBytes: config.maxFrameBytes,
    maxInputsPerSecond: config.maxInputsPerSecond,
    idleTimeoutSeconds: config.idleTimeoutSeconds,
    chatPerSecond: config.lobbyChatPerSecond,
  });

  const lobby = new LobbyService({ presence, inbox, listing, broadcaster, clock, onlineIntervalMs: config.lobbyOnlineIntervalMs });
  lobby.start();
  const lobbyRoute = registerLobbyRoute(nsDeps, {
    lobby,
    clock,
    idleTimeoutSeconds: config.idleTimeoutSeconds,
    maxFrameBytes: config.maxFrameBytes,
    chatPerSecond: config.lobbyChatPerSecond,
    unavailable: cluster ? () => cluster.unavailableReason() : undefined,
  });
  const spectateRoute = registerSpectateRoute(nsDeps, { rooms, clock, idleTimeoutSeconds: config.idleTimeoutSeconds, maxFrameBytes: config.maxFrameBytes });
  registerMatchRoutes({
    app,
    tokens,
    matchmaker,
    rooms,
    listing,
    inbox,
    metrics,
    log,
    clock,
    publicUrl: config.publicUrl,
    defaultMode: options.defaultMode,
    guards,
    seatedMatch: cluster ? (userId) => cluster.seatedMatch(userId) : undefined,
  });
  const feed = cluster ? cluster.eventFeed({ inbox, listing }) : new EventFeed({ presence, inbox, listing, clock });
  feed.start();
  const streamTickets = new TicketStore(clock, 30_000);
  const eventStreams = registerEventStreamRoutes({
    app,
    tokens,
    tickets: streamTickets,
    feed,
    clock,
    metrics,
    heartbeatMs: config.sseHeartbeatMs,
    guards,
    unavailable: cluster ? () => cluster.unavailableReason() : undefined,
  });

  const adminCommands = new AdminCommands({ rooms, lobby, presence, clock, drainMsLeft: () => drainer.msLeft, remote: cluster?.admin });
  adminCommands.start();
  registerAdminRoutes({ app, tokens, metrics, commands: adminCommands });
  const adminRoute = registerAdminRoute(nsDeps, { commands: adminCommands, log, idleTimeoutSeconds: config.idleTimeoutSeconds, maxFrameBytes: config.maxFrameBytes });
  const loopHealth = new LoopHealth({ clock, stallMs: config.stallThresholdMs });
  registerHealthRoutes({
    app,
    loop: loopHealth,
    draining: () => drainer.draining || !rooms.acceptingNewRooms,
    matches: () => ({ live: rooms.size, max: config.maxMatches }),
    dependencies: cluster ? () => [cluster.dependency()] : undefined,
    seats,
  });
  app.get('/metrics', (res) => {
    const ex = new Exchange(res);
    metrics.text().then(
      (text) => ex.send(200, text, { 'content-type': metrics.contentType() }),
      () => ex.error(500, 'metrics unavailable'),
    );
  });
  const files = loadStaticFiles(config.clientDir);
  app.get('/*', (res, req) => {
    const ex = new Exchange(res);
    const file = files.get(req.getUrl());
    if (!file) return ex.error(404, 'not found');
    if (file.gzip && acceptsGzip(req.getHeader('accept-encoding'))) {
      return ex.send(200, file.gzip, { ...file.headers, 'content-encoding': 'gzip' });
    }
    ex.send(200, file.body, file.headers);
  });
  app.any('/*', (res) => new Exchange(res).error(405, 'method not allowed'));

  // A --workers worker shares the REST port with its siblings on purpose (SO_REUSEPORT) and
  // serves play on its own port, exclusively; everything else listens exclusively.
  const listenSocket = await (options.playPort === undefined ? listenExclusive(app, config.host, config.port) : listenShared(app, config.host, config.port)).catch(
    async (e: unknown) => {
      await cluster?.stop();
      throw e;
    },
  );
  const port = uWS.us_socket_local_port(listenSocket);
  const playSocket = options.playPort === undefined ? null : await listenExclusive(app, config.host, options.playPort);
  await cluster?.start(playSocket ? uWS.us_socket_local_port(playSocket) : port);
  log.info({ host: config.host, port, uws: uwsBuildName() }, `tickwire listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`);
  loopHealth.start();

  let closed = false;
  return {
    port,
    config,
    rooms,
    metrics,
    tokens,
    log,
    get draining() {
      return drainer.draining;
    },
    drain(deadlineMs) {
      metrics.draining.set(1);
      const report = drainer.drain(deadlineMs);
      cluster?.beatNow();
      return report;
    },
    async close() {
      if (closed) return;
      closed = true;
      loopHealth.stop();
      rooms.stopAccepting();
      // After a drain nothing is left; a close without one still says why the match ends.
      if (drainer.draining) rooms.disposeAll(CloseCode.ServerDraining);
      else rooms.disposeAll();
      tickets.clear();
      streamTickets.clear();
      eventStreams.closeAll();
      for (const ns of [playRoute, lobbyRoute, spectateRoute, adminRoute]) ns.stop();
      await adminCommands.stop();
      await lobby.stop();
      await feed.stop();
      uWS.us_listen_socket_close(listenSocket);
      if (playSocket) uWS.us_listen_socket_close(playSocket);
      await cluster?.stop();
      if (!options.presence) await presence.close();
    },
  };
}
