/**
 * A Room is one match: its seats and their reconnection grace, and the tick. It is generic:
 * the rules come from a GameMode. Lifecycle hooks (Colyseus-style onCreate/onJoin/onLeave/
 * onDispose, plus onPhase) let the manager, matchmaker and metrics react without the room
 * knowing them. The parts beside it:
 *   roomOptions.ts     options, hooks, defaults
 *   matchRoster.ts     entity ids, bot fill, the roster clients see
 *   tickInputs.ts      input admission and the per-tick batches (movement budget)
 *   matchSnapshots.ts  events → snapshot → fan-out (snapshotFanout.ts: acks, backpressure)
 *   spectators.ts      read-only viewers
 *   tickLoop.ts        the fixed-timestep loop, on the process-wide TickScheduler
 *
 * Per tick: take each player's queued inputs → mode.step → queue the tick's events → every
 * (tickRate / snapshotRate)-th tick, snapshot: one delta for the whole match with the events
 * queued since the last one, each player's frame with its own input ack; sockets that
 * joined, resumed or fell behind get a keyframe of their own. A tick with no snapshot sends
 * nothing.
 */
import { ServerType, encodeServer, Phase, type InputMsg, type MatchConfig } from '../../protocol/index.js';
import { CloseCode, closeMessage } from '../../protocol/closeCodes.js';
import type { Connection } from './connection.js';
import type { GameMode } from './gameMode.js';
import { MatchRoster } from './matchRoster.js';
import { MatchSnapshots } from './matchSnapshots.js';
import { resolveRoomOptions, type ResolvedRoomOptions, type RoomOptions } from './roomOptions.js';
import { Seat } from './seat.js';
import { Spectators } from './spectators.js';
import { TickInputs } from './tickInputs.js';
import { TickLoop } from './tickLoop.js';

export type { RoomHooks, RoomOptions } from './roomOptions.js';

export class Room {
  readonly id: string;
  readonly mode: GameMode<unknown>;
  readonly createdAt: number;
  readonly topic: string;
  readonly maxPlayers: number;
  private readonly o: ResolvedRoomOptions;
  private readonly state: unknown;
  private readonly loop: TickLoop;
  private readonly seats = new Map<string, Seat>();
  private readonly roster: MatchRoster;
  private readonly spectators: Spectators;
  private readonly inputs: TickInputs;
  private readonly snapshots: MatchSnapshots;
  private readonly snapshotEvery: number;
  private tick = 0;
  private firstHumanAt: number | null = null;
  private currentPhase: Phase;
  private disposed = false;
  /**
   * The hook called every tick, looked up once: `o.hooks?.onInputs?.()` per tick loaded the
   * options and hooks objects (cold by the room's next tick) to find it.
   */
  private readonly onInputs: ((applied: number, rejected: number, reason: string) => void) | null;
  /** o.botFillDelayMs, read every tick: on the room, not in the options' line. */
  private readonly botFillDelayMs: number;

