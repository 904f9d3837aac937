/** The health feature: /healthz, /readyz (event-loop stalls, drain, seats, Redis) and /metrics. */
import { Exchange } from '../http/exchange.js';
import { registerHealthRoutes } from '../http/healthRoutes.js';
import { LoopHealth } from '../observability/loopHealth.js';
import type { SeatCounts } from '../rooms/seatCapacity.js';
import type { Core } from './core.js';
import type { Feature } from './feature.js';

export interface HealthFeature extends Feature {
  /** Starts watching the event loop (once listening). */
  start(): void;
  stop(): void;
}

export function startHealth(c: Core, d: { draining: () => boolean; seats: () => SeatCounts }): HealthFeature {
  const { config, cluster, rooms, metrics } = c;
  const loop = new LoopHealth({ clock: c.clock, stallMs: config.stallThresholdMs });
  registerHealthRoutes({
    app: c.app,
    loop,
    draining: () => d.draining() || !rooms.acceptingNewRooms,
    matches: () => ({ live: rooms.size, max: config.maxMatches }),
    dependencies: cluster ? () => [cluster.dependency()] : undefined,
    seats: d.seats,
  });
  c.app.get('/metrics', (res) => {
    const ex = new Exchange(res);
    metrics.text().then(
      (text) => ex.send(200, text, { 'content-type': metrics.contentType() }),
      () => ex.error(500, 'metrics unavailable'),
    );
  });
  return {
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
