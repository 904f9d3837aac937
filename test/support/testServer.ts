/**
 * The repo's tests start servers through `tickwire/testing` (testing/bootServer.ts) with
 * the arena registered first, as `tickwire serve` does. Always pair with
 * `afterAll(() => server.close())`.
 */
import type { ServerOptions } from '../../server/createServer.js';
import type { ServerConfig } from '../../server/config.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { startTestServer as boot, type BootedServer } from '../../testing/bootServer.js';

export { ROOMY_LIMITS, TEST_SECRET } from '../../testing/bootServer.js';

/** Server settings, plus the arena's settings (the arena is registered first, as `tickwire serve` does). */
export type TestServerSettings = Partial<ServerConfig> & { arena?: Record<string, unknown> };

export type TestServer = BootedServer;

export async function startTestServer(overrides: TestServerSettings = {}, options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const { arena, ...settings } = overrides;
  return boot({ ...settings, ...options, modes: { arena: { mode: arenaMode, settings: arena }, ...options.modes } });
}
