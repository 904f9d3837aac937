/**
 * Composes one Tickwire server process from its features (server/app/*), in order, each
 * built from the shared Core and what the earlier ones returned — no feature reaches for one
 * created after it. `startServer` resolves once listening; the public entry is
 * createServer (server/createServer.ts), which calls it from `listen()`.
 *
 * To add a feature (a transport, a route family): write server/app/<name>.ts returning a
 * Feature, and add it to the list below where its dependencies already exist. Routes must
 * come before `startStatic`, whose `/*` catches everything else.
 */
import { CloseCode } from '../protocol/index.js';
import type { ServerConfig } from './config.js';
import type { DrainReport } from './drain.js';
import { startAdmin } from './app/admin.js';
import { createCore, type CoreOptions } from './app/core.js';
import { startDrain } from './app/drain.js';
import { startEvents } from './app/events.js';
import type { Feature } from './app/feature.js';
import { startHealth } from './app/health.js';
import { startLobby } from './app/lobby.js';
import { startPlay } from './app/play.js';
import { startPolling } from './app/polling.js';
import { startStatic } from './app/static.js';
import { listenShared } from './cluster/sharedListen.js';
import { listenExclusive } from './listen.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { RoomManager } from './rooms/roomManager.js';
import { uwsBuildName } from './uws.js';

export { HostNotLocalError, PortInUseError } from './listen.js';

export interface StartOptions extends CoreOptions {
  /** A second port serving the same routes, this process's own (a --workers worker's play port). */
  playPort?: number;
}

export interface RunningServer {
  readonly port: number;
  readonly config: ServerConfig;
  readonly rooms: RoomManager;
  readonly metrics: Metrics;
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
  const core = await createCore(config, options);
  const { lobby, ...lobbyFeature } = startLobby(core);
  const { drainer } = startDrain(core, (notice) => lobby.broadcast(notice, 'notice'));
  const draining = () => drainer.draining;
  const play = startPlay(core, draining);
  const health = startHealth(core, { draining, seats: play.seats });
  const features: Feature[] = [
    lobbyFeature,
    play,
    startPolling(core, play.playHandlers),
    startEvents(core),
    startAdmin(core, { lobby, drainMsLeft: () => drainer.msLeft }),
    health,
    startStatic(core),
  ];

  // A --workers worker shares the REST port with its siblings on purpose (SO_REUSEPORT) and
  // serves play on its own port, exclusively; everything else listens exclusively.
  const { uWS, app, cluster, log } = core;
  const stopAll = async () => {
    health.stop();
    // After a drain nothing is left; a close without one still says why the match ends.
    core.endMatches(drainer.draining ? CloseCode.ServerDraining : undefined);
    for (const f of [...features].reverse()) await f.stop?.();
  };
  // A failed start leaves nothing running (timers, subscriptions, the cluster).
  const failed = async (e: unknown): Promise<never> => {
    await stopAll();
    await core.stop();
    throw e;
  };
  const listenSocket = await (options.playPort === undefined ? listenExclusive(app, config.host, config.port) : listenShared(app, config.host, config.port)).catch(failed);
  const port = uWS.us_socket_local_port(listenSocket);
  const playSocket =
    options.playPort === undefined
      ? null
      : await listenExclusive(app, config.host, options.playPort).catch((e: unknown) => {
          uWS.us_listen_socket_close(listenSocket);
          return failed(e);
        });
  await cluster?.start(playSocket ? uWS.us_socket_local_port(playSocket) : port);
  log.info({ host: config.host, port, uws: uwsBuildName() }, `tickwire listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`);
  health.start();

  let closed = false;
  return {
    port,
    config,
    rooms: core.rooms,
    metrics: core.metrics,
    log,
    get draining() {
      return drainer.draining;
    },
    drain(deadlineMs) {
      core.metrics.draining.set(1);
      const report = drainer.drain(deadlineMs);
      cluster?.beatNow();
      return report;
    },
    async close() {
      if (closed) return;
      closed = true;
      await stopAll();
      uWS.us_listen_socket_close(listenSocket);
      if (playSocket) uWS.us_listen_socket_close(playSocket);
      await core.stop();
    },
  };
}
