/**
 * This node's view of the cluster registry in Redis (see registryScripts.ts for the keys):
 * its heartbeat (node key renewed every `beatMs`, expiring after `ttlMs` when the node
 * dies), placement and seat scripts, its matches' entries, and the sweeper that removes
 * dead nodes' matches. After Redis comes back (possibly empty) `resync` registers the node
 * and every live match again, so they reappear in lists and matchmaking.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import type { RedisConnection } from '../presence/redis/redisConnection.js';
import * as S from './registryScripts.js';

export interface NodeInfo {
  url: string;
  players: number;
  matches: number;
  maxMatches: number;
  draining: boolean;
}

export interface LocalMatch {
  id: string;
  mode: string;
  seats: number;
  max: number;
  open: boolean;
  isPrivate: boolean;
  code: string;
  summary: string;
  users: string[];
}

export type Placement =
  | { kind: 'new' | 'seat' | 'held'; matchId: string; node: string; mode?: string }
  | { kind: 'none' | 'code_taken' | 'gone' | 'full' }
  | { kind: 'other'; matchId: string };

/** A seat key is a safety net for cleanup only (the match entry decides); it lapses after a day. */
const SEAT_KEY_TTL_MS = 24 * 3600 * 1000;

export interface RegistryOptions {
  redis: RedisConnection;
  prefix: string;
  nodeId: string;
  clock: Clock;
  log: Logger;
  beatMs: number;
  ttlMs: number;
  info: () => NodeInfo;
  localMatches: () => LocalMatch[];
  /** Re-registers everything else the node keeps in Redis (online users) after Redis returned. */
  resyncExtra?: () => Promise<unknown>;
  /** Public matches of dead nodes were removed (publish their removal to lobbies). */
  onSwept: (ids: string[]) => void;
}

export class ClusterRegistry {
  private timer: TimerHandle | null = null;
  private stopped = false;
  private offReady: (() => void) | null = null;
  private resyncing: Promise<void> | null = null;
  /** The heartbeat in flight: a stop waits for it, or it would register the node again after leaving. */
  private beating: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: RegistryOptions) {}

  get nodeId(): string {
    return this.o.nodeId;
  }

  async start(): Promise<void> {
    await this.beat();
    this.offReady = this.o.redis.onReady(() => void this.resync());
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.offReady?.();
    await this.beating.catch(() => undefined);
    await this.resyncing?.catch(() => undefined);
    for (const m of this.o.localMatches()) await this.unregister(m.id).catch(() => 0);
    await this.run(S.DEREGISTER, []).catch(() => undefined);
  }

  /** One heartbeat now (the node's draining flag or load changed). */
  async beatNow(): Promise<void> {
    if (!(await this.beat())) await this.resync();
  }

  /** Registers the node and all its matches again (after Redis returned). */
  resync(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.resyncing ??= (async () => {
      try {
        await this.beat();
        for (const m of this.o.localMatches()) {
          await this.run(S.REGISTER, [m.id, this.o.nodeId, m.mode, m.seats, m.max, m.open ? 1 : 0, m.isPrivate ? 1 : 0, m.code, m.summary, ...m.users]);
        }
        await this.o.resyncExtra?.();
        this.o.log.info({ matches: this.o.localMatches().length }, 'cluster: Redis is back; node and matches registered again');
      } catch (e) {
        this.o.log.warn({ err: (e as Error).message }, 'cluster: re-registration failed; retrying with the next heartbeat');
      } finally {
        this.resyncing = null;
      }
    })();
    return this.resyncing;
  }

  quickPlay(mode: string, userId: string, newId: string, max: number): Promise<Placement> {
    return this.placement(S.QUICK_PLAY, [mode, userId, newId, max, SEAT_KEY_TTL_MS]);
  }

  create(mode: string, userId: string, newId: string, max: number, isPrivate: boolean, code: string): Promise<Placement> {
    return this.placement(S.CREATE, [mode, userId, newId, max, isPrivate ? 1 : 0, code, SEAT_KEY_TTL_MS]);
  }

  join(matchId: string, userId: string): Promise<Placement> {
    return this.placement(S.JOIN_MATCH, [matchId, userId, SEAT_KEY_TTL_MS]);
  }

  /** The live node owning a match, and its code, or null. */
  async locate(matchId: string): Promise<{ node: string; code: string } | null> {
    const r = await this.run<string[]>(S.LOCATE, [matchId]);
    return r.length >= 1 ? { node: r[0], code: r[1] ?? '' } : null;
  }

  /** The match id behind a private code, or null. */
  matchOfCode(code: string): Promise<string | null> {
    return this.o.redis.send<string | null>(['GET', `${this.o.prefix}code:${code}`]);
  }

  /** The match where the user holds a seat (per the registry), or null. */
  seatOf(userId: string): Promise<string | null> {
    return this.o.redis.send<string | null>(['GET', `${this.o.prefix}seat:${userId}`]);
  }

  /** A seat is free again; `giveBack` also returns it to the match's seat count. */
  release(matchId: string, userId: string, giveBack: boolean): Promise<unknown> {
    return this.run(S.RELEASE, [matchId, userId, giveBack ? 1 : 0]);
  }

  update(matchId: string, open: boolean, summary: string): Promise<unknown> {
    return this.run(S.UPDATE, [matchId, open ? 1 : 0, summary]);
  }

  async unregister(matchId: string): Promise<boolean> {
    return (await this.run<number>(S.UNREGISTER, [matchId])) === 1;
  }

  /** Summaries (JSON) of public matches on live nodes. */
  list(): Promise<string[]> {
    return this.run<string[]>(S.LIST, []);
  }

  private async placement(script: S.LuaScriptLike, args: Array<string | number>): Promise<Placement> {
    const r = await this.run<string[]>(script, args);
    const kind = r[0] as Placement['kind'];
    if (kind === 'new' || kind === 'seat' || kind === 'held') return { kind, matchId: r[1], node: r[2], ...(r[3] ? { mode: r[3] } : {}) };
    if (kind === 'other') return { kind, matchId: r[1] };
    return { kind } as Placement;
  }

  private run<T>(script: S.LuaScriptLike, args: Array<string | number>): Promise<T> {
    return script.run<T>(this.o.redis, [this.o.prefix, ...args]);
  }

  /**
   * A node that no longer listens on its channel (killed: Redis saw its connections close)
   * leaves placement now rather than at its TTL, and its matches leave the lists.
   */
  async evict(node: string): Promise<void> {
    if (node === this.o.nodeId) return;
    await this.run(S.EVICT, [node]);
    await this.sweep();
  }

  /** Returns false when the node's key had lapsed (its matches must be registered again). */
  private async beat(): Promise<boolean> {
    const i = this.o.info();
    const existed = await this.run<number>(S.HEARTBEAT, [this.o.nodeId, this.o.ttlMs, i.url, i.players, i.matches, i.maxMatches, i.draining ? 1 : 0]);
    await this.sweep();
    return existed === 1;
  }

  private async sweep(): Promise<void> {
    const removed = await this.run<string[]>(S.SWEEP, []);
    if (removed.length > 0) {
      this.o.log.warn({ matches: removed.length }, 'cluster: a node stopped beating; its matches were removed from the registry');
      this.o.onSwept(removed);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => {
      if (this.stopped) return;
      const work = this.o.redis.up ? this.beat().then((existed) => (existed || this.stopped ? undefined : this.resync())) : Promise.resolve();
      this.beating = work;
      void work.catch(() => undefined).finally(() => this.schedule());
    }, this.o.beatMs);
  }
}
