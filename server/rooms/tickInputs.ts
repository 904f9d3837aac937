/**
 * A room's inputs on their way from sockets to the simulation: which queued input a seat
 * may take (stale, late and overflowing ones are dropped and counted), where they wait,
 * and the per-tick batches handed to `GameMode.step`.
 *
 * Movement budget: a seat earns one input per tick, saved up to `maxInputsPerTick`, so a
 * few inputs delayed by jitter are caught up in one tick, but a flood at 2× the tick rate
 * cannot make a player run 2× as fast (the socket's rate limit alone allows 60/s; the
 * surplus waits in the bounded queue).
 *
 * Ticks the loop skipped after a stall are earned too: real time passed and the client
 * made an input for each of them. Without that, those inputs stayed queued for good — a
 * client sending one input per tick never drained them, so every later input waited
 * behind them (~10 ticks after a 500 ms stall; test/unit/tickInputs.backlog.test.ts).
 * That credit is spent at most `maxInputsPerTick` inputs a tick (with the seat's own), and
 * lapses `lateInputMs` after the skip: inputs older than that are dropped as late anyway.
 *
 * Storage: every seat of the room has a slot in ONE Uint32Array (layout: `W` below; slot
 * allocation and the tick's reused objects: inputSlots.ts).
 * Live, a socket's frames arrive 33 ms apart with the kernel and 799 other sockets in
 * between, so every object a frame touches is a cache miss, one after the other; a queue
 * object and a ring object per seat (and the room and the seat before them) were links in
 * that chain. A socket holds the array and its seat's slot (first word and generation)
 * directly once attached, so a frame goes socket context (InputSlotRef) → the array's header → the room's
 * line and the slot's line (`queueInput`, a function of the array alone); the tick walks
 * the seated slots in reservation order instead of a Map iterator over seat objects.
 */
import type { InputMsg } from '../../protocol/index.js';
import type { PlayerInput } from './gameMode.js';
import { InputSlots } from './inputSlots.js';
import { isLateInput, lateInputTicks } from './lateInputs.js';
import type { Seat } from './seat.js';

/**
 * A slot's words: a header, then a ring of `maxQueuedInputs` inputs of 4 words (seq,
 * buttons | HAS_VIEW when viewTick is set, aim, viewTick), padded to whole 64-byte lines: a
 * frame reads and writes the header and one ring entry, often in the same line. A const
 * enum, inlined by the compiler: a frame's reads are literal offsets, not loads of a
 * layout object (measured: ~10 % of the warm receive path).
 */
const enum W {
  // The room's words, the array's first line: what a frame needs besides its slot, so the
  // receive path reads the array alone, not this object too (one cache miss fewer).
  /** The room's tick, which `late` is judged against (Room.runTick sets it). */
  TICK = 0,
  /** 1 while the match accepts inputs, 0 once it ended (its inputs are ignored, uncounted). */
  ACCEPTING = 1,
  LATE_TICKS = 2,
  MAX_QUEUED = 3,
  /** Where slot 0 starts. */
  ROOM = 16,
  // A slot's words (from its `inputAt`):
  /** Ring index of the oldest queued input. */
  HEAD = 0,
  /** Queued inputs. */
  COUNT = 1,
  /** Last queued sequence (valid with HAS_SEQ): older or equal ones are stale. */
  LAST_SEQ = 2,
  FLAGS = 3,
  /** Bumped each time the slot is freed: a socket's (slot, generation) names one seat. */
  GEN = 4,
  /** Inputs the seat may still apply: +1 per tick, ≤ maxInputsPerTick (the movement budget). */
  CREDIT = 5,
  /** The seat's entity id; 0 until its player first connects (then the tick skips it). */
  PLAYER = 6,
  HEADER = 8,
  /** FLAGS: LAST_SEQ holds a sequence (seq 0 is a valid first input, so 0 cannot mean "none"). */
  HAS_SEQ = 1,
}
/** Above any button bit (BUTTONS_MASK is a few bits): marks a queued input that has a viewTick. */
const HAS_VIEW = 0x80000000;
const BUTTONS = 0x7fffffff;

