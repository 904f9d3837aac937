/**
 * A Room is one match: seats, the tick loop, and broadcasting. It is generic: the rules
 * come from a GameMode. Lifecycle hooks (Colyseus-style onCreate/onJoin/onLeave/onDispose,
 * plus onPhase) let the manager, matchmaker and metrics react without the room knowing them.
 *
 * Per tick: take each player's queued inputs (≤ maxInputsPerTick) → mode.step → queue the
 * tick's events → every (tickRate / snapshotRate)-th tick, snapshot: encode one delta for the
 * whole match, with the events queued since the last one, and fan it out with each player's
 * own input ack (snapshotFanout.ts); sockets that joined, resumed or fell behind get a
 * keyframe of their own (carrying the same events). A tick with no snapshot sends nothing.
 * The room's TickLoop runs on the process-wide TickScheduler the RoomManager passes in.
 */
import {
  ServerType,
  encodeServer,
  Phase,
  type InputMsg,
  type MatchConfig,
  type SnapshotState,
} from '../../protocol/index.js';
import { CloseCode, closeMessage } from '../../protocol/closeCodes.js';
import type { Clock } from '../clock.js';
import type { Broadcaster, Connection } from './connection.js';
import { EventBatch } from './eventBatch.js';
import { InputQueue } from './inputQueue.js';
import { SnapshotFanout, type SnapshotViewer } from './snapshotFanout.js';
import type { GameMode, PlayerInput } from './gameMode.js';
import { DEFAULT_LATE_INPUT_MS, isLateInput, lateInputTicks } from './lateInputs.js';
import { Seat } from './seat.js';
import { TickLoop, type TickStats } from './tickLoop.js';
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

/** Anyone who receives the match's snapshots: a seated player or a spectator. */
type Viewer = SnapshotViewer;

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

const BOT_NAMES = ['Ada', 'Bolt', 'Cog', 'Dot', 'Echo', 'Flux', 'Gear', 'Hex', 'Ion', 'Jet'];

export class Room {
  readonly id: string;
  readonly mode: GameMode<unknown>;
  readonly createdAt: number;
  readonly topic: string;
  readonly maxPlayers: number;
  private readonly state: unknown;
  private readonly loop: TickLoop;
  private readonly seats = new Map<string, Seat>();
  private readonly bots = new Set<number>();
  private readonly spectators = new Map<Connection, Viewer>();
  private readonly snapshotEvery: number;
  private lastSnapshot: SnapshotState | null = null;
  private spareSnapshot: SnapshotState | null = null;
  private readonly events = new EventBatch();
  private readonly inputBatches = new Map<number, readonly PlayerInput[]>();
  private readonly fanout: SnapshotFanout;
  private tick = 0;
  private firstHumanAt: number | null = null;
  private currentPhase: Phase;
  private disposed = false;
  private rosterDirty = true;
  private readonly o: Required<Omit<RoomOptions, 'hooks' | 'settings' | 'joinCode' | 'scheduler'>> & Pick<RoomOptions, 'hooks' | 'settings' | 'joinCode' | 'scheduler'>;

