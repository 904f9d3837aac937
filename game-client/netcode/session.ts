/**
 * One player's view of a match: the connection's messages go in, inputs go out, and a
 * frame to draw comes back. This is where prediction, interpolation, clock sync and shot
 * prediction meet; it has no DOM and no Pixi, so the headless test drives exactly what
 * the browser runs.
 *
 * Per call of `update(now)` (the page calls it every frame and from a timer, so inputs keep
 * flowing in a background tab): inputs are produced at the tick rate from an accumulator,
 * each with the next sequence number, predicted at once and sent; a ping goes out every
 * second. Per `frame(now)`: remote entities are sampled from the interpolation buffer at
 * the synced server time, the own player comes from the predictor, and game events whose
 * tick the render time has reached are released (so a hit flash coincides with the
 * interpolated shot arriving). Projectiles are not interpolated: their snapshot rows hold
 * only spawn data, and each is drawn where the shared `projectilePosition` puts it at the
 * render tick.
 */
import {
  ARENA_SCHEMA,
  movePlayer,
  Buttons,
  ClientType,
  EventKind,
  Header,
  Phase,
  PlayerField,
  PlayerFlags,
  ProjectileField,
  ServerType,
  Tables,
  applySnapshotDelta,
  KEYFRAME,
  resolveAck,
  VIEW_AIM_STEPS,
  viewAimRadians,
  cleanName,
  dequantizeAngle,
  dequantizePosition,
  projectileLifetimeTicks,
  projectileMoves,
  projectilePosition,
  projectileSpawnFromRow,
  quantizeAngle,
  type GameEvent,
  type MatchConfig,
  type RosterEntry,
  type ServerMessage,
  type SnapshotState,
} from '../../protocol/index.js';
import {
  ClockSync,
  Emitter,
  emitSocial,
  InterpolationBuffer,
  Predictor,
  quantile,
  RateMeter,
  type Connection,
  type Sample,
  type SampleMode,
  type SocialEvents,
} from '../../client/index.js';
import { PredictedShots } from './predictedShots.js';

export interface PlayerView {
  id: number;
  name: string;
  bot: boolean;
  self: boolean;
  x: number;
  y: number;
  /** Radians. */
  aim: number;
  hp: number;
  score: number;
  deaths: number;
  alive: boolean;
  protected: boolean;
  connected: boolean;
}

export interface ProjectileView {
  /** Stable key for the renderer: `s<id>` for server projectiles, `p<id>` for predicted ones. */
  key: string;
  x: number;
  y: number;
  angle: number;
  owner: number;
  predicted: boolean;
}

export interface FrameView {
  phase: Phase;
  /** Seconds left in the phase (0 when the phase has no deadline). */
  secondsLeft: number;
  renderTick: number;
  /** How remote entities were placed: between snapshots, extrapolated, or frozen. */
  interpMode: SampleMode | null;
  self: PlayerView | null;
  /** Everyone, the own player included (at its predicted position). */
  players: PlayerView[];
  projectiles: ProjectileView[];
  /** Game events released this frame, in order. */
  events: GameEvent[];
}

export interface ScoreRow {
  id: number;
  name: string;
  bot: boolean;
  self: boolean;
  score: number;
  deaths: number;
  connected: boolean;
}

export interface NetStats {
  rttMs: number;
  jitterMs: number;
  clockOffsetMs: number;
  snapshotsPerSecond: number;
  downKBps: number;
  upKBps: number;
  /** Interpolation delay in use and its target, ms. */
  interpDelayMs: number;
  interpTargetMs: number;
  /** Snapshots buffered ahead of the render time. */
  interpAhead: number;
  /** Snapshot arrival jitter the buffer measured, ms. */
  snapshotJitterMs: number;
  starvations: number;
  predErrorLast: number;
  predErrorP99: number;
  predErrorMax: number;
  predSamples: number;
  corrections: number;
  snaps: number;
  pendingInputs: number;
  transport: string;
  /** ok, unstable or lost (net/linkHealth.ts). */
  link: string;
  lag: string | null;
}