/** Why an input was not queued ('' when it was). 'overflow' means an older one was dropped. */
export type InputVerdict = '' | 'stale' | 'late' | 'overflow';

export interface TickInputsOptions {
  tickRate: number;
  maxInputsPerTick: number;
  maxQueuedInputs: number;
  lateInputMs: number;
}

export class TickInputs {
  /** The room's words and the slots (layout `W`); never replaced: sockets hold it. */
  readonly data: Uint32Array;
  private readonly maxQueued: number;
  private readonly lateTicks: number;
  /** A dropped input, counted by the room's hooks. */
  onRejected: ((verdict: InputVerdict) => void) | null = null;
  private readonly slots: InputSlots;
  /**
   * The map and the batch arrays are reused every tick (the mode reads them only during
   * step), so a tick allocates nothing for its inputs. Every seated player has an entry, an
   * empty batch on a tick without inputs (Map.clear would allocate a new table); a seat that
   * goes away takes its entry with it (`removeSeat`). Set only when a slot's batch array
   * changes (`lastBatch`), which a steady input per tick never does.
   */
  private readonly batches = new Map<number, readonly PlayerInput[]>();
  /** Ticks skipped since the last gather, earned by every seat at the next one. */
  private skippedTicks = 0;
  /**
   * Per player id, skipped ticks not yet spent (≤ maxQueuedInputs: no more inputs can
   * wait). Used only for `owedGathersLeft` gathers after a skip, so ticks without a recent
   * stall never touch it.
   */
  private readonly owed = new Map<number, number>();
  private owedGathersLeft = 0;

  constructor(
    private readonly o: TickInputsOptions,
    maxSeats = 8,
  ) {
    this.lateTicks = lateInputTicks(o.lateInputMs, o.tickRate);
    this.maxQueued = o.maxQueuedInputs;
    this.slots = new InputSlots(W.ROOM, W.HEADER + o.maxQueuedInputs * 4, o.maxInputsPerTick, maxSeats);
    const d = (this.data = this.slots.data);
    d[W.ACCEPTING] = 1;
    d[W.LATE_TICKS] = this.lateTicks;
    d[W.MAX_QUEUED] = this.maxQueued;
  }

  /** The room's tick, which `late` is judged against (Room.runTick sets it). */
  set serverTick(tick: number) {
    this.data[W.TICK] = tick;
  }

  /** False once the match ended: its inputs are ignored, uncounted. */
  set accepting(yes: boolean) {
    this.data[W.ACCEPTING] = yes ? 1 : 0;
  }

  /** Counts an input `queueInput` dropped (the receive path's own call). */
  rejected(verdict: InputVerdict): void {
    if (this.onRejected !== null) this.onRejected(verdict);
  }

  // ---- seats --------------------------------------------------------------------------

  /** A seat joins the room: it gets a slot (recycled from a seat that left) and its generation. */
  addSeat(seat: Seat): void {
    seat.inputAt = this.slots.add(seat);
    seat.inputGen = this.data[seat.inputAt + W.GEN];
  }

  /** The seat's player entered the simulation (or its socket came back): an empty queue. */
  seated(seat: Seat): void {
    const at = seat.inputAt;
    const d = this.data;
    d[at + W.PLAYER] = seat.playerId;
    d[at + W.HEAD] = 0;
    d[at + W.COUNT] = 0;
  }

  /** A seat left: its player leaves the batches, its slot is free (and its old generation dead). */
  removeSeat(seat: Seat): void {
    if (seat.playerId !== 0) {
      this.batches.delete(seat.playerId);
      this.owed.delete(seat.playerId);
    }
    const at = seat.inputAt;
    if (at < 0 || !this.slots.remove(at, seat)) return;
    const gen = this.data[at + W.GEN];
    this.data.fill(0, at, at + W.HEADER);
    this.data[at + W.GEN] = (gen + 1) >>> 0;
    seat.inputAt = -1;
  }

