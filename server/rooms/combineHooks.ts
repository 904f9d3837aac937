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
    out[name] = (...args: unknown[]) => {
      for (const f of fns) f(...args);
    };
  }
  return out as RoomHooks;
}
