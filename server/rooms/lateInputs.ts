/**
 * Late inputs: an input says which snapshot tick its client had seen when it was produced
 * (`ackTick`). One that arrives long after that tick was produced while its client saw
 * nothing of the match — typically the catch-up burst a TCP connection delivers after a
 * network stall. Applying it would fast-forward the player through moves made blind, so the
 * room drops it and counts it (`tickwire_inputs_rejected_total{reason="late"}`); the socket
 * stays open (a stall is not abuse — only a sustained flood trips the rate limit, 4008).
 *
 * The bound is generous: the newest snapshot a client has seen is at most one RTT plus a
 * snapshot interval old, so only a client that has seen nothing for `lateInputMs`
 * (default 1 s) is affected, i.e. one that was playing blind anyway.
 */

/** Default for RoomOptions.lateInputMs. */
export const DEFAULT_LATE_INPUT_MS = 1000;

/** Ticks an input may trail the server's present (by its ackTick) before it is dropped as late. */
export function lateInputTicks(lateInputMs: number, tickRate: number): number {
  return Math.max(1, Math.ceil((lateInputMs / 1000) * tickRate));
}

/**
 * Whether an input acknowledging `ackTick` is late at server tick `serverTick`. An ackTick
 * of 0 means the client had no snapshot yet (a fresh join or resume): never late. An
 * ackTick ahead of the server is not late either (nothing to fast-forward).
 */
export function isLateInput(ackTick: number, serverTick: number, maxLagTicks: number): boolean {
  if (ackTick <= 0) return false;
  return serverTick - ackTick > maxLagTicks;
}
