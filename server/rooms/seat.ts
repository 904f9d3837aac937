/**
 * A human's place in a match. The seat, not the socket, owns the player: it exists from the
 * matchmaker's reservation until the player leaves, the reconnection grace runs out, or
 * the match ends; sockets come and go underneath it.
 */
import type { TimerHandle } from '../clock.js';
import type { Connection } from './connection.js';
import { InputQueue } from './inputQueue.js';

export type SeatStatus = 'reserved' | 'connected' | 'disconnected';

export class Seat {
  // The fields every queued input reads come first (declaration order is the object's
  // layout): with the header, in the seat's first cache line.
  /** Entity id in the simulation; 0 until the player first connects. */
  playerId = 0;
  lastQueuedSeq = -1;
  /** Inputs waiting for the next tick, in sequence order (bounded; the room sizes it). */
  inputs: InputQueue = new InputQueue(32);
  conn: Connection | null = null;
  status: SeatStatus = 'reserved';
  /** Set until this seat's connection has received a keyframe. */
  needsKeyframe = true;
  /** Last input sequence handed to the simulation: the snapshots' ack for this player. */
  ackSeq = 0;
  /**
   * Inputs this seat may still apply (tickInputs.ts gather): +1 per tick, capped at
   * maxInputsPerTick. Applying several queued inputs in one tick absorbs jitter, but over
   * time a player moves at most one tick of movement per tick, however fast it sends.
   */
  inputCredit = 0;
  /** The ack this seat's socket last received (snapshot deltas carry the difference). */
  ackSent = 0;
  graceTimer: TimerHandle | null = null;

  constructor(
    readonly userId: string,
    readonly name: string,
  ) {}
}
