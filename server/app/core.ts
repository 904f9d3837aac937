/**
 * The services every feature of a server process shares: config, clock, logs, metrics,
 * the uWS app (behind request limits), tokens, presence (or the cluster's), the match
 * listing and inbox, the rooms with their logging/metrics hooks, seat tickets and abuse
 * guards. Features (./lobby.ts, ./play.ts…) take this and add routes and hooks.
 */
import { TicketStore } from '../auth/tickets.js';
import { TokenService, type PlayerTokenVerifier } from '../auth/tokens.js';
import { systemClock, type Clock } from '../clock.js';
import { ClusterNode } from '../cluster/clusterNode.js';
import type { ServerConfig } from '../config.js';
import { withRequestLimits } from '../http/requestLimits.js';
import { AbuseGuards } from '../limits/abuseGuards.js';
import { matchEventHooks } from '../lobby/matchEventHooks.js';
import { MatchListing } from '../lobby/matchListing.js';
import type { RegisteredMode } from '../modes/modeRegistry.js';
import { UserInbox } from '../notifications/userInbox.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { MatchLogs } from '../observability/matchLogs.js';
import { Metrics } from '../observability/metrics.js';
import { LocalPresence } from '../presence/localPresence.js';
import type { Presence } from '../presence/presence.js';
import { combineHooks } from '../rooms/combineHooks.js';
import type { RoomHooks } from '../rooms/room.js';
import { RoomManager } from '../rooms/roomManager.js';
import type { NamespaceDeps } from '../transport/namespace.js';
import { UwsBroadcaster } from '../transport/uwsConnection.js';
import { PollingBroadcaster, PollingTopics } from '../transport/polling/pollingTopics.js';
import type { Broadcaster } from '../rooms/connection.js';
import { loadUws } from '../uws.js';
import type { TemplatedApp } from '../uwsTypes.js';
import { phaseNames, type CloseCode } from '../../protocol/index.js';

export interface CoreOptions {
  modes: ReadonlyMap<string, RegisteredMode>;
  defaultMode: string;
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  presence?: Presence;
  verifyPlayer?: PlayerTokenVerifier;
  /** A host's room hooks, chained after the server's. */
  hooks?: RoomHooks;
}

export interface Core {
  readonly config: ServerConfig;
  readonly defaultMode: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly uWS: ReturnType<typeof loadUws>;
  /** Routes register here (request size limits apply); the hot publish path uses the raw app. */
  readonly app: TemplatedApp;
  /**
   * Publishes to uWS topics on the raw app (no request-limit wrapper on the hot path), and
   * to the long-polling sessions subscribed to the same topics (`pollingTopics`).
   */
  readonly broadcaster: Broadcaster;
  /** Which long-polling sessions subscribed to which topic (server/transport/polling/). */
  readonly pollingTopics: PollingTopics;
  readonly cluster: ClusterNode | null;
  readonly presence: Presence;
  readonly tokens: TokenService;
  readonly matchLogs: MatchLogs;
  readonly inbox: UserInbox;
  readonly listing: MatchListing;
  readonly rooms: RoomManager;
  /** One live seat ticket per user: a new one replaces the old (server/auth/tickets.ts). */
  readonly tickets: TicketStore;
  readonly guards: AbuseGuards;
  /** What every WebSocket namespace needs. */
  readonly ns: NamespaceDeps;
  /** No new matches; every match ends (with `code`, default match-ended) and tickets are dropped. */
  endMatches(code?: CloseCode): void;
  /** Leaves the cluster and closes the presence this process opened. */
  stop(): Promise<void>;
}