/** Also the social events (chat, notification, notice, serverError) of net/socialMessages.ts. */
export interface SessionEvents extends SocialEvents {
  /** `resumed`: same match as before (a reconnect); otherwise a fresh start. */
  welcome: { playerId: number; matchId: string; resumed: boolean; config: MatchConfig };
  roster: RosterEntry[];
  phase: { phase: Phase; previous: Phase | null };
  snapshot: { tick: number };
}

export interface SessionOptions {
  pingIntervalMs?: number;
  /**
   * Inputs sent back to back at most after a slow frame (the rest are dropped). Default:
   * 500 ms worth (15 at 30 Hz), so a device drawing 3–10 fps still sends every tick's input
   * and moves at full speed; a longer page stall drops its backlog instead of fast-forwarding.
   */
  maxInputBurst?: number;
  /**
   * A spectator's session (`/spectate`, player id 0): it never sends an input — the server
   * closes a spectator socket that does — only pings for clock sync.
   */
  spectator?: boolean;
}

/** Sequence numbers a fresh page skips above the seat's last applied one (see onSnapshot). */
const SEQ_RESTART_MARGIN = 256;
/** Default input catch-up after a slow frame, ms (see SessionOptions.maxInputBurst). */
const INPUT_CATCH_UP_MS = 500;
/** An arrival timestamp from the socket event older than this is not trusted (clock mismatch). */
const MAX_ARRIVAL_AGE_MS = 2000;
/** Events wait for the render time at most this long (starved buffer, tab in background). */
const EVENT_MAX_WAIT_MS = 1500;

export class GameSession extends Emitter<SessionEvents> {
  readonly clock = new ClockSync();
  config: MatchConfig | null = null;
  playerId = 0;
  matchId: string | null = null;
  readonly roster = new Map<number, RosterEntry>();
  predictor: Predictor<number> | null = null;
  shots: PredictedShots | null = null;
  private buffer: InterpolationBuffer<SnapshotState> | null = null;
  private snap: SnapshotState | null = null;
  private tickMs = 1000 / 30;
  private seq = 0;
  private freshSeat = true;
  private buttons = 0;
  private aim = 0;
  private acc = 0;
  private lastUpdate: number | null = null;
  private lastInputAt = 0;
  /** The tick remote players were last drawn at (sent with firing inputs; 0: none yet). */
  private viewTick = 0;
  private lastFrameAt: number | null = null;
  private lastPingAt = -Infinity;
  private pingsSent = 0;
  private selfAlive = false;
  private phaseValue: Phase | null = null;
  private ticksLeft = 0;
  private readonly eventQueue: Array<{ tick: number; at: number; event: GameEvent }> = [];
  private readonly snapshotRate = new RateMeter(1000);
  private readonly down = new RateMeter(1000);
  private readonly up = new RateMeter(1000);
  private lastBytesIn = 0;
  private lastBytesOut = 0;
  private readonly pingIntervalMs: number;
  private readonly maxInputBurst: number | null;
  readonly spectator: boolean;
  private readonly offs: Array<() => void> = [];
  /** Snapshots that failed to apply (a broken delta chain); should stay 0. */
  snapshotErrors = 0;
  /** The last input sequence the server applied for this player (the snapshots' ack). */
  private ack: number | null = null;

  constructor(
    readonly connection: Connection,
    private readonly now: () => number = () => performance.now(),
    o: SessionOptions = {},
  ) {
    super();
    this.pingIntervalMs = o.pingIntervalMs ?? 1000;
    this.maxInputBurst = o.maxInputBurst ?? null;
    this.spectator = o.spectator ?? false;
    this.offs.push(connection.on('message', (m) => this.onMessage(m)));
    // Inputs sent on a new socket before its welcome would be applied by the server but
    // forgotten here when the welcome resets prediction: stop predicting until then.
    this.offs.push(connection.on('reconnecting', () => this.predictor?.reset()));
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.removeAllListeners();
  }

