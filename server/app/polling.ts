/**
 * The long-polling feature: `/play` over HTTP for networks that refuse WebSocket upgrades
 * (docs/transports.md). It runs the play feature's handlers, so it comes after it; the
 * topic fan-out to its sessions is in the core's broadcaster (`pollingTopics`).
 */
import { registerPollingRoutes } from '../http/pollingRoutes.js';
import type { PlayHandlers } from '../transport/playRoute.js';
import type { Core } from './core.js';
import type { Feature } from './feature.js';

export function startPolling(c: Core, play: PlayHandlers): Feature {
  const { config } = c;
  const routes = registerPollingRoutes(
    { app: c.app, tokens: c.tokens, clock: c.clock, metrics: c.metrics, guards: c.guards, trustedProxyHeader: config.trustedProxyHeader },
    {
      play,
      topics: c.pollingTopics,
      limits: config.polling,
      maxFrameBytes: config.maxFrameBytes,
      hardBytes: config.sendBufferHardBytes,
      sendIdleMs: config.idleTimeoutSeconds * 1000,
    },
  );
  return { stop: () => routes.stop() };
}
