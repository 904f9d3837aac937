/**
 * The message catalogue. Frames are MessagePack arrays `[type, ...fields]` with the small
 * integer type codes below: no string keys on hot paths. Client→server codes are 1–63,
 * server→client codes 64–127. The exact wire shape of each message is in clientCodec.ts
 * (client → server) and serverCodec.ts (server → client).
 */
import type { MapGeometry } from './movement.js';
import type { SnapshotDelta } from './snapshot.js';

export const ClientType = {
  Input: 1,
  Ping: 2,
  Chat: 3,
  Leave: 4,
  Request: 5,
  InputBatch: 6,
} as const;

export const ServerType = {
  Welcome: 64,
  Snapshot: 65,
  // 66 was protocol v1's Events frame: events now ride in the snapshot that covers their tick.
  Pong: 67,
  Error: 68,
  Roster: 69,
  Notice: 70,
  Response: 71,
  Chat: 72,
  Results: 73,
  Notification: 74,
  LobbyState: 75,
  MatchList: 76,
} as const;

/** Limits the decoder enforces; the server adds rate limits on top. */
export const Limits = {
  maxFrameBytes: 1024,
  maxSeq: 0xffffffff,
  maxTick: 0xffffffff,
  maxChatLength: 200,
  maxNameLength: 16,
  maxRequestMethodLength: 32,
  maxEntities: 512,
  maxEventsPerFrame: 256,
  maxRosterSize: 64,
  maxErrorMessageLength: 200,
  maxListedMatches: 1000,
  /** Inputs one InputBatch frame may carry (two new + the previous one repeated). */
  maxBatchInputs: 3,
  /** Encoded size bound of an InputBatch frame (3 inputs with every field at full width: 32 B). */
  maxBatchFrameBytes: 40,
} as const;

// ---- client → server -----------------------------------------------------------------

/**
 * One tick of player intent. `aim` is a uint16 angle; `ackTick` the newest snapshot tick
 * seen; `viewTick` (optional sixth element) the tick the client was drawing remote players
 * at (its interpolation time, floored) when it made this input — what lag compensation
 * rewinds to. Absent or 0: unknown, no rewind.
 */
export interface InputMsg {
  type: typeof ClientType.Input;
  seq: number;
  buttons: number;
  aim: number;
  ackTick: number;
  viewTick?: number;
}
export interface PingMsg {
  type: typeof ClientType.Ping;
  /** Client clock in ms, echoed back untouched. */
  t: number;
}
export interface ChatMsg {
  type: typeof ClientType.Chat;
  text: string;
}
export interface LeaveMsg {
  type: typeof ClientType.Leave;
}
/** Request/response for non-hot-path actions; the server answers with a Response of the same id. */
export interface RequestMsg {
  type: typeof ClientType.Request;
  id: number;
  method: string;
  body: unknown;
}
/**
 * Several consecutive inputs in one frame (sent at half the tick rate, optionally with the
 * previous frame's newest input repeated first). Decoded into ordinary inputs, oldest
 * first, with consecutive `seq`s; all share the frame's `ackTick`, and the frame's
 * `viewTick` belongs to the newest (an input k ticks older gets `viewTick − k`, since the
 * client's view advances one tick per tick; 0 stays "unknown").
 */
export interface InputBatchMsg {
  type: typeof ClientType.InputBatch;
  inputs: InputMsg[];
}
export type ClientMessage = InputMsg | InputBatchMsg | PingMsg | ChatMsg | LeaveMsg | RequestMsg;

// ---- server → client -----------------------------------------------------------------

/** Everything a client needs to simulate and render like the server. */
export interface MatchConfig {
  mode: string;
  tickRate: number;
  snapshotRate: number;
  maxPlayers: number;
  map: MapGeometry;
  /** Seconds from a death to the respawn, when the mode respawns players (the client's countdown). */
  respawnSeconds?: number;
}
export interface WelcomeMsg {
  type: typeof ServerType.Welcome;
  /** The player's entity id in this match's snapshots. */
  playerId: number;
  matchId: string;
  serverTick: number;
  config: MatchConfig;
}
/** A game event: `[kind, ...integer args]`; kinds are defined by the game mode. */
export type GameEvent = number[];
/** The events one tick produced. */
export interface TickEvents {
  tick: number;
  events: GameEvent[];
}
/**
 * One snapshot, plus the events of every tick since the previous snapshot (ticks without
 * events are left out), oldest first: one frame per snapshot interval carries both, since
 * at these sizes a frame costs more than its bytes.
 */
export interface SnapshotMsg {
  type: typeof ServerType.Snapshot;
  delta: SnapshotDelta;
  events: TickEvents[];
  /**
   * The receiver's last applied input sequence as on the wire: absolute in a keyframe, the
   * difference from the previous snapshot's in a delta (`resolveAck`); 0 for spectators.
   */
  ack: number;
}
export interface PongMsg {
  type: typeof ServerType.Pong;
  t: number;
  serverTime: number;
}
export interface ErrorMsg {
  type: typeof ServerType.Error;
  code: number;
  message: string;
}
export interface RosterEntry {
  id: number;
  name: string;
  bot: boolean;
}
export interface RosterMsg {
  type: typeof ServerType.Roster;
  players: RosterEntry[];
}
/** A server message for the player (e.g. "server draining"); `kind` is a short machine word. */
export interface NoticeMsg {
  type: typeof ServerType.Notice;
  kind: string;
  text: string;
}
export interface ResponseMsg {
  type: typeof ServerType.Response;
  id: number;
  ok: boolean;
  body: unknown;
}
export interface ServerChatMsg {
  type: typeof ServerType.Chat;
  from: string;
  text: string;
}
/** One line of a match's final scoreboard. */
export interface ResultEntry {
  id: number;
  name: string;
  score: number;
  deaths: number;
  bot: boolean;
}
/**
 * Final scores of a match the server ends early (e.g. `reason: 'draining'` at the drain
 * deadline); it is sent just before the close frame so the client can show a results screen.
 */
export interface ResultsMsg {
  type: typeof ServerType.Results;
  /** A short machine word: why the match ended. */
  reason: string;
  players: ResultEntry[];
}
/** A personal notification (match found, invite, results…); `data` is a small JSON map. */
export interface NotificationMsg {
  type: typeof ServerType.Notification;
  kind: string;
  text: string;
  data: Record<string, unknown>;
}
export interface LobbyStateMsg {
  type: typeof ServerType.LobbyState;
  online: number;
}
export interface MatchListEntry {
  id: string;
  mode: string;
  phase: string;
  players: number;
  bots: number;
  max: number;
  spectators: number;
  /**
   * When the match clock runs out, epoch ms on the server's wall clock (whole seconds; a
   * score limit can end play sooner); 0 while the match has not started (a whole match is
   * ahead) or is over. Lobbies show the time left from it.
   */
  endsAt?: number;
}
export const MatchListOp = { Full: 0, Upsert: 1, Remove: 2 } as const;
/** The public match list (Full) or one change to it; Remove carries only ids. */
export interface MatchListMsg {
  type: typeof ServerType.MatchList;
  op: (typeof MatchListOp)[keyof typeof MatchListOp];
  matches: MatchListEntry[];
  removed: string[];
}
export type ServerMessage =
  | NotificationMsg
  | LobbyStateMsg
  | MatchListMsg
  | WelcomeMsg
  | SnapshotMsg
  | PongMsg
  | ErrorMsg
  | RosterMsg
  | NoticeMsg
  | ResponseMsg
  | ServerChatMsg
  | ResultsMsg;