  get phase(): Phase | null {
    return this.phaseValue;
  }

  get inputSeq(): number {
    return this.seq;
  }

  /** The newest authoritative own row (not predicted): HUD values and tests read this. */
  get selfState(): { x: number; y: number; hp: number; score: number; deaths: number; alive: boolean; lastSeq: number } | null {
    const row = this.snap?.tables[Tables.Players].rows.get(this.playerId);
    if (!row) return null;
    return {
      x: dequantizePosition(row[PlayerField.X]),
      y: dequantizePosition(row[PlayerField.Y]),
      hp: row[PlayerField.Hp],
      score: row[PlayerField.Score],
      deaths: row[PlayerField.Deaths],
      alive: (row[PlayerField.Flags] & PlayerFlags.Alive) !== 0,
      lastSeq: this.ack ?? 0,
    };
  }

  get latestSnapshot(): SnapshotState | null {
    return this.snap;
  }

  /** The player's intent, applied from the next input tick: button bits and aim in radians. */
  setInput(buttons: number, aimRadians: number): void {
    this.buttons = buttons;
    this.aim = aimRadians;
  }

  // ---- the loop ---------------------------------------------------------------------------

  /** Sends due inputs and pings. Safe to call at any rate. */
  update(now = this.now()): void {
    // While the link is unstable (no frame from the server for a while) no input is produced:
    // the player's latest buttons and aim are all that is kept, so a stall never ends in a
    // burst of stale inputs (the server would drop them as late anyway).
    const canPlay =
      !this.spectator && this.connection.state === 'open' && this.connection.linkState === 'ok' && this.config !== null && this.predictor?.ready === true;
    if (this.connection.state === 'open' && this.config && now - this.lastPingAt >= (this.pingsSent < 5 ? 200 : this.pingIntervalMs)) {
      this.lastPingAt = now;
      this.pingsSent++;
      this.connection.send({ type: ClientType.Ping, t: Math.max(0, now) });
    }
    if (this.lastUpdate === null || !canPlay) {
      this.lastUpdate = now;
      this.acc = 0;
      return;
    }
    this.acc += Math.max(0, now - this.lastUpdate);
    this.lastUpdate = now;
    let sent = 0;
    const burst = this.maxInputBurst ?? Math.ceil(INPUT_CATCH_UP_MS / this.tickMs);
    while (this.acc >= this.tickMs && sent < burst) {
      this.acc -= this.tickMs;
      this.sendInput(now);
      sent++;
    }
    // After a stall, drop the backlog instead of fast-forwarding the player.
    if (this.acc >= this.tickMs) this.acc %= this.tickMs;
    this.meterBytes(now);
  }

  private sendInput(now: number): void {
    const predictor = this.predictor!;
    this.seq = (this.seq + 1) >>> 0 || 1;
    const aim = quantizeAngle(this.aim);
    const phase = this.phaseValue;
    const moves = this.selfAlive && phase !== Phase.Ended;
    const at = predictor.applyInput(this.seq, this.buttons, moves);
    // A firing input also says which tick the others were drawn at (lag compensation rewinds
    // the shot to it); other inputs leave it out to keep the upstream small.
    const viewTick = this.buttons & Buttons.Fire && this.viewTick > 0 ? this.viewTick : undefined;
    this.connection.send({ type: ClientType.Input, seq: this.seq, buttons: this.buttons, aim, ackTick: this.snap?.tick ?? 0, ...(viewTick ? { viewTick } : {}) });
    this.lastInputAt = now;
    if (this.shots && at) {
      this.shots.confirmTimeoutMs = Math.max(600, this.clock.rtt * 2 + 300);
      this.shots.onInput(now, this.buttons, aim, at, this.selfAlive && phase === Phase.Playing);
    }
  }

