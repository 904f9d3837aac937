/**
 * Several RoomHooks objects as one (Fastify-style: each feature registers its own hooks;
 * they run in registration order).
 */
import type { RoomHooks } from './room.js';

export function combineHooks(...all: RoomHooks[]): RoomHooks {
  const out: Record<string, (...args: unknown[]) => void> = {};
  const names = new Set(all.flatMap((h) => Object.keys(h)));
  for (const name of names) {
    const fns = all.map((h) => (h as Record<string, ((...args: unknown[]) => void) | undefined>)[name]).filter((f) => f !== undefined);
    // A hook only one object has is that function itself: two hooks run every match tick
    // (onTickStats, onInputs), and a wrapper cost an arguments array and a spread call each.
    out[name] =
      fns.length === 1
        ? fns[0]
        : (...args: unknown[]) => {
            for (const f of fns) f(...args);
          };
  }
  return out as RoomHooks;
}
