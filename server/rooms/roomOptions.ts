/**
 * What a Room is configured with (RoomOptions), what it tells its owners (RoomHooks), and
 * the defaults it fills in. Kept apart from room.ts so callers that only build options or
 * hooks (matchmaker, cluster, HTTP match options) do not need the room's machinery.
 */
import type { Phase } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { Broadcaster, Connection } from './connection.js';
import type { GameMode } from './gameMode.js';
import { DEFAULT_LATE_INPUT_MS } from './lateInputs.js';
import type { Room } from './room.js';
import type { Seat } from './seat.js';
import type { TickStats } from './tickLoop.js';
import type { TickScheduler } from './tickScheduler.js';

export interface RoomHooks {
  onCreate?(room: Room): void;
  /** A seat was reserved for a user who has not connected yet (the matchmaker's step). */
  onReserve?(room: Room, seat: Seat): void;
  onJoin?(room: Room, seat: Seat, resumed: boolean): void;
  onLeave?(room: Room, seat: Seat, reason: string): void;
  onPhase?(room: Room, phase: Phase): void;
  onDispose?(room: Room): void;
  onTickStats?(room: Room, stats: TickStats): void;
  onTicksSkipped?(room: Room, skipped: number): void;
  onInputs?(applied: number, rejected: number, reason: string): void;
  onSnapshotDropped?(room: Room): void;
  /** Events past the per-snapshot bound (Limits.maxEventsPerFrame) were dropped. */
  onEventsDropped?(room: Room, dropped: number): void;
  /** Spectator count changed. */
  onSpectators?(room: Room): void;
  /** A spectator's socket was added (after its welcome and roster). */
  onSpectatorJoin?(room: Room, conn: Connection): void;
}

export interface RoomOptions {
  id: string;
  mode: GameMode<unknown>;
  clock: Clock;
  broadcaster: Broadcaster;
  hooks?: RoomHooks;
  tickRate: number;
  snapshotRate: number;
  maxPlayers: number;
  reconnectGraceMs: number;
  /** Bots fill empty slots this long after the first human arrives; < 0 disables them. */
  botFillDelayMs: number;
  seed: number;
  settings?: Record<string, unknown>;
  /** Whether players may join once the match is playing (default true). */
  joinInProgress?: boolean;
  /** Private matches are joined only by code and never listed or used by quick play. */
  isPrivate?: boolean;
  joinCode?: string | null;
  /** Spectators per match at most. */
  maxSpectators?: number;
  /** Inputs applied per player per tick at most; extra stay queued (catch-up after jitter). */
  maxInputsPerTick?: number;
  /** Queued inputs per player at most; the oldest is dropped past it. */
  maxQueuedInputs?: number;
  /** Inputs whose ackTick trails the present by more than this are dropped as late (lateInputs.ts). */
  lateInputMs?: number;
  /** Above this many buffered bytes a socket skips snapshots and gets a keyframe later. */
  softBufferBytes?: number;
  /** Above this many buffered bytes a socket is closed as a slow consumer. */
  hardBufferBytes?: number;
  /** The process-wide tick scheduler (RoomManager's); default: the room's own timer. */
  scheduler?: TickScheduler;
}

type Optional = 'hooks' | 'settings' | 'joinCode' | 'scheduler';

/** RoomOptions with every defaulted field filled in. */
export type ResolvedRoomOptions = Required<Omit<RoomOptions, Optional>> & Pick<RoomOptions, Optional>;

export function resolveRoomOptions(options: RoomOptions): ResolvedRoomOptions {
  return {
    joinInProgress: options.mode.joinInProgress ?? true,
    isPrivate: false,
    maxSpectators: 32,
    maxInputsPerTick: 3,
    maxQueuedInputs: 32,
    lateInputMs: DEFAULT_LATE_INPUT_MS,
    softBufferBytes: 64 * 1024,
    hardBufferBytes: 512 * 1024,
    ...options,
  };
}