  /** Inputs waiting on a seat's slot. */
  queued(seat: Seat): number {
    return seat.inputAt < 0 ? 0 : this.data[seat.inputAt + W.COUNT];
  }

  /** Empties a seat's queue without applying anything (benchmarks stand in for ticks with it). */
  discard(seat: Seat): void {
    if (seat.inputAt < 0) return;
    this.data[seat.inputAt + W.COUNT] = 0;
    this.data[seat.inputAt + W.HEAD] = 0;
  }

  // ---- the receive path ---------------------------------------------------------------

  /** Room.queueInput: `queueInput` on this room's array, counting a dropped input. */
  offer(at: number, gen: number, msg: InputMsg): void {
    const verdict = queueInput(this.data, at, gen, msg);
    if (verdict !== null && verdict !== '') this.rejected(verdict);
  }

  /** A batch's inputs, oldest first; one the seat already has (a repeat) is dropped silently, uncounted. */
  offerBatch(at: number, gen: number, inputs: readonly InputMsg[]): void {
    const d = this.data;
    for (let i = 0; i < inputs.length; i++) {
      if (d[at + W.FLAGS] & W.HAS_SEQ && inputs[i].seq <= d[at + W.LAST_SEQ]) continue;
      this.offer(at, gen, inputs[i]);
    }
  }

  // ---- the tick -----------------------------------------------------------------------

  /** The tick loop skipped `ticks` ticks (a stall): every seat earns them at the next gather. */
  skipped(ticks: number): void {
    this.skippedTicks += ticks;
  }

  /**
   * Takes this tick's inputs from every seat with an entity, in the order the seats were
   * reserved, records each seat's ack, and returns how many were applied; `current` then
   * holds them for one `step`.
   */
  gather(): number {
    const cap = this.o.maxInputsPerTick;
    const skipped = this.skippedTicks;
    this.skippedTicks = 0;
    // The stalled inputs may be read before or after the first tick that follows the skip,
    // so the credit waits for them (a while), not only for the next gather.
    if (skipped > 0) this.owedGathersLeft = this.lateTicks;
    else if (this.owedGathersLeft > 0 && --this.owedGathersLeft === 0) this.owed.clear();
    const anyOwed = this.owedGathersLeft > 0;
    const d = this.data;
    const slots = this.slots;
    const order = slots.order;
    const sizes = slots.sizes;
    let applied = 0;
    for (let k = 0; k < order.length; k++) {
      const slot = order[k];
      const at = slots.at(slot);
      const id = d[at + W.PLAYER];
      if (id === 0) continue;
      const credit = Math.min(d[at + W.CREDIT] + 1, cap);
      let n: number;
      if (anyOwed) n = this.takeWithOwed(d, at, id, credit, skipped, cap);
      else {
        n = Math.min(credit, d[at + W.COUNT]);
        d[at + W.CREDIT] = credit - n;
      }
      const batch = slots.batches[slot * sizes + n];
      if (slots.lastBatch[slot] !== batch) {
        slots.lastBatch[slot] = batch;
        this.batches.set(id, batch);
      }
      if (n === 0) continue;
      this.copyOut(d, at, batch);
      applied += n;
      slots.seats[slot]!.ackSeq = batch[n - 1].seq;
    }
    return applied;
  }