  constructor(options: RoomOptions) {
    const o = (this.o = resolveRoomOptions(options));
    this.onInputs = o.hooks?.onInputs ?? null;
    this.botFillDelayMs = o.botFillDelayMs;
    this.id = o.id;
    this.mode = o.mode;
    this.topic = `match/${o.id}`;
    this.maxPlayers = Math.min(o.maxPlayers, o.mode.maxPlayers);
    this.createdAt = o.clock.now();
    this.snapshotEvery = Math.max(1, Math.round(o.tickRate / o.snapshotRate));
    const state = (this.state = o.mode.create({ seed: o.seed, tickRate: o.tickRate, settings: o.settings }));
    this.currentPhase = this.mode.phase(state).phase;
    this.roster = new MatchRoster(this.seats, {
      addBot: (id, name) => this.mode.addPlayer(state, id, name, true),
      removeBot: (id) => this.mode.removePlayer(state, id),
    });
    this.spectators = new Spectators(o.maxSpectators);
    // Sized for every seat the match can have (joinable): the input store never grows.
    this.inputs = new TickInputs(o, this.maxPlayers);
    this.inputs.accepting = this.currentPhase !== Phase.Ended;
    this.inputs.onRejected = (verdict) => this.o.hooks?.onInputs?.(0, 1, verdict);
    this.snapshots = new MatchSnapshots(o.mode, state, {
      topic: this.topic,
      broadcaster: o.broadcaster,
      softBufferBytes: o.softBufferBytes,
      hardBufferBytes: o.hardBufferBytes,
      onSlowConsumer: (v, conn) => {
        conn.close(CloseCode.SlowConsumer, closeMessage(CloseCode.SlowConsumer));
        if (v instanceof Seat) this.detach(v, conn);
        else this.removeSpectator(conn);
      },
      onDropped: () => o.hooks?.onSnapshotDropped?.(this),
    });
    // Without a hook the loop skips its stats (no closure call per tick to find none).
    const onTickStats = o.hooks?.onTickStats;
    this.loop = new TickLoop({
      clock: o.clock,
      tickRate: o.tickRate,
      scheduler: o.scheduler,
      onTick: () => this.runTick(),
      onStats: onTickStats ? (s) => onTickStats(this, s) : undefined,
      onSkip: (n) => {
        // The skipped ticks' inputs still arrive: the seats earn those ticks (tickInputs.ts).
        this.inputs.skipped(n);
        o.hooks?.onTicksSkipped?.(this, n);
      },
    });
    o.hooks?.onCreate?.(this);
    this.loop.start();
  }

  // ---- queries ------------------------------------------------------------------------