  /** What to draw at `now`. */
  frame(now = this.now()): FrameView | null {
    if (!this.config || !this.buffer) return null;
    const frameDt = this.lastFrameAt === null ? 0 : now - this.lastFrameAt;
    this.lastFrameAt = now;
    this.predictor?.decay(frameDt);
    const serverNow = this.clock.serverNow(now);
    const sample = this.buffer.sample(serverNow);
    const renderTick = sample?.renderTick ?? 0;
    if (sample && sample.mode !== 'hold') this.viewTick = Math.max(0, Math.round(renderTick));
    const players = sample ? this.interpolatePlayers(sample) : [];
    const self = this.selfView(now);
    if (self) players.push(self);

    const projectiles = sample ? this.projectilesAt(sample) : [];
    if (this.shots) {
      this.shots.update(
        now,
        players.filter((p) => !p.self && p.alive && !p.protected),
      );
      for (const p of this.shots.positions(now)) {
        projectiles.push({ key: `p${p.localId}`, x: p.x, y: p.y, angle: dequantizeAngle(p.angle), owner: this.playerId, predicted: true });
      }
    }

    const events: GameEvent[] = [];
    while (this.eventQueue.length > 0) {
      const head = this.eventQueue[0];
      if (head.tick > renderTick && now - head.at < EVENT_MAX_WAIT_MS) break;
      events.push(head.event);
      this.eventQueue.shift();
    }
    return {
      phase: this.phaseValue ?? Phase.Waiting,
      secondsLeft: this.ticksLeft * (this.tickMs / 1000),
      renderTick,
      interpMode: sample?.mode ?? null,
      self,
      players,
      projectiles,
      events,
    };
  }

  scoreboard(): ScoreRow[] {
    const rows = this.snap?.tables[Tables.Players].rows;
    if (!rows) return [];
    const out: ScoreRow[] = [];
    for (const [id, row] of rows) {
      const r = this.roster.get(id);
      out.push({
        id,
        name: r?.name ?? `#${id}`,
        bot: r?.bot ?? (row[PlayerField.Flags] & PlayerFlags.Bot) !== 0,
        self: id === this.playerId,
        score: row[PlayerField.Score],
        deaths: row[PlayerField.Deaths],
        connected: (row[PlayerField.Flags] & PlayerFlags.Connected) !== 0,
      });
    }
    return out.sort((a, b) => b.score - a.score || a.deaths - b.deaths || a.id - b.id);
  }

  netStats(now = this.now()): NetStats {
    this.meterBytes(now);
    const p = this.predictor?.stats;
    const lag = this.connection.lag;
    return {
      rttMs: this.clock.rtt,
      jitterMs: this.clock.jitter,
      clockOffsetMs: this.clock.offset,
      snapshotsPerSecond: this.snapshotRate.rate(now),
      downKBps: this.down.rate(now) / 1024,
      upKBps: this.up.rate(now) / 1024,
      interpDelayMs: this.buffer?.delayMs ?? 0,
      interpTargetMs: this.buffer?.targetDelayMs ?? 0,
      interpAhead: this.buffer?.ahead ?? 0,
      snapshotJitterMs: this.buffer?.jitterMs ?? 0,
      starvations: this.buffer?.starvations ?? 0,
      predErrorLast: p?.lastError ?? 0,
      predErrorP99: p ? quantile(p.recent, 0.99) : 0,
      predErrorMax: p?.maxError ?? 0,
      predSamples: p?.samples ?? 0,
      corrections: p?.corrections ?? 0,
      snaps: p?.snaps ?? 0,
      pendingInputs: this.predictor?.pendingCount ?? 0,
      transport: this.connection.transport,
      link: this.connection.linkState,
      lag: lag ? `${lag.lagMs}±${lag.jitterMs / 2} ms` : null,
    };
  }

