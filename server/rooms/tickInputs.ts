/**
 * Inputs on their way from sockets to the simulation: which queued input a seat may take
 * (stale, late and overflowing ones are dropped and counted), and the per-tick batches
 * handed to `GameMode.step`.
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
 */
import type { InputMsg } from '../../protocol/index.js';
import type { PlayerInput } from './gameMode.js';
import { InputQueue } from './inputQueue.js';
import { isLateInput, lateInputTicks } from './lateInputs.js';
import type { Seat } from './seat.js';

/** Why an input was not queued ('' when it was). 'overflow' means an older one was dropped. */
export type InputVerdict = '' | 'stale' | 'late' | 'overflow';

export interface TickInputsOptions {
  tickRate: number;
  maxInputsPerTick: number;
  maxQueuedInputs: number;
  lateInputMs: number;
}

export class TickInputs {
  private readonly lateTicks: number;
  /** o.maxQueuedInputs, read by every queued input: a field here spares a load of `o`. */
  private readonly maxQueued: number;
  /**
   * The map and the batch arrays are reused every tick (the mode reads them only during
   * step), so a tick allocates nothing for its inputs. Every seated player has an entry, an
   * empty batch on a tick without inputs (Map.clear would allocate a new table); a seat that
   * goes away takes its entry with it (`forget`).
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

  constructor(private readonly o: TickInputsOptions) {
    this.lateTicks = lateInputTicks(o.lateInputMs, o.tickRate);
    this.maxQueued = o.maxQueuedInputs;
  }

  /** Queues a validated input on its seat at server tick `serverTick`. */
  queue(seat: Seat, msg: InputMsg, serverTick: number): InputVerdict {
    if (msg.seq <= seat.lastQueuedSeq) return 'stale';
    seat.lastQueuedSeq = msg.seq;
    if (isLateInput(msg.ackTick, serverTick, this.lateTicks)) return 'late';
    if (seat.inputs.capacity !== this.maxQueued) seat.inputs = new InputQueue(this.maxQueued);
    // Copied into the seat's ring: `msg` may be the receive path's reused scratch message.
    return seat.inputs.push(msg) ? 'overflow' : '';
  }

  /** The tick loop skipped `ticks` ticks (a stall): every seat earns them at the next gather. */
  skipped(ticks: number): void {
    this.skippedTicks += ticks;
  }

  /**
   * Takes this tick's inputs from every seat with an entity, records each seat's ack, and
   * returns how many were applied; `batches` then holds them for one `step`.
   */
  gather(seats: Iterable<Seat>): number {
    const cap = this.o.maxInputsPerTick;
    const skipped = this.skippedTicks;
    this.skippedTicks = 0;
    // The stalled inputs may be read before or after the first tick that follows the skip,
    // so the credit waits for them (a while), not only for the next gather.
    if (skipped > 0) this.owedGathersLeft = this.lateTicks;
    else if (this.owedGathersLeft > 0 && --this.owedGathersLeft === 0) this.owed.clear();
    const anyOwed = this.owedGathersLeft > 0;
    let applied = 0;
    for (const seat of seats) {
      if (seat.playerId === 0) continue;
      seat.inputCredit = Math.min(seat.inputCredit + 1, cap);
      let batch: readonly PlayerInput[];
      if (anyOwed) batch = this.takeWithOwed(seat, skipped, cap);
      else {
        batch = seat.inputs.take(seat.inputCredit);
        seat.inputCredit -= batch.length;
      }
      if (this.batches.get(seat.playerId) !== batch) this.batches.set(seat.playerId, batch);
      if (batch.length === 0) continue;
      applied += batch.length;
      seat.ackSeq = batch[batch.length - 1].seq;
    }
    return applied;
  }

  /**
   * A seat's take while skipped ticks are owed: at most `cap` inputs, paid from the seat's
   * credit first (it is capped: unspent, this tick's +1 would be lost), then from what it
   * is owed.
   */
  private takeWithOwed(seat: Seat, skipped: number, cap: number): readonly PlayerInput[] {
    const id = seat.playerId;
    const owed = Math.min((this.owed.get(id) ?? 0) + skipped, this.o.maxQueuedInputs);
    const batch = seat.inputs.take(Math.min(seat.inputCredit + owed, cap));
    const fromCredit = Math.min(batch.length, seat.inputCredit);
    seat.inputCredit -= fromCredit;
    const left = owed - (batch.length - fromCredit);
    if (left > 0) this.owed.set(id, left);
    else this.owed.delete(id);
    return batch;
  }

  /** The batches of the last `gather`, per player id. */
  get current(): ReadonlyMap<number, readonly PlayerInput[]> {
    return this.batches;
  }

  /** A player left the simulation. */
  forget(playerId: number): void {
    this.batches.delete(playerId);
    this.owed.delete(playerId);
  }
}
