/**
 * When the arena player's inputs are made and how they are numbered. The page calls the
 * session at its frame rate (and from a timer in a background tab), the server wants one
 * input per tick: an accumulator turns the irregular calls into inputs at the tick rate,
 * catching up after a slow frame up to a bound and dropping a longer stall's backlog rather
 * than fast-forwarding the player. Also the player's latest intent (buttons, aim) and the
 * sequence numbers, which must stay above what the seat already took.
 */

/** Default input catch-up after a slow frame, ms (see SessionOptions.maxInputBurst). */
const INPUT_CATCH_UP_MS = 500;
/** Sequence numbers a fresh page skips above the seat's last applied one (see seatAck). */
const SEQ_RESTART_MARGIN = 256;

export class InputProducer {
  /** Button bits and aim (radians) the next inputs carry. */
  buttons = 0;
  aim = 0;
  private seqValue = 0;
  private freshSeat = true;
  private acc = 0;
  private lastUpdate: number | null = null;
  private lastInputAtValue = 0;

  /** `maxBurst`: inputs made back to back at most after a slow frame (null: 500 ms worth). */
  constructor(private readonly maxBurst: number | null) {}

  /** The last sequence number given out. */
  get seq(): number {
    return this.seqValue;
  }

  /** When the last input was made (the own player is drawn between inputs from it). */
  get lastInputAt(): number {
    return this.lastInputAtValue;
  }

  /**
   * How many inputs are due at `now`; null while not `playing` (nothing accumulates then, so
   * a pause never ends in a burst of stale inputs).
   */
  due(now: number, playing: boolean, tickMs: number): number | null {
    if (this.lastUpdate === null || !playing) {
      this.lastUpdate = now;
      this.acc = 0;
      return null;
    }
    this.acc += Math.max(0, now - this.lastUpdate);
    this.lastUpdate = now;
    let due = 0;
    const burst = this.maxBurst ?? Math.ceil(INPUT_CATCH_UP_MS / tickMs);
    while (this.acc >= tickMs && due < burst) {
      this.acc -= tickMs;
      due++;
    }
    // After a stall, drop the backlog instead of fast-forwarding the player.
    if (this.acc >= tickMs) this.acc %= tickMs;
    return due;
  }

  /** Numbers an input made at `now`: the next sequence number (wraps, never 0). */
  next(now: number): number {
    this.seqValue = (this.seqValue + 1) >>> 0 || 1;
    this.lastInputAtValue = now;
    return this.seqValue;
  }

  /** A new match: the next ack is the seat's first seen by this page. */
  newSeat(): void {
    this.freshSeat = true;
  }

  /**
   * The server's last applied sequence number for the seat. A fresh page on a seat that
   * already took inputs (reload, second tab): the server drops sequence numbers at or below
   * the highest it queued, which may be a little above the last one it applied.
   */
  seatAck(lastSeq: number): void {
    if (!this.freshSeat) return;
    this.freshSeat = false;
    if (lastSeq > 0 && this.seqValue < lastSeq + SEQ_RESTART_MARGIN) this.seqValue = lastSeq + SEQ_RESTART_MARGIN;
  }
}
