/**
 * Starts a real Tickwire server (the public createServer) on a free port for one test file,
 * with quiet logs, short timers and the arena registered. Always pair with
 * `afterAll(() => server.close())`.
 */
import { createServer, type ServerOptions, type TickwireServer } from '../../server/createServer.js';
import type { ServerConfig } from '../../server/config.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { createLogger } from '../../server/observability/logger.js';
import type { AbuseLimits } from '../../server/limits/abuseLimits.js';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

/**
 * Every test runs from one address and signs up and matchmakes far faster than a person:
 * tests that are not about limits get limits they never reach (test/security/ sets its own).
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

/** Server settings, plus the arena's settings (the arena is registered first, as `tickwire serve` does). */
export type TestServerSettings = Partial<ServerConfig> & { arena?: Record<string, unknown> };

export type TestServer = TickwireServer & { http: string; ws: string };

export async function startTestServer(overrides: TestServerSettings = {}, options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const { arena, ...settings } = overrides;
  const server = createServer({
    host: '127.0.0.1',
    port: 0,
    jwtSecret: TEST_SECRET,
    logLevel: 'silent',
    botFillDelayMs: -1,
    seed: 1234,
    limits: ROOMY_LIMITS,
    ...settings,
    logger: createLogger(process.env.TICKWIRE_TEST_LOG ?? 'silent'),
    ...options,
    modes: { arena: { mode: arenaMode, settings: arena }, ...options.modes },
  });
  try {
    await server.listen();
  } catch (e) {
    await server.close();
    throw e;
  }
  return Object.assign(server, { http: `http://127.0.0.1:${server.port}`, ws: `ws://127.0.0.1:${server.port}` });
}
