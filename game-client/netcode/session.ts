/**
 * One arena player's view of a match: the connection's messages go in, inputs go out, and
 * a frame to draw comes back. The match-independent part — welcome, snapshot chain, acks,
 * clock sync, interpolation buffer — is tickwire/client's MatchFeed; this adds the arena's
 * meaning: prediction with the arena's movement rule, predicted shots, phases, events and
 * the views (views.ts). No DOM and no Pixi, so the headless test drives exactly what the
 * browser runs.
 *
 * Per call of `update(now)` (the page calls it every frame and from a timer, so inputs keep
 * flowing in a background tab): inputs are produced at the tick rate from an accumulator,
 * each with the next sequence number, predicted at once and sent; the feed pings every
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
  cleanName,
  dequantizeAngle,
  dequantizePosition,
  quantizeAngle,
  type GameEvent,
  type MatchConfig,
  type RosterEntry,
  type ServerMessage,
  type SnapshotState,
  type TickEvents,
} from '../../protocol/index.js';
import { Emitter, emitSocial, MatchFeed, Predictor, quantile, RateMeter, type Connection, type SocialEvents } from '../../client/index.js';
import { PredictedShots } from './predictedShots.js';
import { interpolatePlayers, playerView, projectilesAt, scoreboardOf, type FrameView, type PlayerView, type ScoreRow } from './views.js';

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
  /** ok, unstable or lost (client/linkHealth.ts). */
  link: string;
  lag: string | null;
}

/** Also the social events (chat, notification, notice, serverError) of client/socialMessages.ts. */
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
/** Events wait for the render time at most this long (starved buffer, tab in background). */
const EVENT_MAX_WAIT_MS = 1500;

export class GameSession extends Emitter<SessionEvents> {
  /** Welcome, snapshot chain, acks, clock sync and the interpolation buffer. */
  readonly feed: MatchFeed;
  readonly roster = new Map<number, RosterEntry>();
  predictor: Predictor<number> | null = null;
  shots: PredictedShots | null = null;
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
  private selfAlive = false;
  private phaseValue: Phase | null = null;
  private ticksLeft = 0;
  private readonly eventQueue: Array<{ tick: number; at: number; event: GameEvent }> = [];
  private readonly snapshotRate = new RateMeter(1000);
  private readonly down = new RateMeter(1000);
  private readonly up = new RateMeter(1000);
  private lastBytesIn = 0;
  private lastBytesOut = 0;
  private readonly maxInputBurst: number | null;
  readonly spectator: boolean;
  private readonly offs: Array<() => void> = [];

  constructor(
    readonly connection: Connection,
    private readonly now: () => number = () => performance.now(),
    o: SessionOptions = {},
  ) {
    super();
    this.maxInputBurst = o.maxInputBurst ?? null;
    this.spectator = o.spectator ?? false;
    this.feed = new MatchFeed(connection, { schema: ARENA_SCHEMA, now, pingIntervalMs: o.pingIntervalMs });
    this.offs.push(() => this.feed.dispose());
    this.offs.push(this.feed.on('welcome', (w) => this.onWelcome(w)));
    this.offs.push(this.feed.on('snapshot', (s) => this.onSnapshot(s.state, s.ack, s.events, s.arrival)));
    this.offs.push(connection.on('message', (m) => this.onMessage(m)));
    // Inputs sent on a new socket before its welcome would be applied by the server but
    // forgotten here when the welcome resets prediction: stop predicting until then.
    this.offs.push(connection.on('reconnecting', () => this.predictor?.reset()));
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.removeAllListeners();
  }

  get config(): MatchConfig | null {
    return this.feed.config;
  }

  get playerId(): number {
    return this.feed.playerId;
  }

  get matchId(): string | null {
    return this.feed.matchId;
  }

  /** Snapshots that failed to apply (a broken delta chain); should stay 0. */
  get snapshotErrors(): number {
    return this.feed.snapshotErrors;
  }

  private get tickMs(): number {
    return this.feed.tickMs;
  }

