/**
 * Reading a bench's BENCH_* settings: a bad value exits 2 with one line naming the variable,
 * the same in every bench.
 */

/** A positive number from the environment, or `fallback` when unset or empty. */
export function envNum(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`bench: ${name} must be a number > 0 (got ${raw})`);
    process.exit(2);
  }
  return n;
}

/** BENCH_PLAYERS: a comma-separated list of positive player counts. */
export function playerLevels(fallback: string): number[] {
  const levels = (process.env.BENCH_PLAYERS ?? fallback).split(',').map(Number);
  if (levels.some((n) => !Number.isInteger(n) || n <= 0)) {
    console.error(`bench: BENCH_PLAYERS must be a comma-separated list of player counts (got ${process.env.BENCH_PLAYERS})`);
    process.exit(2);
  }
  return levels;
}
