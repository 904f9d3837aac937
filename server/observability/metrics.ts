/**
 * Prometheus metrics (prom-client) on a registry owned by one server instance, so several
 * servers in one test process never share counters.
 */
import client from 'prom-client';
import { BucketHistogram } from './bucketHistogram.js';

/** Plain running totals, bumped on the per-frame path and read by Prometheus at scrape time. */
export interface FrameCounters {
  frames: number;
  bytes: number;
}

export class Metrics {
  readonly registry = new client.Registry();
  readonly connections: client.Gauge<'namespace'>;
  readonly matches: client.Gauge<'phase'>;
  readonly players: client.Gauge;
  readonly playersJoined: client.Counter;
  // Observed per match tick: preallocated counters read at scrape time (bucketHistogram.ts).
  readonly tickDuration: BucketHistogram;
  readonly tickLateness: BucketHistogram;
  readonly tickWakeLateness: BucketHistogram;
  readonly ticksSkipped: client.Counter;
  /** Scheduler wake-ups by what started them: its timer, or a frame handler (`io`). */
  readonly tickWakeups: client.Counter<'source'>;
  /**
   * tickwire_inputs_applied_total's value: a plain total the tick adds to (once per match
   * tick with inputs), read at scrape time. prom-client's `inc` allocated a labels object
   * and a result object per call, ~3,000 calls a second at 800 players. The counter itself
   * is not exposed: its `collect` overwrites it with this total, so an `inc` on it would be
   * lost at the next scrape.
   */
  inputsAppliedCount = 0;
  readonly inputsRejected: client.Counter<'reason'>;
  readonly framesIn: client.Counter<'namespace'>;
  readonly framesOut: client.Counter<'kind'>;
  readonly bytesIn: client.Counter<'namespace'>;
  readonly bytesOut: client.Counter<'kind'>;
  readonly badFrames: client.Counter<'reason'>;
  readonly snapshotsDropped: client.Counter;
  /** Game events past the per-snapshot bound (Limits.maxEventsPerFrame), dropped. */
  readonly eventsDropped: client.Counter;
  readonly closes: client.Counter<'code'>;
  readonly authFailures: client.Counter<'reason'>;
  /** Requests, frames and connections refused by a configured limit (429s, 4016…). */
  readonly limitHits: client.Counter<'limit'>;
  /** Seats held by a ticket whose player has not connected yet, and seats with a player. */
  readonly seats: client.Gauge<'state'>;
  /** 1 while the process drains (SIGTERM): dashboards tell a drain from an outage. */
  readonly draining: client.Gauge;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const r = [this.registry];
    const inTotals = this.inCache;
    const outTotals = this.outCache;
    if (opts.defaultMetrics) client.collectDefaultMetrics({ register: this.registry });
    this.connections = new client.Gauge({ name: 'tickwire_connections', help: 'Open WebSocket connections', labelNames: ['namespace'], registers: r });
    const phases = () => this.matchPhases();
    this.matches = new client.Gauge({
      name: 'tickwire_matches',
      help: 'Live matches by phase',
      labelNames: ['phase'],
      registers: r,
      // Counted at scrape time from the rooms themselves, so it can never drift.
      collect() {
        this.reset();
        for (const p of phases()) this.inc({ phase: p });
      },
    });
    this.players = new client.Gauge({ name: 'tickwire_players', help: 'Seated human players', registers: r });
    this.playersJoined = new client.Counter({ name: 'tickwire_players_joined_total', help: 'Players that joined a match', registers: r });
    const ms = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 33, 66];
    this.tickDuration = new BucketHistogram({ name: 'tickwire_tick_duration_ms', help: 'Time spent in one match tick', buckets: ms, registers: r });
    this.tickLateness = new BucketHistogram({ name: 'tickwire_tick_lateness_ms', help: 'How late a tick started', buckets: ms, registers: r });
    this.tickWakeLateness = new BucketHistogram({
      name: 'tickwire_tick_wake_lateness_ms',
      help: "How late the scheduler's wake-up that ran a tick was (the rest of a tick's lateness is waiting behind other matches)",
      buckets: ms,
      registers: r,
    });
    const wakeups = () => this.wakeupCounts();
    this.tickWakeups = new client.Counter({
      name: 'tickwire_tick_wakeups_total',
      help: 'Tick scheduler wake-ups by source: its timer, or between two received frames (io)',
      labelNames: ['source'],
      registers: r,
      collect() {
        const w = wakeups();
        this.reset();
        this.inc({ source: 'timer' }, w.timer);
        this.inc({ source: 'io' }, w.polled);
      },
    });
    this.ticksSkipped = new client.Counter({ name: 'tickwire_ticks_skipped_total', help: 'Ticks skipped after bounded catch-up', registers: r });
    const inputsApplied = () => this.inputsAppliedCount;
    new client.Counter({
      name: 'tickwire_inputs_applied_total',
      help: 'Inputs applied by the simulation',
      registers: r,
      collect() {
        this.reset();
        this.inc(inputsApplied());
      },
    });
    this.inputsRejected = new client.Counter({ name: 'tickwire_inputs_rejected_total', help: 'Inputs dropped', labelNames: ['reason'], registers: r });
    this.framesIn = new client.Counter({
      name: 'tickwire_frames_in_total',
      help: 'Frames received',
      labelNames: ['namespace'],
      registers: r,
      collect() {
        this.reset();
        for (const [l, c] of inTotals) if (c.frames > 0) this.inc({ namespace: l }, c.frames);
      },
    });
    this.bytesIn = new client.Counter({
      name: 'tickwire_bytes_in_total',
      help: 'Bytes received',
      labelNames: ['namespace'],
      registers: r,
      collect() {
        this.reset();
        for (const [l, c] of inTotals) if (c.bytes > 0) this.inc({ namespace: l }, c.bytes);
      },
    });
    this.framesOut = new client.Counter({
      name: 'tickwire_frames_out_total',
      help: 'Frames sent (a publish counts once per subscriber)',
      labelNames: ['kind'],
      registers: r,
      collect() {
        this.reset();
        for (const [l, c] of outTotals) if (c.frames > 0) this.inc({ kind: l }, c.frames);
      },
    });
    this.bytesOut = new client.Counter({
      name: 'tickwire_bytes_out_total',
      help: 'Bytes sent (a publish counts once per subscriber)',
      labelNames: ['kind'],
      registers: r,
      collect() {
        this.reset();
        for (const [l, c] of outTotals) if (c.bytes > 0) this.inc({ kind: l }, c.bytes);
      },
    });
    this.badFrames = new client.Counter({ name: 'tickwire_bad_frames_total', help: 'Rejected frames by reason', labelNames: ['reason'], registers: r });
    this.snapshotsDropped = new client.Counter({ name: 'tickwire_snapshots_dropped_total', help: 'Snapshots skipped for slow clients', registers: r });
    this.eventsDropped = new client.Counter({ name: 'tickwire_events_dropped_total', help: 'Game events dropped past the per-snapshot bound', registers: r });
    this.closes = new client.Counter({ name: 'tickwire_closes_total', help: 'Connections closed by code', labelNames: ['code'], registers: r });
    this.authFailures = new client.Counter({ name: 'tickwire_auth_failures_total', help: 'Refused upgrades and API calls', labelNames: ['reason'], registers: r });
    this.limitHits = new client.Counter({ name: 'tickwire_limit_hits_total', help: 'Refused by a limit, by limit name', labelNames: ['limit'], registers: r });
    const seatStates = () => this.seatStates();
    this.seats = new client.Gauge({
      name: 'tickwire_seats',
      help: 'Human seats by state: reserved (ticket issued, not connected) or seated (connected or within the reconnection grace)',
      labelNames: ['state'],
      registers: r,
      collect() {
        const s = seatStates();
        this.set({ state: 'reserved' }, s.reserved);
        this.set({ state: 'seated' }, s.seated);
      },
    });
    this.draining = new client.Gauge({ name: 'tickwire_draining', help: '1 while the server drains before shutting down', registers: r });
  }

  private matchPhases: () => string[] = () => [];
  private wakeupCounts: () => { timer: number; polled: number } = () => ({ timer: 0, polled: 0 });

  /** Where the scheduler wake-up counter reads from at scrape time (RoomManager.wakeupCounts). */
  countWakeupsBy(source: () => { timer: number; polled: number }): void {
    this.wakeupCounts = source;
  }
  private seatStates: () => { reserved: number; seated: number } = () => ({ reserved: 0, seated: 0 });

  /** Where the seats-by-state gauge reads from at scrape time. */
  countSeatsBy(source: () => { reserved: number; seated: number }): void {
    this.seatStates = source;
  }
  private readonly inCache = new Map<string, FrameCounters>();
  private readonly outCache = new Map<string, FrameCounters>();

  /**
   * Frame and byte totals for one namespace (in) or message kind (out). The per-frame path
   * adds to plain numbers; the Prometheus counters read them at scrape time. (prom-client's
   * `inc`, even on a `labels()` child, hashes the labels on every call: with four calls per
   * frame that was several per cent of the server's JavaScript time under load.)
   */
  inbound(namespace: string): FrameCounters {
    let c = this.inCache.get(namespace);
    if (!c) this.inCache.set(namespace, (c = { frames: 0, bytes: 0 }));
    return c;
  }

  outbound(kind: string): FrameCounters {
    let c = this.outCache.get(kind);
    if (!c) this.outCache.set(kind, (c = { frames: 0, bytes: 0 }));
    return c;
  }

  /** Where the matches-by-phase gauge reads from at scrape time. */
  countMatchesBy(source: () => string[]): void {
    this.matchPhases = source;
  }

  /** Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  contentType(): string {
    return this.registry.contentType;
  }
}
