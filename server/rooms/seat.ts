/**
 * A human's place in a match. The seat, not the socket, owns the player: it exists from the
 * matchmaker's reservation until the player leaves, the reconnection grace runs out, or
 * the match ends; sockets come and go underneath it.
 */
import type { TimerHandle } from '../clock.js';
import type { Connection } from './connection.js';

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
  conn: Connection | null = null;
  status: SeatStatus = 'reserved';
  /** Set until this seat's connection has received a keyframe. */
  needsKeyframe = true;
  /** Last input sequence handed to the simulation: the snapshots' ack for this player. */
  ackSeq = 0;
  /** The ack this seat's socket last received (snapshot deltas carry the difference). */
  ackSent = 0;
  graceTimer: TimerHandle | null = null;

  constructor(
    readonly userId: string,
    readonly name: string,
  ) {}
}
