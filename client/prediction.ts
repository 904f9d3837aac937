/**
 * Client-side prediction of the own player, with server reconciliation — for any game whose
 * player has a 2D position: the game passes its own `step(state, input)` (the same rule its
 * server simulation runs for one input, e.g. one tick of movement), so the rules stay the
 * game's and this module only does the bookkeeping.
 *
 * Every input is applied locally at once with `step` and kept as pending. Each snapshot carries, in the own row, the last input sequence the server
 * applied and the resulting position; reconciliation drops the acknowledged inputs, starts
 * from the server position and replays the rest. Since both sides run the same code on the
 * same fixed-point grid, the replay normally lands exactly where the prediction was.
 *
 * When it does not (an input lost with a dropped socket, a death the client did not know
 * about yet), the error is corrected visually over a few frames: the rendered position
 * keeps an offset that decays exponentially (time constant `smoothingMs`). Errors above
 * `snapDistance` (a respawn, a long desync) snap instead. Prediction error is measured
 * per acknowledgement: the position predicted right after input `lastSeq` against the
 * server's position after the same input.
 */
/** What the predictor needs of the predicted state: a position (more fields ride along). */
export interface Vec2 {
  x: number;
  y: number;
}

interface PendingInput<I, S> {
  seq: number;
  input: I;
  /** Predicted state right after this input. */
  after: S;
}

export interface PredictionOptions<I, S extends Vec2 = Vec2> {
  /** The game's rule for one input: the state after `input` is applied to `state`. Pure. */
  step: (state: S, input: I) => S;
  /** Errors above this many world units snap instead of smoothing. Default 48 (1.5 player diameters). */
  snapDistance?: number;
  /** Time constant of the visual correction, ms (≈ 95 % gone after 3×). Default 60. */
  smoothingMs?: number;
  /** Pending inputs kept at most (the oldest are dropped past it). Default 120 (4 s at 30 Hz). */
  maxPending?: number;
}

export interface ReconcileResult {
  /** Distance between prediction and server after input `lastSeq`, world units. */
  error: number;
  /** Whether the prediction was off (the position was corrected). */
  corrected: boolean;
  /** Whether the correction snapped rather than smoothed. */
  snapped: boolean;
  /** Inputs replayed on top of the server position. */
  replayed: number;
}

export interface PredictionStats {
  /** Acknowledgements compared against a prediction. */
  samples: number;
  /** Of those, how many were off at all. */
  corrections: number;
  snaps: number;
  /** Resyncs without a prediction to compare (keyframe after a resume, a respawn). */
  resyncs: number;
  lastError: number;
  maxError: number;
  /** Recent errors (world units), newest last. */
  recent: number[];
}

const EPSILON = 1e-9;

export class Predictor<I, S extends Vec2 = Vec2> {
  private pending: Array<PendingInput<I, S>> = [];
  private pos: S | null = null;
  private prev: Vec2 | null = null;
  private offset: Vec2 = { x: 0, y: 0 };
  private readonly snapDistance: number;
  private readonly smoothingMs: number;
  private readonly maxPending: number;
  readonly stats: PredictionStats = { samples: 0, corrections: 0, snaps: 0, resyncs: 0, lastError: 0, maxError: 0, recent: [] };

  private readonly step: (state: S, input: I) => S;

  constructor(o: PredictionOptions<I, S>) {
    this.step = o.step;
    this.snapDistance = o.snapDistance ?? 48;
    this.smoothingMs = o.smoothingMs ?? 60;
    this.maxPending = o.maxPending ?? 120;
  }

  /** Whether a server position has been seen (prediction needs a starting point). */
  get ready(): boolean {
    return this.pos !== null;
  }

