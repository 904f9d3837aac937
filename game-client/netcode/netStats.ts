/**
 * The numbers the net graph (ui/netGraph.ts) and the debug hook show for a session: round
 * trip and clock from the feed's ClockSync, snapshot and byte rates metered here, the
 * interpolation buffer's state, prediction error, transport and link. Kept apart from the
 * session so measuring never changes what is played: the meter only reads.
 */
import { quantile, RateMeter, type Connection, type MatchFeed, type Predictor } from '../../client/index.js';

export interface NetStats {
  rttMs: number;
  jitterMs: number;
  clockOffsetMs: number;
  snapshotsPerSecond: number;
  downKBps: number;
  upKBps: number;
  /** Interpolation delay in use and its target, ms. */
  interpDelayMs: number;
  interpTargetMs: number;
  /** Snapshots buffered ahead of the render time. */
  interpAhead: number;
  /** Snapshot arrival jitter the buffer measured, ms. */
  snapshotJitterMs: number;
  starvations: number;
  predErrorLast: number;
  predErrorP99: number;
  predErrorMax: number;
  predSamples: number;
  corrections: number;
  snaps: number;
  pendingInputs: number;
  transport: string;
  /** ok, unstable or lost (client/linkHealth.ts). */
  link: string;
  lag: string | null;
}

/** Snapshot and byte rates over the last second, fed by the session. */
export class NetMeter {
  private readonly snapshotRate = new RateMeter(1000);
  private readonly down = new RateMeter(1000);
  private readonly up = new RateMeter(1000);
  private lastBytesIn = 0;
  private lastBytesOut = 0;

  constructor(private readonly connection: Connection) {}

  /** A snapshot was applied at `now`. */
  snapshot(now: number): void {
    this.snapshotRate.add(now);
  }

  /** Counts the bytes the connection moved since the last call. */
  bytes(now: number): void {
    const dIn = this.connection.bytesIn - this.lastBytesIn;
    const dOut = this.connection.bytesOut - this.lastBytesOut;
    if (dIn > 0) this.down.add(now, dIn);
    if (dOut > 0) this.up.add(now, dOut);
    this.lastBytesIn = this.connection.bytesIn;
    this.lastBytesOut = this.connection.bytesOut;
  }

  /** All the numbers at `now`, with the feed's and the predictor's (null before a match). */
  stats(now: number, feed: MatchFeed, predictor: Predictor<number> | null): NetStats {
    this.bytes(now);
    const p = predictor?.stats;
    const lag = this.connection.lag;
    const buffer = feed.interpolation;
    const clock = feed.clock;
    return {
      rttMs: clock.rtt,
      jitterMs: clock.jitter,
      clockOffsetMs: clock.offset,
      snapshotsPerSecond: this.snapshotRate.rate(now),
      downKBps: this.down.rate(now) / 1024,
      upKBps: this.up.rate(now) / 1024,
      interpDelayMs: buffer?.delayMs ?? 0,
      interpTargetMs: buffer?.targetDelayMs ?? 0,
      interpAhead: buffer?.ahead ?? 0,
      snapshotJitterMs: buffer?.jitterMs ?? 0,
      starvations: buffer?.starvations ?? 0,
      predErrorLast: p?.lastError ?? 0,
      predErrorP99: p ? quantile(p.recent, 0.99) : 0,
      predErrorMax: p?.maxError ?? 0,
      predSamples: p?.samples ?? 0,
      corrections: p?.corrections ?? 0,
      snaps: p?.snaps ?? 0,
      pendingInputs: predictor?.pendingCount ?? 0,
      transport: this.connection.transport,
      link: this.connection.linkState,
      lag: lag ? `${lag.lagMs}±${lag.jitterMs / 2} ms` : null,
    };
  }
}
