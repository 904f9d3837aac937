/** The lobby feature: online count, public match list, chat and notifications on `/lobby`. */
import { LobbyService } from '../lobby/lobbyService.js';
import { registerLobbyRoute } from '../transport/lobbyRoute.js';
import type { Core } from './core.js';
import type { Feature } from './feature.js';

export interface LobbyFeature extends Feature {
  readonly lobby: LobbyService;
}

export function startLobby(c: Core): LobbyFeature {
  const { config, clock } = c;
  const lobby = new LobbyService({ presence: c.presence, inbox: c.inbox, listing: c.listing, broadcaster: c.broadcaster, clock, onlineIntervalMs: config.lobbyOnlineIntervalMs });
  lobby.start();
  const route = registerLobbyRoute(c.ns, {
    lobby,
    clock,
    idleTimeoutSeconds: config.idleTimeoutSeconds,
    maxFrameBytes: config.maxFrameBytes,
    chatPerSecond: config.lobbyChatPerSecond,
    unavailable: c.cluster ? () => c.cluster!.unavailableReason() : undefined,
  });
  return {
    lobby,
    async stop() {
      route.stop();
      await lobby.stop();
    },
  };
}
