/**
 * Starts a real Tickwire server on a free port for one test file, with quiet logs and
 * short timers. Always pair with `afterAll(() => server.close())`.
 */
import { startServer, type TickwireServer } from '../../server/app.js';
import { defaultConfig, validateConfig, type ServerConfig } from '../../server/config.js';
import { createLogger } from '../../server/observability/logger.js';
import type { AbuseLimits } from '../../server/limits/abuseLimits.js';
import type { StartOptions } from '../../server/app.js';

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

export async function startTestServer(overrides: Partial<ServerConfig> = {}, options: StartOptions = {}): Promise<TickwireServer & { http: string; ws: string }> {
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