  get serverTick(): number { return this.tick; }
  get phase(): Phase { return this.currentPhase; }
  get isDisposed(): boolean { return this.disposed; }
  /** Humans holding a seat (reserved, connected or within the reconnection grace). */
  get seatCount(): number { return this.seats.size; }
  get botCount(): number { return this.roster.botCount; }
  get spectatorCount(): number { return this.spectators.size; }
  get isPrivate(): boolean { return this.o.isPrivate; }
  get joinCode(): string | null { return this.o.joinCode ?? null; }

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
    for (const e of this.roster.list()) names.set(e.id, { name: e.name, bot: e.bot });
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
    this.inputs.addSeat(seat);
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
      if (this.roster.botCount + this.roster.humanEntities() >= this.maxPlayers) this.roster.removeOneBot();
      seat.playerId = this.roster.allocatePlayerId();
      this.mode.addPlayer(this.state, seat.playerId, seat.name, false);
      this.roster.dirty = true;
      if (this.firstHumanAt === null) this.firstHumanAt = this.o.clock.now();
    }
    seat.conn = conn;
    seat.status = 'connected';
    seat.needsKeyframe = true;
    this.inputs.seated(seat);
    this.mode.setConnected(this.state, seat.playerId, true);
    this.greet(conn, seat.playerId);
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

  /**
   * The room's input store, for a socket to queue its seat's inputs into its array directly
   * (tickInputs.ts queueInput, with the seat's inputAt and inputGen): what queueInput does,
   * without the room and the seat on the way.
   */
  get inputStore(): TickInputs {
    return this.inputs;
  }

  /** Queues a validated input; stale, late or overflowing ones are dropped and counted. */
  queueInput(seat: Seat, msg: InputMsg): void {
    if (seat.inputAt >= 0) this.inputs.offer(seat.inputAt, seat.inputGen, msg);
  }

  /** A batch's inputs, oldest first; one the seat already has (a repeat) is dropped silently, uncounted. */
  queueInputBatch(seat: Seat, inputs: readonly InputMsg[]): void {
    if (seat.inputAt >= 0) this.inputs.offerBatch(seat.inputAt, seat.inputGen, inputs);
  }

  /** Inputs waiting on a seat for the next ticks. */
  queuedInputs(seat: Seat): number {
    return this.inputs.queued(seat);
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
    this.spectators.closeAll(code, reason);
    this.o.hooks?.onDispose?.(this);
  }

  /** Sends a frame to every connected player and spectator of this match (subscribed or not). */
  broadcastDirect(frame: Uint8Array, kind: string): void {
    for (const s of this.seats.values()) if (s.conn && !s.conn.closed) s.conn.send(frame, kind);
    for (const conn of this.spectators.all.keys()) if (!conn.closed) conn.send(frame, kind);
  }

  private removeSeat(seat: Seat, reason: string): void {
    if (this.seats.get(seat.userId) !== seat) return;
    seat.graceTimer?.cancel();
    seat.graceTimer = null;
    this.seats.delete(seat.userId);
    this.inputs.removeSeat(seat);
    if (seat.playerId !== 0) {
      this.mode.removePlayer(this.state, seat.playerId);
      this.roster.dirty = true;
    }
    this.o.hooks?.onLeave?.(this, seat, reason);
    // A match with no humans left has nobody to play for.
    if (this.seats.size === 0) this.dispose(CloseCode.MatchEnded);
  }

  /** A new viewer's first frames: who it is (player id 0 for a spectator) and who plays. */
  private greet(conn: Connection, playerId: number): void {
    const welcome = { type: ServerType.Welcome, playerId, matchId: this.id, serverTick: this.tick, config: this.matchConfig() } as const;
    conn.send(encodeServer(welcome), 'welcome');
    conn.send(encodeServer({ type: ServerType.Roster, players: this.roster.list() }), 'roster');
  }

  // ---- spectators ---------------------------------------------------------------------

  /**
   * Adds a read-only viewer: welcome (player id 0: no entity of its own), roster, then a
   * keyframe and the match topic like a player. Returns false when the match is full of
   * spectators or gone.
   */
  addSpectator(conn: Connection): boolean {
    if (this.disposed || !this.spectators.add(conn)) return false;
    this.greet(conn, 0);
    this.o.hooks?.onSpectators?.(this);
    this.o.hooks?.onSpectatorJoin?.(this, conn);
    return true;
  }

  removeSpectator(conn: Connection): void {
    if (this.spectators.remove(conn)) this.o.hooks?.onSpectators?.(this);
  }

  // ---- the tick -----------------------------------------------------------------------

  private runTick(): void {
    if (this.disposed) return;
    this.fillBots();
    const applied = this.inputs.gather();
    if (applied > 0 && this.onInputs !== null) this.onInputs(applied, 0, '');
    const events = this.mode.step(this.state, this.inputs.current);
    this.tick++;
    this.inputs.serverTick = this.tick;
    const dropped = this.snapshots.addEvents(this.tick, events);
    if (dropped > 0) this.o.hooks?.onEventsDropped?.(this, dropped);
    if (this.roster.dirty) {
      this.roster.dirty = false;
      this.broadcastDirect(encodeServer({ type: ServerType.Roster, players: this.roster.list() }), 'roster');
    }
    const onSchedule = this.tick % this.snapshotEvery === 0;
    if (onSchedule) this.snapshots.publish(this.tick, this.seats, this.spectators.all);

    const { phase, ticksLeft } = this.mode.phase(this.state);
    if (phase !== this.currentPhase) {
      this.currentPhase = phase;
      // An ended match ignores inputs (they would never be applied).
      this.inputs.accepting = phase !== Phase.Ended;
      this.o.hooks?.onPhase?.(this, phase);
    }
    if (phase === Phase.Ended && ticksLeft === 0) {
      // The last ticks' events would otherwise die with the room: one off-schedule snapshot.
      if (this.snapshots.pendingEvents > 0 && !onSchedule) this.snapshots.publish(this.tick, this.seats, this.spectators.all);
      this.dispose(CloseCode.MatchEnded);
    }
  }

  private fillBots(): void {
    if (this.botFillDelayMs < 0 || this.firstHumanAt === null || this.currentPhase === Phase.Ended) return;
    // A full match has nothing to fill (roster.fill's own condition), and that is most ticks
    // of a running match: no clock read for it (a reading allocates a heap number).
    if (this.seats.size + this.roster.botCount >= this.maxPlayers) return;
    if (this.o.clock.now() - this.firstHumanAt < this.botFillDelayMs) return;
    // Seats reserved but not yet connected stay free for their humans.
    this.roster.fill(this.maxPlayers);
  }
}