  private meterBytes(now: number): void {
    const dIn = this.connection.bytesIn - this.lastBytesIn;
    const dOut = this.connection.bytesOut - this.lastBytesOut;
    if (dIn > 0) this.down.add(now, dIn);
    if (dOut > 0) this.up.add(now, dOut);
    this.lastBytesIn = this.connection.bytesIn;
    this.lastBytesOut = this.connection.bytesOut;
  }

  // ---- messages ---------------------------------------------------------------------------

  private onMessage(m: ServerMessage): void {
    const now = this.arrivalTime();
    switch (m.type) {
      case ServerType.Welcome: {
        const resumed = this.matchId === m.matchId && this.playerId === m.playerId && this.config !== null;
        if (!resumed) this.startMatch(m.config, m.matchId, m.playerId);
        // A new socket starts a new delta chain with a keyframe; inputs in flight on the old
        // one may be lost, so prediction restarts from the keyframe.
        this.snap = null;
        this.ack = null;
        this.predictor!.reset();
        this.shots!.clear();
        this.emit('welcome', { playerId: m.playerId, matchId: m.matchId, resumed, config: m.config });
        return;
      }
      case ServerType.Roster:
        this.roster.clear();
        // Names through the shared text policy before anything displays them.
        for (const p of m.players) this.roster.set(p.id, { ...p, name: cleanName(p.name, `#${p.id}`) });
        this.emit('roster', [...this.roster.values()]);
        return;
      case ServerType.Snapshot:
        // The events of the ticks this snapshot covers come first, as they happened before it
        // (a Fire event names the projectile the snapshot then adds).
        for (const group of m.events) this.onEvents(group.tick, group.events, now);
        this.onSnapshot(m.delta, m.ack, now);
        return;
      case ServerType.Pong: {
        const sample = this.clock.addSample(m.t, now, m.serverTime);
        // Snapshots that arrived before the clock synced were stamped with the old offset.
        if (sample && sample.step !== 0) this.buffer?.rebase(sample.step);
        return;
      }
      default:
        emitSocial(m, (event, payload) => this.emit(event, payload));
    }
  }

  /**
   * When the message being handled arrived: the socket event's own timestamp when it has
   * one (taken when the frame was queued, so a busy main thread does not make snapshots look
   * late and inflate the interpolation delay), else now.
   */
  private arrivalTime(): number {
    const now = this.now();
    const at = this.connection.receivedAt;
    return at !== null && at <= now && now - at < MAX_ARRIVAL_AGE_MS ? at : now;
  }

  private onEvents(tick: number, events: readonly number[][], now: number): void {
    for (const ev of events) {
      if (ev[0] === EventKind.Fire && ev[1] === this.playerId) this.shots?.onFireEvent(ev[2], tick);
      this.eventQueue.push({ tick, at: now, event: ev });
    }
    // Nobody draws frames in a hidden tab: keep only the latest events for when it returns.
    if (this.eventQueue.length > 256) this.eventQueue.splice(0, this.eventQueue.length - 256);
  }

  private startMatch(config: MatchConfig, matchId: string, playerId: number): void {
    this.config = config;
    this.matchId = matchId;
    this.playerId = playerId;
    this.tickMs = 1000 / config.tickRate;
    const dt = 1 / config.tickRate;
    // The arena's movement rule, the same code the server's simulation runs per input.
    this.predictor = new Predictor<number>({ step: (p, buttons) => movePlayer(p, buttons, dt, config.map) });
    this.shots = new PredictedShots(config.map, config.tickRate);
    this.buffer = new InterpolationBuffer<SnapshotState>({ tickMs: this.tickMs, snapshotIntervalMs: 1000 / config.snapshotRate });
    this.roster.clear();
    this.eventQueue.length = 0;
    this.phaseValue = null;
    this.freshSeat = true;
    this.viewTick = 0;
  }

