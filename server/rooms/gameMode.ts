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
  /**
   * The tick the client was drawing the others at when it made this input (its
   * interpolation time): what a mode's lag compensation rewinds to. Absent: unknown.
   */
  viewTick?: number;
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
  /**
   * Checks the server-wide settings this mode is registered with (createServer's
   * `modes.<tag>.settings`, the CLI's mode flags): a message naming the bad key, or null.
   * Absent: any settings are accepted (and the mode ignores what it does not know).
   */
  checkSettings?(settings: Record<string, unknown>): string | null;
  /**
   * The mode's own fields of POST /api/matches (a private match's choices, e.g. a bot
   * level): the body minus the generic `mode`, `private`, `bots`, `seats`, `name` fields is
   * passed in; return settings for this match, or an error the client sees as a 400.
   * Absent: no mode-specific match options.
   */
  matchSettings?(fields: Record<string, unknown>): MatchSettingsResult;
}

export type MatchSettingsResult = { ok: true; settings: Record<string, unknown> } | { ok: false; error: string };

/**
 * Types a game mode: `export const tagMode = defineMode<TagState>({ name: 'tag', … })`.
 * Returns its argument unchanged; it exists so a mode's object literal is checked against
 * the contract where it is written, with `S` inferred for every method.
 */
export function defineMode<S>(mode: GameMode<S>): GameMode<S> {
  return mode;
}
