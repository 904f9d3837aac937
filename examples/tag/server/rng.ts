/**
 * Seeded PRNG (mulberry32) whose whole state is one uint32 in the game state, so a replay
 * from the same seed draws the same numbers. A mode never calls Math.random.
 */
export interface Rng {
  s: number;
}

export function createRng(seed: number): Rng {
  return { s: Number.isFinite(seed) ? seed >>> 0 : 0 };
}

/** Uniform integer in [0, n); n ≥ 1. Integer ops only, so every engine agrees. */
export function nextInt(rng: Rng, n: number): number {
  rng.s = (rng.s + 0x6d2b79f5) >>> 0;
  let t = rng.s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
}
