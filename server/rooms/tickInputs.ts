/**
 * Inputs on their way from sockets to the simulation: which queued input a seat may take
 * (stale, late and overflowing ones are dropped and counted), and the per-tick batches
 * handed to `GameMode.step`.
 *
 * Movement budget: a seat earns one input per tick, saved up to `maxInputsPerTick`, so a
 * few inputs delayed by jitter are caught up in one tick, but a flood at 2× the tick rate
 * cannot make a player run 2× as fast (the socket's rate limit alone allows 60/s; the
 * surplus waits in the bounded queue).
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
  /**
   * The map and the batch arrays are reused every tick (the mode reads them only during
   * step), so a tick allocates nothing for its inputs. Every seated player has an entry, an
   * empty batch on a tick without inputs (Map.clear would allocate a new table); a seat that
   * goes away takes its entry with it (`forget`).
   */
  private readonly batches = new Map<number, readonly PlayerInput[]>();

  constructor(private readonly o: TickInputsOptions) {
    this.lateTicks = lateInputTicks(o.lateInputMs, o.tickRate);
  }

  /** Queues a validated input on its seat at server tick `serverTick`. */
  queue(seat: Seat, msg: InputMsg, serverTick: number): InputVerdict {
    if (msg.seq <= seat.lastQueuedSeq) return 'stale';
    seat.lastQueuedSeq = msg.seq;
    if (isLateInput(msg.ackTick, serverTick, this.lateTicks)) return 'late';
    if (seat.inputs.capacity !== this.o.maxQueuedInputs) seat.inputs = new InputQueue(this.o.maxQueuedInputs);
    // Copied into the seat's ring: `msg` may be the receive path's reused scratch message.
    return seat.inputs.push(msg) ? 'overflow' : '';
  }

  /**
   * Takes this tick's inputs from every seat with an entity, records each seat's ack, and
   * returns how many were applied; `batches` then holds them for one `step`.
   */
  gather(seats: Iterable<Seat>): number {
    let applied = 0;
    for (const seat of seats) {
      if (seat.playerId === 0) continue;
      seat.inputCredit = Math.min(seat.inputCredit + 1, this.o.maxInputsPerTick);
      const batch = seat.inputs.take(seat.inputCredit);
      seat.inputCredit -= batch.length;
      if (this.batches.get(seat.playerId) !== batch) this.batches.set(seat.playerId, batch);
      if (batch.length === 0) continue;
      applied += batch.length;
      seat.ackSeq = batch[batch.length - 1].seq;
    }
    return applied;
  }

  /** The batches of the last `gather`, per player id. */
  get current(): ReadonlyMap<number, readonly PlayerInput[]> {
    return this.batches;
  }

  /** A player left the simulation. */
  forget(playerId: number): void {
    this.batches.delete(playerId);
  }
}