  private onSnapshot(delta: Parameters<typeof applySnapshotDelta>[1], wireAck: number, now: number): void {
    if (!this.config || !this.buffer || !this.predictor) return;
    const applied = applySnapshotDelta(this.snap, delta, ARENA_SCHEMA);
    const ack = resolveAck(this.ack, delta.baselineTick === KEYFRAME, wireAck);
    if (!applied.ok || ack === null) {
      // Cannot happen on an ordered stream unless a bug broke the chain; the next keyframe
      // (resume, or the server's slow-consumer path) repairs it.
      this.snapshotErrors++;
      return;
    }
    const s = applied.value;
    this.snap = s;
    this.ack = ack;
    this.snapshotRate.add(now);
    this.buffer.push(s.tick, s, this.clock.serverNow(now));

    const phase = s.header[Header.Phase] as Phase;
    this.ticksLeft = s.header[Header.TicksLeft] ?? 0;
    if (phase !== this.phaseValue) {
      const previous = this.phaseValue;
      this.phaseValue = phase;
      this.emit('phase', { phase, previous });
    }

    const row = s.tables[Tables.Players].rows.get(this.playerId);
    if (row) {
      const alive = (row[PlayerField.Flags] & PlayerFlags.Alive) !== 0;
      const lastSeq = ack;
      if (this.freshSeat) {
        // A fresh page on a seat that already took inputs (reload, second tab): the server
        // drops sequence numbers at or below the highest it queued, which may be a little
        // above the last one it applied.
        this.freshSeat = false;
        if (lastSeq > 0 && this.seq < lastSeq + SEQ_RESTART_MARGIN) this.seq = lastSeq + SEQ_RESTART_MARGIN;
      }
      // Death and respawn teleport the player: resync, that is no prediction error.
      if (alive !== this.selfAlive) this.predictor.reset();
      this.selfAlive = alive;
      const server = { x: dequantizePosition(row[PlayerField.X]), y: dequantizePosition(row[PlayerField.Y]) };
      this.predictor.reconcile(server, lastSeq, alive && phase !== Phase.Ended);
    }

    if (this.shots) {
      // The own projectiles' muzzle points (rows are spawn data), for the shots' reconciliation.
      const rows = new Map<number, { x: number; y: number }>();
      for (const [id, r] of s.tables[Tables.Projectiles].rows) {
        if (r[ProjectileField.Owner] === this.playerId) rows.set(id, { x: dequantizePosition(r[ProjectileField.X]), y: dequantizePosition(r[ProjectileField.Y]) });
      }
      this.shots.onSnapshot(now, rows);
    }
    this.emit('snapshot', { tick: s.tick });
  }

  // ---- views ------------------------------------------------------------------------------

  private playerView(id: number, row: number[], x: number, y: number, aim: number): PlayerView {
    const r = this.roster.get(id);
    const flags = row[PlayerField.Flags];
    return {
      id,
      name: r?.name ?? `#${id}`,
      bot: (flags & PlayerFlags.Bot) !== 0,
      self: id === this.playerId,
      x,
      y,
      aim,
      hp: row[PlayerField.Hp],
      score: row[PlayerField.Score],
      deaths: row[PlayerField.Deaths],
      alive: (flags & PlayerFlags.Alive) !== 0,
      protected: (flags & PlayerFlags.SpawnProtected) !== 0,
      connected: (flags & PlayerFlags.Connected) !== 0,
    };
  }

  private selfView(now: number): PlayerView | null {
    const row = this.snap?.tables[Tables.Players].rows.get(this.playerId);
    if (!row) return null;
    const fraction = (now - this.lastInputAt) / this.tickMs;
    const pos = this.predictor?.renderPosition(fraction) ?? { x: dequantizePosition(row[PlayerField.X]), y: dequantizePosition(row[PlayerField.Y]) };
    // The own aim is drawn from the mouse, not from the server: it must feel instant.
    return this.playerView(this.playerId, row, pos.x, pos.y, this.aim);
  }

