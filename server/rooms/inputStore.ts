/**
 * Where a room's queued inputs wait (tickInputs.ts decides which): one Uint32Array for all
 * of the room's seats, a slot per seat, and the reused objects a tick hands to the
 * simulation.
 *
 * A slot is H.SIZE header words, then a ring of `maxQueued` inputs of 4 words (seq, buttons
 * | HAS_VIEW when viewTick is set, aim, viewTick), padded to whole 64-byte lines: a frame
 * reads and writes the header and one ring entry, most often in the same line. The oldest
 * input is dropped past the ring's capacity (tickInputs.ts). Why not an object per seat:
 * live, each object a frame touches is a cache miss (see tickInputs.ts).
 *
 * Bound: a room has at most `maxPlayers` seats (Room.joinable), and the room sizes this for
 * them, so the array never grows in practice; it still doubles if more seats come (a slot's
 * index and generation stay valid across a growth: holders keep the TickInputs, not the
 * array). A seat that leaves frees its slot for the next one and bumps its generation, so a
 * late frame of the old seat's socket is ignored rather than queued on the new seat.
 *
 * Allocation-free once warm: the input objects and the batch arrays (batches[slot][n] is an
 * array of the slot's first n input objects) are made when a slot is first used and reused
 * by every tick; shrinking a JS array would release its backing store (~1 KB per match tick
 * in a heap profile, when batches were sliced per tick).
 */
import type { PlayerInput } from './gameMode.js';
import type { Seat } from './seat.js';

/** Header words of a slot. */
export const H = {
  /** Ring index of the oldest queued input. */
  HEAD: 0,
  /** Queued inputs. */
  COUNT: 1,
  /** Last queued sequence (valid with HAS_SEQ): older or equal ones are stale. */
  LAST_SEQ: 2,
  FLAGS: 3,
  /** Bumped each time the slot is freed: a socket's (slot, generation) names one seat. */
  GEN: 4,
  /** Inputs the seat may still apply (tickInputs.ts): +1 per tick, ≤ maxInputsPerTick. */
  CREDIT: 5,
  /** The seat's entity id; 0 until its player first connects (then the tick skips it). */
  PLAYER: 6,
  SIZE: 8,
} as const;

/** FLAGS: LAST_SEQ holds a sequence (seq 0 is a valid first input, so 0 cannot mean "none"). */
export const HAS_SEQ = 1;
/** Above any button bit (BUTTONS_MASK is a few bits): marks a queued input that has a viewTick. */
export const HAS_VIEW = 0x80000000;
export const BUTTONS = 0x7fffffff;

/** Uint32s in a 64-byte line. */
const LINE = 16;

export class InputSlots {
  data: Uint32Array;
  readonly stride: number;
  /** Seated slots in the order their seats were reserved (the batches map's order, as before). */
  readonly order: number[] = [];
  /** Per slot: batch arrays by size, the last batch handed out, the seat. */
  readonly batches: PlayerInput[][][] = [];
  readonly lastBatch: Array<readonly PlayerInput[] | null> = [];
  readonly seats: Array<Seat | null> = [];
  private readonly free: number[] = [];
  private capacity: number;

  constructor(
    maxQueued: number,
    private readonly maxPerTick: number,
    maxSeats: number,
  ) {
    this.stride = Math.ceil((H.SIZE + maxQueued * 4) / LINE) * LINE;
    this.capacity = Math.max(1, maxSeats);
    this.data = new Uint32Array(this.capacity * this.stride);
  }

  add(seat: Seat): void {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.seats.length;
      if (slot === this.capacity) this.grow();
      const out: PlayerInput[] = [];
      // viewTick present (undefined) from the start: every input keeps one object shape.
      for (let i = 0; i < this.maxPerTick; i++) out.push({ seq: 0, buttons: 0, aim: 0, viewTick: undefined });
      const sizes: PlayerInput[][] = [];
      for (let n = 0; n <= this.maxPerTick; n++) sizes.push(out.slice(0, n));
      this.batches.push(sizes);
      this.lastBatch.push(null);
      this.seats.push(seat);
    } else {
      this.seats[slot] = seat;
      this.lastBatch[slot] = null;
    }
    seat.inputSlot = slot;
    seat.inputGen = this.data[slot * this.stride + H.GEN];
    this.order.push(slot);
  }

  remove(seat: Seat): void {
    const slot = seat.inputSlot;
    if (slot < 0 || this.seats[slot] !== seat) return;
    const at = slot * this.stride;
    const gen = this.data[at + H.GEN];
    this.data.fill(0, at, at + H.SIZE);
    this.data[at + H.GEN] = (gen + 1) >>> 0;
    this.seats[slot] = null;
    this.lastBatch[slot] = null;
    this.order.splice(this.order.indexOf(slot), 1);
    this.free.push(slot);
    seat.inputSlot = -1;
  }

  private grow(): void {
    const data = new Uint32Array(this.capacity * 2 * this.stride);
    data.set(this.data);
    this.data = data;
    this.capacity *= 2;
  }
}
