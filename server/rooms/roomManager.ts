/**
 * Creates, finds and disposes rooms. One per process; the matchmaker and the transport
 * ask it for rooms by id or by user. Hooks given here are chained into every room.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Broadcaster } from './connection.js';
import type { RegisteredMode } from '../modes/modeRegistry.js';
import { generateJoinCode } from './joinCode.js';
import { combineHooks } from './combineHooks.js';
import { Room, type RoomHooks, type RoomOptions } from './room.js';
import { TickScheduler } from './tickScheduler.js';

export interface RoomManagerOptions {
  clock: Clock;
  broadcaster: Broadcaster;
  /** Registered modes by tag; each brings its own settings (createServer's `modes`). */
  modes: ReadonlyMap<string, RegisteredMode>;
  hooks?: RoomHooks;
  maxRooms: number;
  /** Defaults every room gets; per-room overrides come from `create`. */
  roomDefaults: Omit<RoomOptions, 'id' | 'mode' | 'clock' | 'broadcaster' | 'hooks' | 'seed' | 'settings'>;
  /** Fixed seed for every match (tests, replays); null → random per match. */
  seed: number | null;
}

/** A new match id: 8 URL-safe characters (48 random bits). */
export function newRoomId(): string {
  return randomBytes(6).toString('base64url');
}

export class RoomManager {
  private readonly rooms = new Map<string, Room>();
  private readonly codes = new Map<string, Room>();
  private accepting = true;
  /**
   * One scheduler (one timer) per tick rate for every room of this process: a plain array,
   * since `runDueTicks` walks it per received frame and a process has one or two rates.
   */
  private readonly schedulers: TickScheduler[] = [];

  constructor(private readonly o: RoomManagerOptions) {}

  get size(): number {
    return this.rooms.size;
  }

  /** False while draining: no new matches are created. */
  get acceptingNewRooms(): boolean {
    return this.accepting;
  }

  /**
   * Chains more hooks after the ones given at construction (a feature created after the
   * rooms, e.g. the drainer). Only before the first room: a live room keeps the hooks it
   * was created with.
   */
  addHooks(more: RoomHooks): void {
    if (this.rooms.size > 0) throw new Error('RoomManager.addHooks: add hooks before the first room is created');
    this.o.hooks = combineHooks(this.o.hooks ?? {}, more);
  }

  stopAccepting(): void {
    this.accepting = false;
  }

  /** The most seats a match of this mode can have here (server limit and mode limit). */
  maxSeats(mode: string): number {
    const m = this.o.modes.get(mode);
    return m ? Math.min(this.o.roomDefaults.maxPlayers, m.mode.maxPlayers) : 0;
  }

  hasMode(mode: string): boolean {
    return this.o.modes.has(mode);
  }

  /** A registered mode by tag (the matchmaker reads its optional hooks). */
  modeOf(tag: string): RegisteredMode | undefined {
    return this.o.modes.get(tag);
  }

  get(id: string): Room | undefined {
    return this.rooms.get(id);
  }

  list(): Room[] {
    return [...this.rooms.values()];
  }

  /** The private match with this join code (already normalized), if any. */
  findByCode(code: string): Room | undefined {
    return this.codes.get(code);
  }

  /** The room where this user holds a seat, if any. */
  findSeat(userId: string): Room | undefined {
    for (const room of this.rooms.values()) if (room.seatOf(userId)) return room;
    return undefined;
  }

  /**
   * Creates a room, or returns null when at capacity, draining, or the mode is unknown.
   * `ident` carries an id and join code chosen elsewhere (the cluster registry places a match
   * in Redis first, then its owner creates it under that id).
   */
  create(mode: string, overrides: Partial<RoomOptions> = {}, ident: { id?: string; joinCode?: string | null } = {}): Room | null {
    const registered = this.o.modes.get(mode);
    if (!this.accepting || this.rooms.size >= this.o.maxRooms || !registered) return null;
    const id = ident.id ?? newRoomId();
    if (this.rooms.has(id)) return null;
    const userHooks = this.o.hooks;
    const hooks: RoomHooks = {
      ...userHooks,
      onDispose: (room) => {
        this.rooms.delete(room.id);
        if (room.joinCode) this.codes.delete(room.joinCode);
        userHooks?.onDispose?.(room);
      },
    };
    let joinCode: string | null = ident.joinCode ?? null;
    if (overrides.isPrivate && !joinCode) {
      do joinCode = generateJoinCode();
      while (this.codes.has(joinCode));
    }
    const tickRate = overrides.tickRate ?? this.o.roomDefaults.tickRate;
    let scheduler = this.schedulers.find((s) => s.tickRate === tickRate);
    if (!scheduler) this.schedulers.push((scheduler = new TickScheduler({ clock: this.o.clock, tickRate })));
    const room = new Room({
      ...this.o.roomDefaults,
      scheduler,
      ...overrides,
      // Per-match settings refine the mode's registered ones, key by key.
      settings: { ...registered.settings, ...overrides.settings },
      id,
      mode: registered.mode,
      clock: this.o.clock,
      broadcaster: this.o.broadcaster,
      hooks,
      seed: this.o.seed ?? randomBytes(4).readUInt32LE(0),
      joinCode,
    });
    this.rooms.set(id, room);
    if (joinCode) this.codes.set(joinCode, room);
    return room;
  }

  /**
   * Runs every match tick that is due by `now` (this manager's clock), without waiting for
   * the scheduler's timer: the transport calls it after each frame it handled, so ticks
   * keep time while the event loop is busy receiving (TickScheduler.poll).
   */
  runDueTicks(now: number): void {
    const list = this.schedulers;
    for (let i = 0; i < list.length; i++) list[i].poll(now);
  }

  /** Wake-ups of every scheduler so far: by the timer, and from the I/O path (`runDueTicks`). */
  wakeupCounts(): { timer: number; polled: number } {
    let timer = 0;
    let polled = 0;
    for (const s of this.schedulers) {
      timer += s.wakeups - s.polledWakeups;
      polled += s.polledWakeups;
    }
    return { timer, polled };
  }

  disposeAll(code?: Parameters<Room['dispose']>[0], reason?: string): void {
    for (const room of [...this.rooms.values()]) room.dispose(code, reason);
  }
}