  private interpolatePlayers(sample: Sample<SnapshotState>): PlayerView[] {
    const { from, to, alpha } = sample;
    const fromRows = from.state.tables[Tables.Players].rows;
    const span = Math.max(1, to.tick - from.tick);
    // Farther than a player can run between the two snapshots (with slack): a teleport.
    const maxStep = (220 * 1.5 * span * this.tickMs) / 1000;
    const out: PlayerView[] = [];
    for (const [id, b] of to.state.tables[Tables.Players].rows) {
      if (id === this.playerId) continue;
      const a = fromRows.get(id) ?? b;
      const ax = dequantizePosition(a[PlayerField.X]);
      const ay = dequantizePosition(a[PlayerField.Y]);
      const bx = dequantizePosition(b[PlayerField.X]);
      const by = dequantizePosition(b[PlayerField.Y]);
      const aliveBoth = a[PlayerField.Flags] & b[PlayerField.Flags] & PlayerFlags.Alive;
      const smooth = aliveBoth && Math.abs(bx - ax) + Math.abs(by - ay) <= maxStep * 1.5;
      const discrete = alpha < 0.5 ? a : b;
      const x = smooth ? ax + (bx - ax) * alpha : dequantizePosition(discrete[PlayerField.X]);
      const y = smooth ? ay + (by - ay) * alpha : dequantizePosition(discrete[PlayerField.Y]);
      // View aim (VIEW_AIM_STEPS per turn): interpolate the short way round.
      const half = VIEW_AIM_STEPS / 2;
      let d = b[PlayerField.Aim] - a[PlayerField.Aim];
      if (d > half) d -= VIEW_AIM_STEPS;
      if (d < -half) d += VIEW_AIM_STEPS;
      const aim = viewAimRadians((((a[PlayerField.Aim] + d * Math.min(alpha, 1)) % VIEW_AIM_STEPS) + VIEW_AIM_STEPS) % VIEW_AIM_STEPS);
      out.push(this.playerView(id, discrete, x, y, aim));
    }
    return out;
  }

  /**
   * Server projectiles at the sample's time. Rows are constant spawn data, so each position
   * comes from `projectilePosition` at the render tick, the same function the server moves
   * projectiles with. The time is the sample's (from + alpha · span), which is the render
   * tick except where the buffer holds: before the first snapshot and after extrapolation
   * ran out, projectiles freeze with the players. A projectile is drawn while its row is in
   * the `to` snapshot (it vanishes when the server removes it), from its firing tick on, and
   * never past its lifetime while extrapolating.
   */
  private projectilesAt(sample: Sample<SnapshotState>): ProjectileView[] {
    const { from, to, alpha } = sample;
    const tick = from.tick + (to.tick - from.tick) * alpha;
    const tickRate = this.config!.tickRate;
    const lifetime = projectileLifetimeTicks(tickRate);
    const out: ProjectileView[] = [];
    for (const [id, row] of to.state.tables[Tables.Projectiles].rows) {
      const owner = row[ProjectileField.Owner];
      if (owner === this.playerId && this.shots?.isClaimed(id)) continue;
      const spawn = projectileSpawnFromRow(row);
      if (tick < spawn.spawnTick || projectileMoves(spawn.spawnTick, tick) >= lifetime) continue;
      const { x, y } = projectilePosition(spawn, tick, tickRate);
      out.push({ key: `s${id}`, x, y, angle: dequantizeAngle(spawn.angle), owner, predicted: false });
    }
    return out;
  }
}

/** Button bits from held directions and the fire button. */
export function buttonsFrom(keys: { up: boolean; down: boolean; left: boolean; right: boolean; fire: boolean }): number {
  let b = 0;
  if (keys.up) b |= Buttons.Up;
  if (keys.down) b |= Buttons.Down;
  if (keys.left) b |= Buttons.Left;
  if (keys.right) b |= Buttons.Right;
  if (keys.fire) b |= Buttons.Fire;
  return b;
}
