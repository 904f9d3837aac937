/**
 * A human's place in a match. The seat, not the socket, owns the player: it exists from the
 * matchmaker's reservation until the player leaves, the reconnection grace runs out, or
 * the match ends; sockets come and go underneath it.
 */
import type { TimerHandle } from '../clock.js';
import type { Connection } from './connection.js';
import { TickInputs } from './tickInputs.js';

export type SeatStatus = 'reserved' | 'connected' | 'disconnected';

export class Seat {
  /** Entity id in the simulation; 0 until the player first connects. */
  playerId = 0;
  /**
   * The first word of the seat's slot in its room's input store (tickInputs.ts), -1 once
   * it left, and the slot's generation while it is this seat's: the queued inputs, the last
   * queued sequence and the movement credit live there, not here (fewer objects per frame
   * and per tick).
   */
  inputAt = -1;
  inputGen = 0;
  /** The input store holding the slot (set with inputAt). */
  inputs: Uint32Array | null = null;
  conn: Connection | null = null;
  status: SeatStatus = 'reserved';
  /** Set until this seat's connection has received a keyframe. */
  needsKeyframe = true;
  /** The ack once the seat left its slot. */
  private lastAck = 0;
  /** The ack this seat's socket last received (snapshot deltas carry the difference). */
  ackSent = 0;
  graceTimer: TimerHandle | null = null;

  constructor(
    readonly userId: string,
    readonly name: string,
  ) {}

  /**
   * Last input sequence handed to the simulation: the snapshots' ack for this player. Kept
   * in the seat's input slot, where the tick writes it (tickInputs.ts), not on the seat.
   */
  get ackSeq(): number {
    return this.inputAt >= 0 ? TickInputs.ackAt(this.inputs!, this.inputAt) : this.lastAck;
  }

  /** The input store freed the seat's slot, whose last ack was `ack`. */
  leftWithAck(ack: number): void {
    this.lastAck = ack;
  }
}
