/**
 * The boot helper: a real Tickwire server on a free port with the modes a test passes,
 * quiet logs, test secrets and limits no test reaches, plus the steps a test takes to play
 * (guest sign-in, matchmaking, a connected PlayClient). `close()` ends every client it
 * opened and the server, and is safe to call twice; call it in `afterAll`/`afterEach` (or
 * use `await using`), so a failing test still cleans up.
 */
import { createServer, type ServerOptions, type TickwireServer } from '../server/createServer.js';
import type { AbuseLimits } from '../server/limits/abuseLimits.js';
import { createLogger } from '../server/observability/logger.js';
import type { ModeEntry } from '../server/modes/modeRegistry.js';
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

/**
 * `createServer` options; the test defaults are port 0 on 127.0.0.1, silent logs (set
 * TICKWIRE_TEST_LOG=debug to see them), a fixed JWT secret, no bot fill, seed 1234 and
 * ROOMY_LIMITS. `modes` as for createServer: the first is the default mode.
 */
export type BootOptions = ServerOptions;

/** A listening test server: the server handle plus its base URLs. */
export type BootedServer = TickwireServer & {
  /** `http://127.0.0.1:PORT` */
  readonly http: string;
  /** `ws://127.0.0.1:PORT` */
  readonly ws: string;
};

/** Creates and starts a server with the test defaults; prefer `boot()` unless a test needs only the handle. */
export async function startTestServer(options: BootOptions): Promise<BootedServer> {
  const server = createServer({
    host: '127.0.0.1',
    port: 0,
    jwtSecret: TEST_SECRET,
    logLevel: 'silent',
    botFillDelayMs: -1,
    seed: 1234,
    limits: ROOMY_LIMITS,
    logger: createLogger(process.env.TICKWIRE_TEST_LOG ?? 'silent'),
    ...options,
  });
  try {
    await server.listen();
  } catch (e) {
    await server.close();
    throw e;
  }
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
  /** A seat for `token` (quick play in `body.mode`, default the first mode; or any matchmake body). */
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

/** The schema of a registered mode entry (a bare mode or `{ mode, settings }`). */
function schemaOf(entry: ModeEntry | undefined) {
  if (!entry) return undefined;
  return 'schema' in entry ? entry.schema : entry.mode.schema;
}

/**
 * `boot({ modes: { tag: tagMode } })` → a listening server hosting those modes, and
 * helpers to play it. Any other createServer option overrides the test defaults.
 */
export async function boot(options: BootOptions): Promise<TestServer> {
  const server = await startTestServer(options);
  const clients = new Set<PlayClient>();
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
    matchmake: (token, body = { mode: server.defaultMode }) => matchmake(server.http, token, body),
    async join(name, mode, o = {}) {
      const g = await guest(server.http, name);
      const seat = await matchmake(server.http, g.token, { mode });
      const client = await connect(g.token, seat, { ...o, schema: schemaOf(options.modes[mode]) });
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
