/**
 * Seeded PRNG (mulberry32). Its whole state is one uint32 inside a plain object, so it can
 * live in the game state: cloning or deep-comparing the state includes the RNG, and a
 * replay from the same seed draws the same numbers. Never Math.random in the simulation.
 */
export interface Rng {
  /** uint32 state; advanced by every draw. */
  s: number;
}

export function createRng(seed: number): Rng {
  return { s: Number.isFinite(seed) ? seed >>> 0 : 0 };
}

/** Next uint32. Only integer ops (Math.imul, shifts), so every engine agrees bit for bit. */
export function nextU32(rng: Rng): number {
  rng.s = (rng.s + 0x6d2b79f5) >>> 0;
  let t = rng.s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Uniform float in [0, 1). */
export function nextFloat(rng: Rng): number {
  return nextU32(rng) / 4294967296;
}

/** Uniform integer in [0, n); n ≥ 1. */
export function nextInt(rng: Rng, n: number): number {
  return Math.floor(nextFloat(rng) * n);
}

/** Uniform float in [lo, hi). */
export function nextRange(rng: Rng, lo: number, hi: number): number {
  return lo + nextFloat(rng) * (hi - lo);
}
