/**
 * A seat's queued inputs: a fixed-capacity ring (the oldest is dropped past it), and the
 * arrays a tick hands to the simulation. Allocation-free once warm: shrinking a JS array
 * (`length = 0`, `splice`) releases its backing store and the next push allocates a new
 * one, which a heap profile showed as ~1 KB per match tick.
 */
import type { PlayerInput } from './gameMode.js';

export class InputQueue {
  private readonly ring: Array<PlayerInput | null>;
  private head = 0;
  private count = 0;
  /** batches[n] is an array of exactly n inputs, overwritten by every `take(n)`. */
  private readonly batches: PlayerInput[][] = [[]];

  constructor(readonly capacity: number) {
    this.ring = new Array<PlayerInput | null>(capacity).fill(null);
  }

  get length(): number {
    return this.count;
  }

  /** Adds an input; returns true when the oldest had to be dropped to make room. */
  push(input: PlayerInput): boolean {
    let dropped = false;
    if (this.count === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      dropped = true;
    }
    this.ring[(this.head + this.count) % this.capacity] = input;
    this.count++;
    return dropped;
  }

  /**
   * Removes up to `max` oldest inputs and returns them in order, in an array that stays
   * valid until the next `take` (the simulation reads it during one step).
   */
  take(max: number): readonly PlayerInput[] {
    const n = Math.min(max, this.count);
    while (this.batches.length <= n) this.batches.push(new Array<PlayerInput>(this.batches.length));
    const batch = this.batches[n];
    for (let i = 0; i < n; i++) {
      batch[i] = this.ring[this.head]!;
      this.ring[this.head] = null;
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= n;
    return batch;
  }

  clear(): void {
    this.ring.fill(null);
    this.head = 0;
    this.count = 0;
  }
}