  constructor(options: RoomOptions) {
    this.o = {
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
    this.id = options.id;
    this.mode = options.mode;
    this.topic = `match/${options.id}`;
    this.maxPlayers = Math.min(options.maxPlayers, options.mode.maxPlayers);
    this.createdAt = options.clock.now();
    this.snapshotEvery = Math.max(1, Math.round(options.tickRate / options.snapshotRate));
    this.state = options.mode.create({ seed: options.seed, tickRate: options.tickRate, settings: options.settings });
    this.currentPhase = this.mode.phase(this.state).phase;
    this.fanout = new SnapshotFanout({
      topic: this.topic,
      broadcaster: options.broadcaster,
      softBufferBytes: this.o.softBufferBytes,
      hardBufferBytes: this.o.hardBufferBytes,
      onSlowConsumer: (v, conn) => {
        conn.close(CloseCode.SlowConsumer, closeMessage(CloseCode.SlowConsumer));
        if (v instanceof Seat) this.detach(v, conn);
        else this.removeSpectator(conn);
      },
      onDropped: () => this.o.hooks?.onSnapshotDropped?.(this),
    });
    this.loop = new TickLoop({
      clock: options.clock,
      tickRate: options.tickRate,
      scheduler: options.scheduler,
      onTick: () => this.runTick(),
      onStats: (s) => this.o.hooks?.onTickStats?.(this, s),
      onSkip: (n) => this.o.hooks?.onTicksSkipped?.(this, n),
    });
    this.o.hooks?.onCreate?.(this);
    this.loop.start();
  }

  // ---- queries ------------------------------------------------------------------------

  get serverTick(): number {
    return this.tick;
  }

  get phase(): Phase {
    return this.currentPhase;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Humans holding a seat (reserved, connected or within the reconnection grace). */
  get seatCount(): number {
    return this.seats.size;
  }

  get botCount(): number {
    return this.bots.size;
  }

  get spectatorCount(): number {
    return this.spectators.size;
  }

  get isPrivate(): boolean {
    return this.o.isPrivate;
  }

  get joinCode(): string | null {
    return this.o.joinCode ?? null;
  }

  get connectedCount(): number {
    let n = 0;
    for (const s of this.seats.values()) if (s.status === 'connected') n++;
    return n;
  }

  /** Users holding a seat (any status). */
  seatedUserIds(): string[] {
    return [...this.seats.keys()];
  }

  seatOf(userId: string): Seat | undefined {
    return this.seats.get(userId);
  }

  /** Every human seat (reserved, connected or within the grace), for operator views. */
  seatList(): Seat[] {
    return [...this.seats.values()];
  }

  /** Whether a new human may take a seat now. */
  get joinable(): boolean {
    if (this.disposed || this.seats.size >= this.maxPlayers) return false;
    if (this.currentPhase === Phase.Ended) return false;
    if (this.currentPhase === Phase.Playing && !this.o.joinInProgress) return false;
    return true;
  }

  /**
   * Milliseconds of play left: the match clock while Playing, Infinity before it starts (a
   * whole match is ahead), 0 once it ended. Quick play uses it to keep joins fair.
   */
  get msLeft(): number {
    if (this.currentPhase === Phase.Waiting || this.currentPhase === Phase.Countdown) return Infinity;
    if (this.currentPhase === Phase.Ended) return 0;
    return (this.mode.phase(this.state).ticksLeft * 1000) / this.o.tickRate;
  }

  matchConfig(): MatchConfig {
    return { ...this.mode.matchConfig(this.state), snapshotRate: this.o.tickRate / this.snapshotEvery, maxPlayers: this.maxPlayers };
  }

  scores(): Array<{ id: number; name: string; score: number; deaths: number; bot: boolean }> {
    const names = new Map<number, { name: string; bot: boolean }>();
    for (const e of this.roster()) names.set(e.id, { name: e.name, bot: e.bot });
    return this.mode.scores(this.state).map((s) => ({ ...s, name: names.get(s.id)?.name ?? '?', bot: names.get(s.id)?.bot ?? false }));
  }

  // ---- seats --------------------------------------------------------------------------

  /** Reserves a seat for a user (the matchmaker's step); an existing seat is returned as is. */
  reserve(userId: string, name: string): Seat | null {
    const existing = this.seats.get(userId);
    if (existing) return existing;
    if (!this.joinable) return null;
    const seat = new Seat(userId, name);
    this.seats.set(userId, seat);
    this.o.hooks?.onReserve?.(this, seat);
    return seat;
  }

  /** A reservation whose ticket expired unused frees its seat. */
  releaseReservation(userId: string): void {
    const seat = this.seats.get(userId);
    if (seat && seat.status === 'reserved') this.removeSeat(seat, 'ticket expired');
  }

  /**
   * Puts a socket on a user's seat: a first join or a resume. A socket already on the seat
   * (a second tab, a half-dead connection) is closed as "replaced".
   */
  attach(userId: string, conn: Connection): { ok: true; seat: Seat; resumed: boolean } | { ok: false; code: CloseCode } {
    if (this.disposed) return { ok: false, code: CloseCode.MatchNotFound };
    const seat = this.seats.get(userId);
    if (!seat) return { ok: false, code: CloseCode.SeatExpired };
    const resumed = seat.status !== 'reserved';
    if (seat.conn && !seat.conn.closed) {
      const old = seat.conn;
      seat.conn = null;
      old.close(CloseCode.Replaced, closeMessage(CloseCode.Replaced));
    }
    seat.graceTimer?.cancel();
    seat.graceTimer = null;
    if (seat.playerId === 0) {
      if (this.bots.size + this.humanEntities() >= this.maxPlayers) this.removeOneBot();
      seat.playerId = this.allocatePlayerId();
      this.mode.addPlayer(this.state, seat.playerId, seat.name, false);
      this.rosterDirty = true;
      if (this.firstHumanAt === null) this.firstHumanAt = this.o.clock.now();
    }
    seat.conn = conn;
    seat.status = 'connected';
    seat.needsKeyframe = true;
    seat.inputs.clear();
    this.mode.setConnected(this.state, seat.playerId, true);
    conn.send(
      encodeServer({ type: ServerType.Welcome, playerId: seat.playerId, matchId: this.id, serverTick: this.tick, config: this.matchConfig() }),
      'welcome',
    );
    conn.send(encodeServer({ type: ServerType.Roster, players: this.roster() }), 'roster');
    this.o.hooks?.onJoin?.(this, seat, resumed);
    return { ok: true, seat, resumed };
  }

  /** The seat's socket closed. The seat waits out the reconnection grace, then frees. */
  detach(seat: Seat, conn: Connection): void {
    if (seat.conn !== conn) return; // a replaced socket closing late
    seat.conn = null;
    seat.needsKeyframe = true;
    if (this.disposed || !this.seats.has(seat.userId)) return;
    if (this.currentPhase === Phase.Ended || this.o.reconnectGraceMs === 0) {
      this.removeSeat(seat, 'disconnected');
      return;
    }
    seat.status = 'disconnected';
    this.mode.setConnected(this.state, seat.playerId, false);
    seat.graceTimer = this.o.clock.setTimeout(() => {
      seat.graceTimer = null;
      if (seat.status === 'disconnected') this.removeSeat(seat, 'reconnect grace expired');
    }, this.o.reconnectGraceMs);
  }

  /** The player asked to leave: the seat is freed at once, no grace. */
  leave(seat: Seat, reason = 'left'): void {
    if (this.seats.get(seat.userId) !== seat) return;
    const conn = seat.conn;
    seat.conn = null;
    this.removeSeat(seat, reason);
    if (conn && !conn.closed) conn.close(1000, reason);
  }

  kick(userId: string, reason: string): boolean {
    const seat = this.seats.get(userId);
    if (!seat) return false;
    const conn = seat.conn;
    seat.conn = null;
    this.removeSeat(seat, `kicked: ${reason}`);
    if (conn && !conn.closed) conn.close(CloseCode.Kicked, `${closeMessage(CloseCode.Kicked)}: ${reason}`.slice(0, 120));
    return true;
  }

  /** Queues a validated input; stale or duplicate sequence numbers are dropped. */
  queueInput(seat: Seat, msg: InputMsg): void {
    if (seat.playerId === 0 || this.currentPhase === Phase.Ended) return;
    if (msg.seq <= seat.lastQueuedSeq) {
      this.o.hooks?.onInputs?.(0, 1, 'stale');
      return;
    }
    seat.lastQueuedSeq = msg.seq;
    if (isLateInput(msg.ackTick, this.tick, lateInputTicks(this.o.lateInputMs, this.o.tickRate))) {
      this.o.hooks?.onInputs?.(0, 1, 'late');
      return;
    }
    if (seat.inputs.capacity !== this.o.maxQueuedInputs) seat.inputs = new InputQueue(this.o.maxQueuedInputs);
    // The decoded message is the input (it has seq, buttons and aim): no copy per input.
    if (seat.inputs.push(msg)) this.o.hooks?.onInputs?.(0, 1, 'overflow');
  }

  /** Ends the match now: every socket is closed with `code`, then the room is disposed. */
  dispose(code: CloseCode = CloseCode.MatchEnded, reason = closeMessage(code)): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loop.stop();
    for (const seat of this.seats.values()) {
      seat.graceTimer?.cancel();
      const conn = seat.conn;
      seat.conn = null;
      if (conn && !conn.closed) conn.close(code, reason);
    }
    this.seats.clear();
    for (const conn of this.spectators.keys()) if (!conn.closed) conn.close(code, reason);
    this.spectators.clear();
    this.o.hooks?.onDispose?.(this);
  }

  /** Sends a frame to every connected player and spectator of this match (subscribed or not). */
  broadcastDirect(frame: Uint8Array, kind: string): void {
    for (const v of this.viewers()) if (v.conn && !v.conn.closed) v.conn.send(frame, kind);
  }

  // ---- the tick -----------------------------------------------------------------------

  private runTick(): void {
    if (this.disposed) return;
    this.fillBots();
    // The map and the batch arrays are reused every tick (the mode reads them only during
    // step), so a tick allocates nothing for its inputs. Every seated player has an entry,
    // an empty batch on a tick without inputs (Map.clear would allocate a new table); a
    // seat that goes away takes its entry with it (removeSeat).
    const inputs = this.inputBatches;
    let applied = 0;
    for (const seat of this.seats.values()) {
      if (seat.playerId === 0) continue;
      // Movement budget: one input's worth per tick, saved up to maxInputsPerTick, so a
      // flood at 2× the tick rate cannot make a player run 2× as fast (the socket's rate
      // limit alone allows 60/s; the surplus waits in the bounded queue).
      seat.inputCredit = Math.min(seat.inputCredit + 1, this.o.maxInputsPerTick);
      const batch = seat.inputs.take(seat.inputCredit);
      seat.inputCredit -= batch.length;
      if (inputs.get(seat.playerId) !== batch) inputs.set(seat.playerId, batch);
      if (batch.length === 0) continue;
      applied += batch.length;
      seat.ackSeq = batch[batch.length - 1].seq;
    }
    if (applied > 0) this.o.hooks?.onInputs?.(applied, 0, '');
    const events = this.mode.step(this.state, inputs);
    this.tick++;
    if (events.length > 0) {
      const dropped = this.events.add(this.tick, events);
      if (dropped > 0) this.o.hooks?.onEventsDropped?.(this, dropped);
    }
    if (this.rosterDirty) this.publishRoster();
    if (this.tick % this.snapshotEvery === 0) this.publishSnapshot();

    const { phase, ticksLeft } = this.mode.phase(this.state);
    if (phase !== this.currentPhase) {
      this.currentPhase = phase;
      this.o.hooks?.onPhase?.(this, phase);
    }
    if (phase === Phase.Ended && ticksLeft === 0) {
      // The last ticks' events would otherwise die with the room: one off-schedule snapshot.
      if (this.events.count > 0 && this.tick % this.snapshotEvery !== 0) this.publishSnapshot();
      this.dispose(CloseCode.MatchEnded);
    }
  }

  private publishRoster(): void {
    this.rosterDirty = false;
    this.broadcastDirect(encodeServer({ type: ServerType.Roster, players: this.roster() }), 'roster');
  }

  private publishSnapshot(): void {
    // Two snapshots alternate: the new one is built in the one before the baseline.
    const snap = this.mode.snapshot(this.state, this.spareSnapshot);
    snap.tick = this.tick;
    this.fanout.publish(this.lastSnapshot, snap, this.mode.schema, this.events.pending(), this.seats, this.spectators);
    this.spareSnapshot = this.lastSnapshot;
    this.lastSnapshot = snap;
    this.events.clear();
  }

  private *viewers(): Iterable<Viewer> {
    yield* this.seats.values();
    yield* this.spectators.values();
  }

  // ---- spectators ---------------------------------------------------------------------

  /**
   * Adds a read-only viewer: welcome (player id 0: no entity of its own), roster, then a
   * keyframe and the match topic like a player. Returns false when the match is full of
   * spectators or gone.
   */
  addSpectator(conn: Connection): boolean {
    if (this.disposed || this.spectators.size >= this.o.maxSpectators) return false;
    this.spectators.set(conn, { conn, needsKeyframe: true, playerId: 0, ackSeq: 0, ackSent: 0 });
    conn.send(
      encodeServer({ type: ServerType.Welcome, playerId: 0, matchId: this.id, serverTick: this.tick, config: this.matchConfig() }),
      'welcome',
    );
    conn.send(encodeServer({ type: ServerType.Roster, players: this.roster() }), 'roster');
    this.o.hooks?.onSpectators?.(this);
    this.o.hooks?.onSpectatorJoin?.(this, conn);
    return true;
  }

  removeSpectator(conn: Connection): void {
    if (this.spectators.delete(conn)) this.o.hooks?.onSpectators?.(this);
  }

  // ---- players and bots ---------------------------------------------------------------

  private roster(): Array<{ id: number; name: string; bot: boolean }> {
    const out: Array<{ id: number; name: string; bot: boolean }> = [];
    for (const seat of this.seats.values()) if (seat.playerId !== 0) out.push({ id: seat.playerId, name: seat.name, bot: false });
    for (const id of this.bots) out.push({ id, name: `Bot ${BOT_NAMES[(id - 1) % BOT_NAMES.length]}`, bot: true });
    return out.sort((a, b) => a.id - b.id);
  }

  private humanEntities(): number {
    let n = 0;
    for (const seat of this.seats.values()) if (seat.playerId !== 0) n++;
    return n;
  }

  private allocatePlayerId(): number {
    const used = new Set<number>(this.bots);
    for (const seat of this.seats.values()) if (seat.playerId !== 0) used.add(seat.playerId);
    let id = 1;
    while (used.has(id)) id++;
    return id;
  }

  private fillBots(): void {
    if (this.o.botFillDelayMs < 0 || this.firstHumanAt === null || this.currentPhase === Phase.Ended) return;
    if (this.o.clock.now() - this.firstHumanAt < this.o.botFillDelayMs) return;
    // Seats reserved but not yet connected stay free for their humans.
    const free = this.maxPlayers - this.seats.size - this.bots.size;
    for (let i = 0; i < free; i++) {
      const id = this.allocatePlayerId();
      this.bots.add(id);
      this.mode.addPlayer(this.state, id, `Bot ${BOT_NAMES[(id - 1) % BOT_NAMES.length]}`, true);
      this.rosterDirty = true;
    }
  }

  private removeOneBot(): void {
    const id = Math.max(...this.bots);
    if (!Number.isFinite(id)) return;
    this.bots.delete(id);
    this.mode.removePlayer(this.state, id);
    this.rosterDirty = true;
  }

  private removeSeat(seat: Seat, reason: string): void {
    if (this.seats.get(seat.userId) !== seat) return;
    seat.graceTimer?.cancel();
    seat.graceTimer = null;
    this.seats.delete(seat.userId);
    if (seat.playerId !== 0) {
      this.inputBatches.delete(seat.playerId);
      this.mode.removePlayer(this.state, seat.playerId);
      this.rosterDirty = true;
    }
    this.o.hooks?.onLeave?.(this, seat, reason);
    // A match with no humans left has nobody to play for.
    if (this.seats.size === 0) this.dispose(CloseCode.MatchEnded);
  }
}
