/**
 * The drain feature: a Drainer (server/drain.ts) fed by room hooks. The lobby is created
 * before it, so the draining notice reaches lobby sockets too and nobody there starts a
 * match here.
 */
import { Drainer } from '../drain.js';
import type { Core } from './core.js';
import type { Feature } from './feature.js';

export interface DrainFeature extends Feature {
  readonly drainer: Drainer;
}

export function startDrain(c: Core, tellOthers: (notice: Uint8Array) => void): DrainFeature {
  const drainer = new Drainer({ rooms: c.rooms, clock: c.clock, log: c.log, matchLogs: c.matchLogs, tellOthers });
  c.rooms.addHooks({
    onDispose: () => drainer.matchDisposed(),
    onJoin: (room, seat) => drainer.playerJoined(room, seat),
    onSpectatorJoin: (_room, conn) => drainer.viewerJoined(conn),
  });
  return { drainer };
}
