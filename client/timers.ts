/**
 * Time as a dependency of the client's net and netcode modules, so unit tests drive them
 * with a manual clock and the headless test runs them in Node unchanged.
 */
export type TimerId = ReturnType<typeof setTimeout>;

export interface Timers {
  /** Monotonic milliseconds (performance.now in browsers and Node). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
};
