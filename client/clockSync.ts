/**
 * Clock synchronisation from ping/pong, NTP-style. Each pong gives one sample:
 *
 *   rtt    = received − sent                      (local clock, ms)
 *   offset = serverTime + rtt / 2 − received      (server clock − local clock)
 *
 * assuming the two directions take equally long. The estimate is the median over the last
 * samples, so one delayed packet (a GC pause, a retransmit) cannot drag it. The offset in
 * use slews toward the estimate instead of jumping, so the interpolation timeline that runs
 * on it never jerks; only a large error (first samples, a suspended laptop) snaps.
 */
import { median, Window } from './stats.js';

export interface ClockSample {
  rtt: number;
  offset: number;
}

export interface ClockSyncOptions {
  /** Samples kept for the median. */
  window?: number;
  /** Offset errors above this snap instead of slewing, ms. */
  snapMs?: number;
  /** Largest slew per sample, ms. */
  slewMs?: number;
}

export class ClockSync {
  private readonly rtts: Window;
  private readonly offsets: Window;
  private offsetInUse = 0;
  private synced = false;
  private lastRtt: number | null = null;
  private jitterValue = 0;
  private readonly snapMs: number;
  private readonly slewMs: number;

  constructor(o: ClockSyncOptions = {}) {
    this.rtts = new Window(o.window ?? 15);
    this.offsets = new Window(o.window ?? 15);
    this.snapMs = o.snapMs ?? 100;
    this.slewMs = o.slewMs ?? 5;
  }

  /**
   * Records one ping/pong round trip; `sent` and `received` on the local clock. `step` is
   * how far the offset in use jumped (0 when it only slewed): timelines kept on the server
   * clock move by it (InterpolationBuffer.rebase).
   */
  addSample(sent: number, received: number, serverTime: number): (ClockSample & { step: number }) | null {
    const rtt = received - sent;
    if (!(rtt >= 0) || !Number.isFinite(serverTime)) return null;
    const offset = serverTime + rtt / 2 - received;
    this.rtts.push(rtt);
    this.offsets.push(offset);
    // RFC 3550-style interarrival jitter: a smoothed mean of RTT changes.
    if (this.lastRtt !== null) this.jitterValue += (Math.abs(rtt - this.lastRtt) - this.jitterValue) / 8;
    this.lastRtt = rtt;
    const target = median(this.offsets.values);
    const err = target - this.offsetInUse;
    let step = 0;
    if (!this.synced || Math.abs(err) > this.snapMs) {
      step = err;
      this.offsetInUse = target;
    } else this.offsetInUse += Math.max(-this.slewMs, Math.min(this.slewMs, err));
    this.synced = true;
    return { rtt, offset, step };
  }

  get isSynced(): boolean {
    return this.synced;
  }

  get sampleCount(): number {
    return this.rtts.length;
  }

  /** Median round-trip time, ms (0 before the first sample). */
  get rtt(): number {
    return median(this.rtts.values);
  }

  /** Mean RTT variation, ms. */
  get jitter(): number {
    return this.jitterValue;
  }

  /** Server clock minus local clock, ms. */
  get offset(): number {
    return this.offsetInUse;
  }

  /** The server's clock now, estimated from the local clock. */
  serverNow(localNow: number): number {
    return localNow + this.offsetInUse;
  }
}