/** --redis joins the cluster first, so an unreachable Redis fails the start with one line. */
export async function createCore(config: ServerConfig, o: CoreOptions): Promise<Core> {
  const uWS = loadUws();
  const clock = o.clock ?? systemClock;
  const log = o.logger ?? createLogger(config.logLevel);
  const metrics = o.metrics ?? new Metrics({ defaultMetrics: true });
  const cluster = config.redisUrl && !o.presence ? await ClusterNode.connect({ url: config.redisUrl, clock, log, metrics }) : null;
  const tokens = new TokenService({
    secret: config.jwtSecret,
    ttlSeconds: config.tokenTtlSeconds,
    publicKey: config.jwtPublicKey,
    keyId: config.jwtKeyId,
    allowGuest: config.allowGuest,
    adminSecret: config.adminSecret,
    verifyPlayer: o.verifyPlayer,
  });
  if (tokens.generatedSecret) {
    log.warn('TICKWIRE_JWT_SECRET is not set: using a random per-process secret; tokens stop working when the process restarts');
  }
  const matchLogs = new MatchLogs(log);
  const rawApp = uWS.App();
  const app = withRequestLimits(rawApp, { limits: config.requestLimits, clock, metrics });
  const pollingTopics = new PollingTopics();
  const broadcaster = new PollingBroadcaster(new UwsBroadcaster(rawApp, metrics), pollingTopics);
  const presence = o.presence ?? cluster?.presence ?? new LocalPresence();
  const inbox = new UserInbox(presence, cluster?.online);
  const listing = new MatchListing(presence, () => config.publicUrl, () => clock.wallNow(), cluster?.listStore);
  const rooms = new RoomManager({
    clock,
    broadcaster,
    modes: o.modes,
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
    hooks: combineHooks(matchEventHooks(listing, inbox), cluster?.hooks ?? {}, observeRooms(metrics, matchLogs), guardHooks(o.hooks ?? {}, log)),
  });
  metrics.countMatchesBy(() => rooms.list().map((r) => phaseNames[r.phase]));
  metrics.countWakeupsBy(() => rooms.wakeupCounts());
  const tickets = new TicketStore(clock, config.ticketTtlMs, (t) => rooms.get(t.matchId)?.releaseReservation(t.userId), { onePerUser: true });
  const guards = new AbuseGuards(clock, config.limits, metrics);
  const ns: NamespaceDeps = {
    app,
    tokens,
    clock,
    metrics,
    guards,
    sendLimits: { softBytes: config.sendBufferSoftBytes, hardBytes: config.sendBufferHardBytes },
    // Ticks fall due while uWS is dispatching frames: run them between two frames.
    afterFrame: (now) => rooms.runDueTicks(now),
  };
  return {
    config,
    defaultMode: o.defaultMode,
    clock,
    log,
    metrics,
    uWS,
    app,
    broadcaster,
    pollingTopics,
    cluster,
    presence,
    tokens,
    matchLogs,
    inbox,
    listing,
    rooms,
    tickets,
    guards,
    ns,
    endMatches(code) {
      rooms.stopAccepting();
      rooms.disposeAll(code);
      tickets.clear();
    },
    async stop() {
      await cluster?.stop();
      if (!o.presence) await presence.close();
    },
  };
}

/** Match logs and the player/tick/input metrics, as room hooks. */
function observeRooms(metrics: Metrics, matchLogs: MatchLogs): RoomHooks {
  return {
    onCreate: (room) => matchLogs.of(room).info({ mode: room.mode.name }, 'match created'),
    onPhase: (room, phase) => matchLogs.of(room).info({ phase: phaseNames[phase] }, 'match phase'),
    onDispose: (room) => matchLogs.of(room).info('match disposed'),
    onJoin: (room, seat, resumed) => {
      if (!resumed) {
        metrics.players.inc();
        metrics.playersJoined.inc();
      }
      matchLogs.player(room, seat).info({ resumed }, 'player joined');
    },
    onLeave: (room, seat, reason) => {
      if (seat.playerId !== 0) metrics.players.dec();
      matchLogs.player(room, seat).info({ reason }, 'player left');
    },
    onTickStats: (_room, s) => {
      metrics.tickDuration.observe(s.durationMs);
      metrics.tickLateness.observe(s.latenessMs);
      metrics.tickWakeLateness.observe(s.wakeLatenessMs);
    },
    onTicksSkipped: (room, n) => {
      metrics.ticksSkipped.inc(n);
      matchLogs.of(room).warn({ skipped: n }, 'tick loop fell behind; skipped ticks');
    },
    onInputs: (applied, rejected, reason) => {
      metrics.inputsAppliedCount += applied;
      if (rejected) metrics.inputsRejected.inc({ reason }, rejected);
    },
    onSnapshotDropped: () => metrics.snapshotsDropped.inc(),
    onEventsDropped: (_room, n) => metrics.eventsDropped.inc(n),
  };
}

/**
 * A host's hooks, each wrapped so a throw is logged and skipped: most hooks run on the tick
 * path, and one buggy handler must not end a match (or the process) for everyone.
 */
function guardHooks(hooks: RoomHooks, log: Logger): RoomHooks {
  const out: Record<string, (...args: unknown[]) => void> = {};
  for (const [name, fn] of Object.entries(hooks) as Array<[string, ((...args: unknown[]) => void) | undefined]>) {
    if (typeof fn !== 'function') continue;
    out[name] = (...args) => {
      try {
        fn(...args);
      } catch (e) {
        log.error({ hook: name, err: e instanceof Error ? e.message : String(e) }, 'a room hook threw; skipped');
      }
    };
  }
  return out as RoomHooks;
}
