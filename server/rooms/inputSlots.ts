/**
 * The slots of a room's input store (tickInputs.ts, which owns the words' layout): one
 * Uint32Array for all of the room's seats, a slot per seat (its words padded to whole
 * 64-byte lines), the seated slots in order, and the reused objects a tick hands to the
 * simulation. Why not an object per seat: live, each object a frame touches is a cache
 * miss (see tickInputs.ts).
 *
 * Bound: a room has at most `maxPlayers` seats at a time (Room.joinable refuses more), and
 * the room makes this with `maxPlayers` slots, so the array is never replaced: sockets hold
 * it directly (a seat past the bound throws: a broken invariant, not a full room). A seat
 * that leaves frees its slot for the next one and bumps its generation (tickInputs.ts), so
 * a late frame of the old seat's socket is ignored rather than queued on the new seat.
 *
 * Allocation-free once warm: the input objects and the batch arrays (batches[slot][n] is an
 * array of the slot's first n input objects) are made when a slot is first used and reused
 * by every tick; shrinking a JS array would release its backing store (~1 KB per match tick
 * in a heap profile, when batches were sliced per tick).
 */
import type { PlayerInput } from './gameMode.js';
import type { Seat } from './seat.js';

/** Uint32s in a 64-byte line. */
const LINE = 16;

export class InputSlots {
  readonly data: Uint32Array;
  readonly stride: number;
  /** Seated slots in the order their seats were reserved (the batches map's order, as before). */
  readonly order: number[] = [];
  /**
   * Batch arrays by slot and size in one flat table, `batches[slot * (maxPerTick + 1) + n]`:
   * the tick reads one per seated slot, and an array of arrays per slot was one more object
   * (and its elements) to load per seat per tick, cold by the next tick.
   */
  readonly batches: PlayerInput[][] = [];
  /** Per slot: the last batch handed out, and the seat. */
  readonly lastBatch: Array<readonly PlayerInput[] | null> = [];
  readonly seats: Array<Seat | null> = [];
  /** Entries per slot in `batches`. */
  readonly sizes: number;
  private readonly free: number[] = [];
  private readonly capacity: number;

  constructor(
    private readonly base: number,
    slotWords: number,
    private readonly maxPerTick: number,
    maxSeats: number,
  ) {
    this.stride = Math.ceil(slotWords / LINE) * LINE;
    this.sizes = maxPerTick + 1;
    this.capacity = Math.max(1, maxSeats);
    this.data = new Uint32Array(base + this.capacity * this.stride);
  }

  /** The first word of slot `slot`. */
  at(slot: number): number {
    return this.base + slot * this.stride;
  }

  /**
   * A slot for `seat` (recycled or new), last in the order; returns its first word. Its
   * words are zero but for the generation.
   */
  add(seat: Seat): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.seats.length;
      if (slot === this.capacity) throw new Error(`input store: more than ${this.capacity} seats`);
      const out: PlayerInput[] = [];
      // viewTick present (undefined) from the start: every input keeps one object shape.
      for (let i = 0; i < this.maxPerTick; i++) out.push({ seq: 0, buttons: 0, aim: 0, viewTick: undefined });
      for (let n = 0; n <= this.maxPerTick; n++) this.batches.push(out.slice(0, n));
      this.lastBatch.push(null);
      this.seats.push(seat);
    } else {
      this.seats[slot] = seat;
      this.lastBatch[slot] = null;
    }
    this.order.push(slot);
    return this.at(slot);
  }

  /** Frees `seat`'s slot (false if it is not its); the caller resets the slot's words. */
  remove(at: number, seat: Seat): boolean {
    const slot = (at - this.base) / this.stride;
    if (this.seats[slot] !== seat) return false;
    this.seats[slot] = null;
    this.lastBatch[slot] = null;
    this.order.splice(this.order.indexOf(slot), 1);
    this.free.push(slot);
    return true;
  }
}
