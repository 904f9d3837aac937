/** The admin feature: operator commands over REST (/api/admin) and the `/admin` socket. */
import { AdminCommands } from '../admin/adminCommands.js';
import { registerAdminRoutes } from '../http/adminRoutes.js';
import type { LobbyService } from '../lobby/lobbyService.js';
import { registerAdminRoute } from '../transport/adminRoute.js';
import type { Core } from './core.js';
import type { Feature } from './feature.js';

export function startAdmin(c: Core, d: { lobby: LobbyService; drainMsLeft: () => number | null }): Feature {
  const commands = new AdminCommands({ rooms: c.rooms, lobby: d.lobby, presence: c.presence, clock: c.clock, drainMsLeft: d.drainMsLeft, remote: c.cluster?.admin });
  commands.start();
  registerAdminRoutes({ app: c.app, tokens: c.tokens, metrics: c.metrics, commands });
  const route = registerAdminRoute(c.ns, { commands, log: c.log, idleTimeoutSeconds: c.config.idleTimeoutSeconds, maxFrameBytes: c.config.maxFrameBytes });
  return {
    async stop() {
      route.stop();
      await commands.stop();
    },
  };
}
