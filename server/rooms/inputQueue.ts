/**
 * A seat's queued inputs: a fixed-capacity ring (the oldest is dropped past it), and the
 * arrays a tick hands to the simulation. Allocation-free once warm: shrinking a JS array
 * (`length = 0`, `splice`) releases its backing store and the next push allocates a new
 * one, which a heap profile showed as ~1 KB per match tick.
 *
 * The ring is one Uint32Array, 16 bytes an input, and `push` copies into it: the receive
 * path decodes every frame into one reused message (ClientFrameReader), so a queued input
 * must never be the caller's object. Why not a ring of input objects: live, a socket's
 * frames arrive 33 ms apart, so each object a push touches is a cache miss, and an object
 * ring is three (the array, its elements, the slot object); this is one (the typed array's
 * data, plus its small header object). `take` copies into the queue's own input objects.
 */
import type { PlayerInput } from './gameMode.js';

/** Uint32s per queued input: seq, buttons (| HAS_VIEW when viewTick is set), aim, viewTick. */
const FIELDS = 4;
/** Above any button bit (BUTTONS_MASK is a few bits): marks a queued input that has a viewTick. */
const HAS_VIEW = 0x80000000;
const BUTTONS = 0x7fffffff;

export class InputQueue {
  // What `push` reads first, in declaration (= object layout) order: one cache line.
  readonly capacity: number;
  private head = 0;
  private count = 0;
  private readonly ring: Uint32Array;
  /** The inputs `take` hands out, made once: out[i] is the i-th of the last take. */
  private readonly out: PlayerInput[] = [];
  /** batches[n] is an array of out[0..n), the same array for every `take(n)`. */
  private readonly batches: PlayerInput[][] = [[]];

  constructor(capacity: number) {
    this.capacity = capacity;
    this.ring = new Uint32Array(capacity * FIELDS);
    // viewTick present (undefined) from the start: every input keeps one object shape.
    for (let i = 0; i < capacity; i++) this.out.push({ seq: 0, buttons: 0, aim: 0, viewTick: undefined });
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
    const at = ((this.head + this.count) % this.capacity) * FIELDS;
    const r = this.ring;
    const view = input.viewTick;
    r[at] = input.seq;
    r[at + 1] = view === undefined ? input.buttons : input.buttons | HAS_VIEW;
    r[at + 2] = input.aim;
    r[at + 3] = view === undefined ? 0 : view;
    this.count++;
    return dropped;
  }

  /**
   * Removes up to `max` oldest inputs and returns them in order, in an array that stays
   * valid until the next `take` (the simulation reads them during one step; pushes meanwhile
   * do not touch them).
   */
  take(max: number): readonly PlayerInput[] {
    const n = Math.min(max, this.count);
    while (this.batches.length <= n) this.batches.push(this.out.slice(0, this.batches.length));
    const r = this.ring;
    for (let i = 0; i < n; i++) {
      const at = this.head * FIELDS;
      const input = this.out[i];
      const buttons = r[at + 1];
      input.seq = r[at];
      input.buttons = buttons & BUTTONS;
      input.aim = r[at + 2];
      input.viewTick = buttons & HAS_VIEW ? r[at + 3] : undefined;
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= n;
    return this.batches[n];
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
