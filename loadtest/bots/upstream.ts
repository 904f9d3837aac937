/**
 * How the bots send inputs up, and how long an input takes to be acknowledged.
 *
 * `single30`: one Input frame per tick (30 Hz), as the browser client sends them.
 * `batch15`: an input is still made every tick, but only every second tick goes out, as one
 * InputBatch of the two new inputs with the previous frame's newest repeated in front
 * (Overwatch-style redundancy): half the frames, and the older input of each pair waits one
 * tick before it leaves.
 */
import { quantile } from './quantile.js';
import { InputBatchFrame } from './inputFrame.js';

export type UpstreamMode = 'single30' | 'batch15';
export const UPSTREAM_MODES: readonly UpstreamMode[] = ['single30', 'batch15'];

/** One bot's batch15 sender: holds odd inputs, sends on even ones. */
export class BatchSender {
  private readonly frame = new InputBatchFrame();
  /** [previous frame's newest, held, current]. */
  private readonly buttons = new Int32Array(3);
  private readonly aims = new Int32Array(3);

  /** Input `seq` (1, 2, … per connection) was made; returns the frame to send now, or null (held). */
  next(seq: number, ackTick: number, buttons: number, aim: number): Buffer | null {
    if (seq % 2 === 1) {
      this.buttons[1] = buttons;
      this.aims[1] = aim;
      return null;
    }
    this.buttons[2] = buttons;
    this.aims[2] = aim;
    // The connection's first frame has nothing to repeat yet.
    const bytes =
      seq > 2
        ? this.frame.set(seq - 2, ackTick, 3, this.buttons, this.aims)
        : this.frame.set(seq - 1, ackTick, 2, this.buttons.subarray(1), this.aims.subarray(1));
    this.buttons[0] = buttons;
    this.aims[0] = aim;
    return bytes;
  }
}

/** New inputs each frame of a mode carries (the repeat is not new). */
export function newInputsPerFrame(mode: UpstreamMode): number {
  return mode === 'batch15' ? 2 : 1;
}

const SAMPLES = 100_000;
/** Inputs a sampled bot remembers the making time of; older ones (a long stall) go untimed. */
const REMEMBERED = 64;

/** Input made → first snapshot whose ack covers it, over sampled bots. */
export class AckLatency {
  private readonly ms = new Float64Array(SAMPLES);
  private count = 0;

  /** A sampled bot's memory of when each of its recent inputs was made. */
  static madeAtRing(): Float64Array {
    return new Float64Array(REMEMBERED);
  }

  /** Input `seq` was made at `now`. */
  static made(ring: Float64Array, seq: number, now: number): void {
    ring[seq % REMEMBERED] = now;
  }

  /** The ack went from `prev` to `ack` at `now` (lastSeq: the newest input made). */
  acked(ring: Float64Array, prev: number, ack: number, lastSeq: number, now: number): void {
    if (ack <= prev || ack > lastSeq) return;
    for (let seq = Math.max(prev + 1, lastSeq - REMEMBERED + 1); seq <= ack; seq++) {
      this.ms[this.count % SAMPLES] = now - ring[seq % REMEMBERED];
      this.count++;
    }
  }

  reset(): void {
    this.count = 0;
  }

  stats(): { p50: number; p99: number; mean: number; count: number } | null {
    const n = Math.min(this.count, SAMPLES);
    if (n === 0) return null;
    const sorted = Float64Array.from(this.ms.subarray(0, n)).sort();
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i];
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), mean: sum / n, count: this.count };
  }
}
