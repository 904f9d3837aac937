/**
 * The library entry: `createServer(options)` builds a server for YOUR modes without
 * listening; `listen()` starts it. Programmatic options are the CLI's option table keyed
 * by ServerConfig field (`tickRate`, `maxMatches`… — docs/hosting.md lists both names),
 * validated the same way; an invalid one throws a ConfigError naming it.
 *
 *   const server = createServer({ modes: { tag: tagMode }, jwtSecret: process.env.SECRET });
 *   const { port } = await server.listen(8080);
 *   process.on('SIGTERM', async () => { await server.drain(60_000); await server.close(); });
 */
import type { Clock } from './clock.js';
import { ConfigError, defaultConfig, validateConfig, type ServerConfig } from './config.js';
import type { DrainReport } from './drain.js';
import { registerModes, type ModeEntry, type RegisteredMode } from './modes/modeRegistry.js';
import type { Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import type { Presence } from './presence/presence.js';
import type { PlayerTokenVerifier } from './auth/tokens.js';
import type { RoomManager } from './rooms/roomManager.js';
import type { RoomHooks } from './rooms/room.js';
import { startServer, type RunningServer } from './app.js';

/** Every ServerConfig field is an option; unset ones take the CLI's defaults. */
export type ServerSettings = ServerConfig;

export interface ServerOptions extends Partial<ServerSettings> {
  /** The games this server hosts, by tag; the first is the default (quick play). */
  modes: Readonly<Record<string, ModeEntry>>;
  /** Time source for rooms, tickets and limits (tests pass a ManualClock). Default: systemClock. */
  clock?: Clock;
  /** A pino logger; default: one at `logLevel` writing JSON lines to stdout. */
  logger?: Logger;
  /** Shared state and pub/sub; default LocalPresence, or RedisPresence when `redisUrl` is set. */
  presence?: Presence;
  auth?: AuthHooks;
  /**
   * Room lifecycle hooks (match created, player joined/left, phase, disposed…), called after
   * the server's own. Keep them quick: most run on the tick path.
   */
  hooks?: RoomHooks;
}

export interface AuthHooks {
  /**
   * Verifies a player token from your own issuer before the built-in JWT checks: return
   * a VerifyResult for tokens it recognizes, or null to fall through to the built-in
   * guest/RS256 verification. Runs on every matchmake and socket upgrade: keep it fast and
   * synchronous (verify a signature with a key already in memory; no network calls).
   */
  verifyPlayer?: PlayerTokenVerifier;
}

export interface ListenResult {
  port: number;
  host: string;
}

export interface TickwireServer {
  /** The validated settings (after listen: with the port actually bound). */
  readonly config: Readonly<ServerConfig>;
  /** The registered modes in registration order; `defaultMode` is the first's tag. */
  readonly modes: ReadonlyMap<string, RegisteredMode>;
  readonly defaultMode: string;
  /** Prometheus metrics; `metrics.registry` is the prom-client Registry (add your own). */
  readonly metrics: Metrics;
  /** The bound port; throws before listen(). */
  readonly port: number;
  /** Live matches; throws before listen(). */
  readonly rooms: RoomManager;
  readonly draining: boolean;
  /** Binds and starts; `port`/`host` override the options'. Rejects with one clear line (port in use…). */
  listen(port?: number, host?: string): Promise<ListenResult>;
  /**
   * Graceful shutdown, step one: no new matches or players, players told, running matches
   * end by themselves or after `deadlineMs` (default: the `drainTimeoutMs` option).
   */
  drain(deadlineMs?: number): Promise<DrainReport>;
  /** Ends matches, sockets, timers and connections; safe to call twice or before listen. */
  close(): Promise<void>;
}

export function createServer(options: ServerOptions): TickwireServer {
  const { modes: modeEntries, clock, logger, presence, auth, hooks, ...settings } = options;
  const config = validateConfig({ ...defaultConfig, ...settings });
  // Supervising worker processes is the CLI's job (server/cluster/workers.ts).
  if (config.workers !== 1) throw new ConfigError('workers', 'is for `tickwire serve`: with createServer, run one server per process (each with the same redisUrl)');
  const { modes, defaultMode } = registerModes(modeEntries);
  const metrics = new Metrics({ defaultMetrics: true });
  let running: RunningServer | null = null;
  let starting: Promise<ListenResult> | null = null;
  let closed = false;
  const started = (what: string): RunningServer => {
    if (!running) throw new Error(`server.${what} is available after listen() resolves`);
    return running;
  };
  return {
    get config() {
      return running?.config ?? config;
    },
    modes,
    defaultMode,
    metrics,
    get port() {
      return started('port').port;
    },
    get rooms() {
      return started('rooms').rooms;
    },
    get draining() {
      return running?.draining ?? false;
    },
    listen(port, host) {
      if (closed) return Promise.reject(new Error('listen() after close(): create a new server'));
      starting ??= startServer(validateConfig({ ...config, port: port ?? config.port, host: host ?? config.host }), {
        modes,
        defaultMode,
        metrics,
        clock,
        logger,
        presence,
        verifyPlayer: auth?.verifyPlayer,
        hooks,
      }).then((s) => {
        running = s;
        return { port: s.port, host: s.config.host };
      });
      return starting;
    },
    drain(deadlineMs) {
      return started('drain()').drain(deadlineMs ?? config.drainTimeoutMs);
    },
    async close() {
      closed = true;
      await starting?.catch(() => undefined);
      await running?.close();
    },
  };
}
