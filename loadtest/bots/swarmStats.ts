/**
 * What a swarm counts: the running counters its bots bump, the RTT samples of their pings,
 * and SwarmStats, the report Swarm.stats() assembles from them (with the ack latencies of
 * upstream.ts's AckLatency).
 */
import { quantile } from './quantile.js';

export interface SwarmStats {
  /** Sockets open now. */
  connected: number;
  /** Bots that failed to sign in, matchmake or connect (cumulative). */
  failures: number;
  lastFailure: string | null;
  /** Sessions re-started after the server closed one (e.g. match ended). */
  rejoins: number;
  framesIn: number;
  bytesIn: number;
  snapshots: number;
  keyframes: number;
  inputsSent: number;
  /** WebSocket frames sent (inputs and pings). */
  framesOut: number;
  bytesOut: number;
  decoded: number;
  decodeErrors: number;
  closes: Record<string, number>;
  rttMs: { p50: number; p99: number; count: number } | null;
  /** Input made → first snapshot acking it, on the sampled bots. */
  ackMs: { p50: number; p99: number; mean: number; count: number } | null;
  /** Seconds covered by these counters. */
  seconds: number;
}

/** The counters of SwarmStats, bumped as frames go in and out. */
export type SwarmCounters = ReturnType<typeof zeroCounters>;

export function zeroCounters() {
  return { failures: 0, lastFailure: null as string | null, rejoins: 0, framesIn: 0, bytesIn: 0, snapshots: 0, keyframes: 0, inputsSent: 0, framesOut: 0, bytesOut: 0, decoded: 0, decodeErrors: 0, closes: {} as Record<string, number> };
}

const RTT_SAMPLES = 100_000;

/** Ping round trips in ms: the newest RTT_SAMPLES kept (a fixed ring), `count` all of them. */
export class RttSamples {
  private readonly ms = new Float64Array(RTT_SAMPLES);
  private count = 0;

  add(ms: number): void {
    this.ms[this.count % RTT_SAMPLES] = ms;
    this.count++;
  }

  reset(): void {
    this.count = 0;
  }

  stats(): SwarmStats['rttMs'] {
    const n = Math.min(this.count, RTT_SAMPLES);
    const sorted = Float64Array.from(this.ms.subarray(0, n)).sort();
    return n > 0 ? { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), count: this.count } : null;
  }
}
