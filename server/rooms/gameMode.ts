/**
 * The seam between generic rooms and a game. A Room owns seats, sockets, the tick loop and
 * broadcasting; a GameMode owns rules. Everything here is pure and deterministic given the
 * seed: no I/O, no clock reads, no Math.random. `step` mutates the state it is given (a
 * copy per tick would allocate on the hot path) and returns the tick's events, so the
 * simulation is still a function of (state, inputs): same seed + same inputs → same state.
 */
import type { GameEvent, MatchConfig, Phase, SnapshotSchema, SnapshotState } from '../../protocol/index.js';

/** One client input as the simulation sees it (already validated). */
export interface PlayerInput {
  seq: number;
  buttons: number;
  /** uint16 angle */
  aim: number;
}

export interface GameModeOptions {
  seed: number;
  tickRate: number;
  /** Mode-specific settings (map name, durations…); unknown keys are ignored. */
  settings?: Record<string, unknown>;
}

export interface PhaseInfo {
  phase: Phase;
  /** Ticks left in this phase; 0 when the phase has no deadline. */
  ticksLeft: number;
}

export interface GameMode<S> {
  readonly name: string;
  /** Field counts of the snapshot tables this mode produces. */
  readonly schema: SnapshotSchema;
  readonly maxPlayers: number;
  /** Whether players may join a match already in the Playing phase (default true). */
  readonly joinInProgress?: boolean;
  create(options: GameModeOptions): S;
  /** What a joining client is told (map, rates). */
  matchConfig(state: S): MatchConfig;
  addPlayer(state: S, id: number, name: string, bot: boolean): void;
  removePlayer(state: S, id: number): void;
  /** A human's socket went away (or came back) while their seat is kept. */
  setConnected(state: S, id: number, connected: boolean): void;
  /**
   * Advances one tick. `inputs` holds, per human player, the inputs to apply this tick in
   * sequence order (possibly none); bots are driven inside the mode from the seeded RNG.
   * The map and its arrays are the room's, reused every tick: read them during `step` only.
   * The returned events are kept until the next snapshot: return a new list each tick
   * that has events (an empty list may be reused).
   */
  step(state: S, inputs: ReadonlyMap<number, readonly PlayerInput[]>): GameEvent[];
  /**
   * The state as snapshot rows. `recycle`, when given, is an earlier snapshot of this match
   * the room no longer needs (never the current delta baseline): the mode may reuse its
   * maps and arrays instead of allocating, as long as every value is rewritten.
   */
  snapshot(state: S, recycle?: SnapshotState | null): SnapshotState;
  phase(state: S): PhaseInfo;
  /** Score per player id, for results and notifications. */
  scores(state: S): Array<{ id: number; score: number; deaths: number }>;
}