  private get snap(): SnapshotState | null {
    return this.feed.state;
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
      lastSeq: this.feed.ack ?? 0,
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
    this.feed.update(now);
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
      this.shots.confirmTimeoutMs = Math.max(600, this.feed.clock.rtt * 2 + 300);
      this.shots.onInput(now, this.buttons, aim, at, this.selfAlive && phase === Phase.Playing);
    }
  }

  /** What to draw at `now`. */
  frame(now = this.now()): FrameView | null {
    const config = this.config;
    if (!config || !this.feed.interpolation) return null;
    const frameDt = this.lastFrameAt === null ? 0 : now - this.lastFrameAt;
    this.lastFrameAt = now;
    this.predictor?.decay(frameDt);
    const sample = this.feed.sample(now);
    const renderTick = sample?.renderTick ?? 0;
    if (sample && sample.mode !== 'hold') this.viewTick = Math.max(0, Math.round(renderTick));
    const players = sample ? interpolatePlayers(this, sample, this.tickMs) : [];
    const self = this.selfView(now);
    if (self) players.push(self);

    // Own projectiles a predicted shot stands for are drawn as that shot, not twice.
    const claimed = (id: number, owner: number) => owner === this.playerId && this.shots?.isClaimed(id) === true;
    const projectiles = sample ? projectilesAt(sample, config.tickRate, claimed) : [];
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
    return scoreboardOf(this, this.snap);
  }

  netStats(now = this.now()): NetStats {
    this.meterBytes(now);
    const p = this.predictor?.stats;
    const lag = this.connection.lag;
    const buffer = this.feed.interpolation;
    const clock = this.feed.clock;
    return {
      rttMs: clock.rtt,
      jitterMs: clock.jitter,
      clockOffsetMs: clock.offset,
      snapshotsPerSecond: this.snapshotRate.rate(now),
      downKBps: this.down.rate(now) / 1024,
      upKBps: this.up.rate(now) / 1024,
      interpDelayMs: buffer?.delayMs ?? 0,
      interpTargetMs: buffer?.targetDelayMs ?? 0,
      interpAhead: buffer?.ahead ?? 0,
      snapshotJitterMs: buffer?.jitterMs ?? 0,
      starvations: buffer?.starvations ?? 0,
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

  /** Roster and social messages; the feed handles welcome, snapshots and pongs. */
  private onMessage(m: ServerMessage): void {
    switch (m.type) {
      case ServerType.Welcome:
      case ServerType.Snapshot:
      case ServerType.Pong:
        return;
      case ServerType.Roster:
        this.roster.clear();
        // Names through the shared text policy before anything displays them.
        for (const p of m.players) this.roster.set(p.id, { ...p, name: cleanName(p.name, `#${p.id}`) });
        this.emit('roster', [...this.roster.values()]);
        return;
      default:
        emitSocial(m, (event, payload) => this.emit(event, payload));
    }
  }

  private onWelcome(w: SessionEvents['welcome']): void {
    if (!w.resumed) this.startMatch(w.config);
    // A new socket starts a new delta chain with a keyframe; inputs in flight on the old
    // one may be lost, so prediction restarts from the keyframe.
    this.predictor!.reset();
    this.shots!.clear();
    this.emit('welcome', w);
  }

  private onEvents(tick: number, events: readonly number[][], now: number): void {
    for (const ev of events) {
      if (ev[0] === EventKind.Fire && ev[1] === this.playerId) this.shots?.onFireEvent(ev[2], tick);
      this.eventQueue.push({ tick, at: now, event: ev });
    }
    // Nobody draws frames in a hidden tab: keep only the latest events for when it returns.
    if (this.eventQueue.length > 256) this.eventQueue.splice(0, this.eventQueue.length - 256);
  }

  private startMatch(config: MatchConfig): void {
    const dt = 1 / config.tickRate;
    // The arena's movement rule, the same code the server's simulation runs per input.
    this.predictor = new Predictor<number>({ step: (p, buttons) => movePlayer(p, buttons, dt, config.map) });
    this.shots = new PredictedShots(config.map, config.tickRate);
    this.roster.clear();
    this.eventQueue.length = 0;
    this.phaseValue = null;
    this.freshSeat = true;
    this.viewTick = 0;
  }

  /** The arena's part of a snapshot the feed applied: events, phase, prediction, shots. */
  private onSnapshot(s: SnapshotState, ack: number, events: readonly TickEvents[], now: number): void {
    if (!this.predictor) return;
    // The events of the ticks this snapshot covers come first, as they happened before it
    // (a Fire event names the projectile the snapshot then adds).
    for (const group of events) this.onEvents(group.tick, group.events, now);
    this.snapshotRate.add(now);

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

  /** The own player: drawn at the predicted position, with the mouse's aim (it must feel instant). */
  private selfView(now: number): PlayerView | null {
    const row = this.snap?.tables[Tables.Players].rows.get(this.playerId);
    if (!row) return null;
    const fraction = (now - this.lastInputAt) / this.tickMs;
    const pos = this.predictor?.renderPosition(fraction) ?? { x: dequantizePosition(row[PlayerField.X]), y: dequantizePosition(row[PlayerField.Y]) };
    return playerView(this, this.playerId, row, pos.x, pos.y, this.aim);
  }
}