  /** The predicted state (server state + unacknowledged inputs). */
  get position(): S | null {
    return this.pos;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  get correction(): Vec2 {
    return this.offset;
  }

  /** Forgets everything (new match, resumed socket): the next reconcile sets the position. */
  reset(): void {
    this.pending = [];
    this.pos = null;
    this.prev = null;
    this.offset = { x: 0, y: 0 };
  }

  /**
   * Applies one input the moment it is sent. `moves` says whether the server will apply it
   * to the player at all (e.g. alive, match not ended), as far as the client knows.
   */
  applyInput(seq: number, input: I, moves = true): S | null {
    if (!this.pos) return null;
    this.prev = this.pos;
    const next = moves ? this.step(this.pos, input) : this.pos;
    this.pos = next;
    this.pending.push({ seq, input, after: next });
    if (this.pending.length > this.maxPending) this.pending.shift();
    return next;
  }

  /**
   * Reconciles with the server's state after input `lastSeq`. `moves` says whether pending
   * inputs will be applied (from the same snapshot: alive, phase).
   */
  reconcile(server: S, lastSeq: number, moves = true): ReconcileResult {
    let acked: PendingInput<I, S> | undefined;
    let drop = 0;
    while (drop < this.pending.length && this.pending[drop].seq <= lastSeq) {
      if (this.pending[drop].seq === lastSeq) acked = this.pending[drop];
      drop++;
    }
    if (drop > 0) this.pending.splice(0, drop);

    let p: S = server;
    for (const pending of this.pending) {
      if (moves) p = this.step(p, pending.input);
      pending.after = p;
    }
    const result: ReconcileResult = { error: 0, corrected: false, snapped: false, replayed: this.pending.length };

    if (!this.pos) {
      // First position (or after a reset): nothing was predicted, nothing to correct.
      this.pos = p;
      this.prev = p;
      this.stats.resyncs++;
      return result;
    }
    if (acked) {
      result.error = Math.sqrt((acked.after.x - server.x) ** 2 + (acked.after.y - server.y) ** 2);
      this.record(result.error);
    }
    const dx = this.pos.x - p.x;
    const dy = this.pos.y - p.y;
    const drift = Math.sqrt(dx * dx + dy * dy);
    if (drift > EPSILON || result.error > EPSILON) {
      result.corrected = true;
      this.stats.corrections++;
      if (drift > this.snapDistance) {
        result.snapped = true;
        this.stats.snaps++;
        this.offset = { x: 0, y: 0 };
        this.prev = p;
      } else {
        // Keep the drawn position where it was; the offset melts away over a few frames.
        this.offset = { x: this.offset.x + dx, y: this.offset.y + dy };
        this.prev = { x: this.prev!.x - dx, y: this.prev!.y - dy };
      }
    }
    this.pos = p;
    return result;
  }

  /** Decays the visual correction by `dtMs` of frame time. */
  decay(dtMs: number): void {
    if (this.offset.x === 0 && this.offset.y === 0) return;
    const k = Math.exp(-Math.max(0, dtMs) / this.smoothingMs);
    this.offset = { x: this.offset.x * k, y: this.offset.y * k };
    if (Math.abs(this.offset.x) < 0.01 && Math.abs(this.offset.y) < 0.01) this.offset = { x: 0, y: 0 };
  }

  /**
   * Where to draw the own player: between the positions before and after the latest input
   * (`fraction` of the input interval elapsed, so 30 Hz inputs look smooth at 60+ fps), plus
   * the decaying correction.
   */
  renderPosition(fraction: number): Vec2 | null {
    if (!this.pos) return null;
    const prev = this.prev ?? this.pos;
    const f = Math.max(0, Math.min(1, fraction));
    return {
      x: prev.x + (this.pos.x - prev.x) * f + this.offset.x,
      y: prev.y + (this.pos.y - prev.y) * f + this.offset.y,
    };
  }

  private record(error: number): void {
    const s = this.stats;
    s.samples++;
    s.lastError = error;
    if (error > s.maxError) s.maxError = error;
    s.recent.push(error);
    if (s.recent.length > 300) s.recent.shift();
  }
}
