/**
 * The boot helper: a real Tickwire server on a free port with the modes a test passes,
 * quiet logs, test secrets and limits no test reaches, plus the steps a test takes to play
 * (guest sign-in, matchmaking, a connected PlayClient). `close()` ends every client it
 * opened and the server, and is safe to call twice; call it in `afterAll`/`afterEach` (or
 * use `await using`), so a failing test still cleans up.
 */
import { startServer, type StartOptions, type TickwireServer } from '../server/app.js';
import { defaultConfig, validateConfig, type ServerConfig } from '../server/config.js';
import type { AbuseLimits } from '../server/limits/abuseLimits.js';
import { createLogger } from '../server/observability/logger.js';
import type { GameMode } from '../server/rooms/gameMode.js';
import { guest, matchmake, type Guest, type Seat } from './http.js';
import { PlayClient, type PlayClientOptions } from './playClient.js';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

/**
 * Every test runs from one address and signs up and matchmakes far faster than a person:
 * tests that are not about limits get limits they never reach.
 */
export const ROOMY_LIMITS: AbuseLimits = {
  guestSignupsPerAddress: { perMinute: 1_000_000, burst: 1_000_000 },
  matchmakesPerUser: { perMinute: 1_000_000, burst: 1_000_000 },
  joinCodeAttemptsPerUser: { perMinute: 1_000_000, burst: 1_000_000 },
  streamTicketsPerUser: { perMinute: 1_000_000, burst: 1_000_000 },
  invitesPerUser: { perMinute: 1_000_000, burst: 1_000_000 },
  connectionsPerUserPerNamespace: 100_000,
  eventStreamsPerUser: 100_000,
};

export interface BootOptions extends StartOptions {
  /** Config over the test defaults (port 0 on 127.0.0.1, silent logs, no bot fill, seed 1234). */
  config?: Partial<ServerConfig>;
}

/** A started test server: the server handle plus its base URLs. */
export type BootedServer = TickwireServer & {
  /** `http://127.0.0.1:PORT` */
  readonly http: string;
  /** `ws://127.0.0.1:PORT` */
  readonly ws: string;
};

/** Starts a server; prefer `boot()` unless a test needs the bare handle. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}, options: StartOptions = {}): Promise<BootedServer> {
  const config = validateConfig({
    ...defaultConfig,
    host: '127.0.0.1',
    port: 0,
    jwtSecret: TEST_SECRET,
    logLevel: 'silent',
    botFillDelayMs: -1,
    seed: 1234,
    limits: ROOMY_LIMITS,
    ...overrides,
  });
  const server = await startServer(config, { logger: createLogger(process.env.TICKWIRE_TEST_LOG ?? 'silent'), ...options });
  return Object.assign(server, { http: `http://127.0.0.1:${server.port}`, ws: `ws://127.0.0.1:${server.port}` });
}

export interface JoinedPlayer {
  guest: Guest;
  seat: Seat;
  client: PlayClient;
}

export interface TestServer {
  readonly server: BootedServer;
  readonly http: string;
  readonly ws: string;
  /** A guest token for `name`. */
  guest(name: string): Promise<Guest>;
  /** A seat for `token` (quick play in `mode`, or any matchmake body). */
  matchmake(token: string, body?: { mode?: string; [key: string]: unknown }): Promise<Seat>;
  /**
   * Signs `name` in, matchmakes into `mode` and connects; resolves after the welcome. The
   * client decodes snapshots with that mode's schema and is closed by `close()`.
   */
  join(name: string, mode: string, options?: Omit<PlayClientOptions, 'schema'>): Promise<JoinedPlayer>;
  /** Connects with an existing seat (e.g. after reconnecting); closed by `close()`. */
  connect(token: string, seat: Seat, options?: PlayClientOptions): Promise<PlayClient>;
  /** Closes every client this helper opened, then the server. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * `boot({ modes: { tag: tagMode } })` → a running server with those modes (beside the
 * built-in arena) and helpers to play it.
 */
export async function boot(options: BootOptions = {}): Promise<TestServer> {
  const { config, ...start } = options;
  const server = await startTestServer(config, start);
  const clients = new Set<PlayClient>();
  const modes: Record<string, GameMode<unknown>> = { ...start.modes };
  let closing: Promise<void> | null = null;

  const connect = async (token: string, seat: Seat, o: PlayClientOptions = {}) => {
    const client = await PlayClient.connect(seat.url, token, seat.ticket, o);
    clients.add(client);
    return client;
  };

  const t: TestServer = {
    server,
    http: server.http,
    ws: server.ws,
    guest: (name) => guest(server.http, name),
    matchmake: (token, body = { mode: 'arena' }) => matchmake(server.http, token, body),
    async join(name, mode, o = {}) {
      const g = await guest(server.http, name);
      const seat = await matchmake(server.http, g.token, { mode });
      const client = await connect(g.token, seat, { ...o, schema: modes[mode]?.schema });
      await client.waitFor(() => client.welcome, `${name}'s welcome`);
      return { guest: g, seat, client };
    },
    connect,
    close() {
      closing ??= (async () => {
        await Promise.all([...clients].map((c) => c.closeAndWait()));
        await server.close();
      })();
      return closing;
    },
    [Symbol.asyncDispose]() {
      return t.close();
    },
  };
  return t;
}
