/**
 * A seat's queued inputs: a fixed-capacity ring (the oldest is dropped past it), and the
 * arrays a tick hands to the simulation. Allocation-free once warm: shrinking a JS array
 * (`length = 0`, `splice`) releases its backing store and the next push allocates a new
 * one, which a heap profile showed as ~1 KB per match tick.
 *
 * The ring holds its own input objects, made once, and `push` copies into them: the
 * receive path decodes every frame into one reused message (ClientFrameReader), so a
 * queued input must never be the caller's object.
 */
import type { PlayerInput } from './gameMode.js';

export class InputQueue {
  private readonly ring: PlayerInput[] = [];
  private head = 0;
  private count = 0;
  /** batches[n] is an array of exactly n inputs, overwritten by every `take(n)`. */
  private readonly batches: PlayerInput[][] = [[]];

  constructor(readonly capacity: number) {
    // viewTick present (undefined) from the start: every slot keeps one object shape.
    for (let i = 0; i < capacity; i++) this.ring.push({ seq: 0, buttons: 0, aim: 0, viewTick: undefined });
  }

  get length(): number {
    return this.count;
  }

  /** Copies an input in; returns true when the oldest had to be dropped to make room. */
  push(input: PlayerInput): boolean {
    let dropped = false;
    if (this.count === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      dropped = true;
    }
    const slot = this.ring[(this.head + this.count) % this.capacity];
    slot.seq = input.seq;
    slot.buttons = input.buttons;
    slot.aim = input.aim;
    slot.viewTick = input.viewTick;
    this.count++;
    return dropped;
  }

  /**
   * Removes up to `max` oldest inputs and returns them in order, in an array that stays
   * valid until the next `take`; the inputs in it are ring slots, valid until the next
   * `push` (the simulation reads them during one step, and nothing is queued meanwhile).
   */
  take(max: number): readonly PlayerInput[] {
    const n = Math.min(max, this.count);
    while (this.batches.length <= n) this.batches.push(new Array<PlayerInput>(this.batches.length));
    const batch = this.batches[n];
    for (let i = 0; i < n; i++) {
      batch[i] = this.ring[this.head];
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= n;
    return batch;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
