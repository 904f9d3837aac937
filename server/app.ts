/**
 * Assembles one Tickwire server process: config → auth, rooms, matchmaker → HTTP routes
 * and WebSocket namespaces on one uWS app. `startServer` resolves once listening and
 * returns a handle whose `close()` ends matches, sockets and timers.
 */
import { TicketStore } from './auth/tickets.js';
import { TokenService } from './auth/tokens.js';
import { systemClock, type Clock } from './clock.js';
import type { ServerConfig } from './config.js';
import { arenaMode } from './game/arena/arenaMode.js';
import { registerApiRoutes } from './http/apiRoutes.js';
import { Exchange } from './http/exchange.js';
import { loadStaticFiles } from './http/staticFiles.js';
import { createLogger, type Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import type { GameMode } from './rooms/gameMode.js';
import { Matchmaker } from './rooms/matchmaker.js';
import { RoomManager } from './rooms/roomManager.js';
import { phaseNames } from '../protocol/index.js';
import { registerPlayRoute } from './transport/playRoute.js';
import { UwsBroadcaster } from './transport/uwsConnection.js';
import { loadUws, type us_listen_socket } from './uws.js';

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Extra game modes beside `arena`. */
  modes?: Record<string, GameMode<unknown>>;
}

export interface TickwireServer {
  readonly port: number;
  readonly config: ServerConfig;
  readonly rooms: RoomManager;
  readonly metrics: Metrics;
  readonly tokens: TokenService;
  readonly log: Logger;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(`port ${port} on ${host} is already in use: stop the other process or pass another --port`);
  }
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<TickwireServer> {
  const uWS = loadUws();
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics({ defaultMetrics: true });
  const tokens = new TokenService({ secret: config.jwtSecret, ttlSeconds: config.tokenTtlSeconds });
  if (tokens.generatedSecret) {
    log.warn('TICKWIRE_JWT_SECRET is not set: using a random per-process secret; tokens stop working when the process restarts');
  }

  const app = uWS.App();
  const broadcaster = new UwsBroadcaster(app, metrics);
  const rooms = new RoomManager({
    clock,
    broadcaster,
    modes: { arena: arenaMode as GameMode<unknown>, ...options.modes },
    maxRooms: config.maxMatches,
    seed: config.seed,
    roomDefaults: {
      tickRate: config.tickRate,
      snapshotRate: config.snapshotRate,
      maxPlayers: config.maxPlayersPerMatch,
      reconnectGraceMs: config.reconnectGraceMs,
      botFillDelayMs: config.botFillDelayMs,
      settings: config.arena,
    },
    hooks: {
      onCreate: (room) => {
        log.info({ matchId: room.id, mode: room.mode.name }, 'match created');
      },
      onPhase: (room, phase) => {
        log.info({ matchId: room.id, phase: phaseNames[phase] }, 'match phase');
      },
      onDispose: (room) => {
        log.info({ matchId: room.id }, 'match disposed');
      },
      onJoin: (room, seat, resumed) => {
        if (!resumed) {
          metrics.players.inc();
          metrics.playersJoined.inc();
        }
        log.info({ matchId: room.id, userId: seat.userId, playerId: seat.playerId, resumed }, 'player joined');
      },
      onLeave: (room, seat, reason) => {
        if (seat.playerId !== 0) metrics.players.dec();
        log.info({ matchId: room.id, userId: seat.userId, reason }, 'player left');
      },
      onTickStats: (_room, s) => {
        metrics.tickDuration.observe(s.durationMs);
        metrics.tickLateness.observe(s.latenessMs);
      },
      onTicksSkipped: (room, n) => {
        metrics.ticksSkipped.inc(n);
        log.warn({ matchId: room.id, skipped: n }, 'tick loop fell behind; skipped ticks');
      },
      onInputs: (applied, rejected, reason) => {
        if (applied) metrics.inputsApplied.inc(applied);
        if (rejected) metrics.inputsRejected.inc({ reason }, rejected);
      },
      onSnapshotDropped: () => metrics.snapshotsDropped.inc(),
    },
  });
  metrics.countMatchesBy(() => rooms.list().map((r) => phaseNames[r.phase]));
  const tickets = new TicketStore(clock, config.ticketTtlMs, (t) => rooms.get(t.matchId)?.releaseReservation(t.userId));
  const matchmaker = new Matchmaker(rooms, tickets);

  registerApiRoutes({ app, tokens, matchmaker, rooms, metrics, log, clock, publicUrl: config.publicUrl });
  registerPlayRoute({
    app,
    tokens,
    tickets,
    rooms,
    clock,
    metrics,
    log,
    maxFrameBytes: config.maxFrameBytes,
    maxInputsPerSecond: config.maxInputsPerSecond,
    idleTimeoutSeconds: config.idleTimeoutSeconds,
  });

  app.get('/healthz', (res) => new Exchange(res).json(200, { status: 'ok' }));
  app.get('/readyz', (res) => {
    const ready = rooms.acceptingNewRooms;
    new Exchange(res).json(ready ? 200 : 503, { status: ready ? 'ready' : 'draining' });
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
    ex.send(200, file.body, file.headers);
  });
  app.any('/*', (res) => new Exchange(res).error(405, 'method not allowed'));

  const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(config.host, config.port, (token) => (token ? resolve(token) : reject(new PortInUseError(config.host, config.port))));
  });
  const port = uWS.us_socket_local_port(listenSocket);
  log.info({ host: config.host, port }, `tickwire listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`);

  let closed = false;
  return {
    port,
    config,
    rooms,
    metrics,
    tokens,
    log,
    async close() {
      if (closed) return;
      closed = true;
      rooms.stopAccepting();
      rooms.disposeAll();
      tickets.clear();
      uWS.us_listen_socket_close(listenSocket);
    },
  };
}