  /** Moves a slot's `batch.length` oldest inputs into the batch's (reused) input objects. */
  private copyOut(d: Uint32Array, at: number, batch: readonly PlayerInput[]): void {
    const cap = this.maxQueued;
    let head = d[at + W.HEAD];
    const n = batch.length;
    for (let i = 0; i < n; i++) {
      const r = at + W.HEADER + head * 4;
      const input = batch[i] as PlayerInput;
      const buttons = d[r + 1];
      input.seq = d[r];
      input.buttons = buttons & BUTTONS;
      input.aim = d[r + 2];
      input.viewTick = buttons & HAS_VIEW ? d[r + 3] : undefined;
      head = head + 1 === cap ? 0 : head + 1;
    }
    const left = d[at + W.COUNT] - n;
    d[at + W.COUNT] = left;
    // An emptied ring starts over at 0, next to the header (most ticks empty it): the next
    // frame then writes in the header's line, not one more.
    d[at + W.HEAD] = left === 0 ? 0 : head;
  }

  /**
   * How many inputs a seat takes while skipped ticks are owed: at most `cap`, paid from the
   * seat's credit first (it is capped: unspent, this tick's +1 would be lost), then from
   * what it is owed.
   */
  private takeWithOwed(d: Uint32Array, at: number, id: number, credit: number, skipped: number, cap: number): number {
    const owed = Math.min((this.owed.get(id) ?? 0) + skipped, this.maxQueued);
    const n = Math.min(credit + owed, cap, d[at + W.COUNT]);
    const fromCredit = Math.min(n, credit);
    d[at + W.CREDIT] = credit - fromCredit;
    const left = owed - (n - fromCredit);
    if (left > 0) this.owed.set(id, left);
    else this.owed.delete(id);
    return n;
  }

  /** The batches of the last `gather`, per player id. */
  get current(): ReadonlyMap<number, readonly PlayerInput[]> {
    return this.batches;
  }
}

/**
 * Where a connection's inputs go: its room's input array and its seat's slot (first word,
 * generation), set once its seat is attached (`inputWords` null until then). Kept on the
 * object the receive path loads first (the /play socket's user data, a polling session's
 * context), so an input goes from there straight to the array: no state, room or seat
 * object on the way.
 */
export interface InputSlotRef {
  inputWords: Uint32Array | null;
  inputAt: number;
  inputGen: number;
}

/**
 * Queues a validated input on the slot at word `at` of a room's input array if the slot
 * still belongs to generation `gen` (a socket of a seat that left cannot write into the
 * seat that took its slot), its seat has a player and the match accepts inputs. Returns
 * the verdict ('' queued; the caller counts the others through TickInputs.rejected), or
 * null when ignored. Copied into the ring: `msg` may be the receive path's reused scratch
 * message. A function of the array alone: the receive path holds the array, not the room.
 */
export function queueInput(d: Uint32Array, at: number, gen: number, msg: InputMsg): InputVerdict | null {
  if (d[at + W.GEN] !== gen || d[at + W.PLAYER] === 0 || d[W.ACCEPTING] === 0) return null;
  const seq = msg.seq;
  const flags = d[at + W.FLAGS];
  if (flags & W.HAS_SEQ && seq <= d[at + W.LAST_SEQ]) return 'stale';
  d[at + W.LAST_SEQ] = seq;
  d[at + W.FLAGS] = flags | W.HAS_SEQ;
  if (isLateInput(msg.ackTick, d[W.TICK], d[W.LATE_TICKS])) return 'late';
  const cap = d[W.MAX_QUEUED];
  let head = d[at + W.HEAD];
  let count = d[at + W.COUNT];
  let verdict: InputVerdict = '';
  if (count === cap) {
    // Overflow: the oldest goes.
    head = head + 1 === cap ? 0 : head + 1;
    count--;
    d[at + W.HEAD] = head;
    verdict = 'overflow';
  }
  let i = head + count;
  if (i >= cap) i -= cap;
  const r = at + W.HEADER + i * 4;
  const view = msg.viewTick;
  d[r] = seq;
  d[r + 1] = view === undefined ? msg.buttons : msg.buttons | HAS_VIEW;
  d[r + 2] = msg.aim;
  d[r + 3] = view === undefined ? 0 : view;
  d[at + W.COUNT] = count + 1;
  return verdict;
}
