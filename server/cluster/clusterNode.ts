/**
 * One node's membership in a Redis cluster (`--redis`), wired into the server by app.ts:
 * the RedisPresence everything above Presence uses (lobby chat, online count, notifications,
 * admin broadcasts, match-list changes), the registry (heartbeat, match entries, sweeper),
 * request/reply to other nodes, the cross-node matchmaker, room hooks that keep this node's
 * matches current in the registry, the readiness dependency and the Redis metrics.
 *
 * Lifecycle: `connect` (fails with one line when Redis is unreachable) → `hooks` go into the
 * RoomManager → `attach` once rooms and tickets exist → `start` once listening (the public
 * URL may need the port) → `stop` on close (matches and node leave the registry at once).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import client from 'prom-client';
import { Phase } from '../../protocol/index.js';
import type { TicketStore } from '../auth/tickets.js';
import type { Clock } from '../clock.js';
import type { DependencyStatus } from '../http/healthRoutes.js';
import { MATCHES_CHANNEL, summarize, type MatchListChange, type MatchListing, type MatchListStore } from '../lobby/matchListing.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { RedisConnection } from '../presence/redis/redisConnection.js';
import { RedisPresence } from '../presence/redis/redisPresence.js';
import type { Room, RoomHooks } from '../rooms/room.js';
import type { RoomManager } from '../rooms/roomManager.js';
import { ClusterMatchmaker } from './clusterMatchmaker.js';
import { ClusterOwner } from './clusterOwner.js';
import { ClusterRegistry, type LocalMatch } from './clusterRegistry.js';
import { NodeRpc, type RpcReply } from './nodeRpc.js';
import { ClusterEventFeed, feedLogs } from './clusterEventFeed.js';
import { PUBLISH_LOGGED } from './feedScripts.js';
import type { UserInbox } from '../notifications/userInbox.js';
import { ClusterOnline } from './clusterOnline.js';

export interface ClusterOptions {
  url: string;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** Key and channel prefix: several clusters can share one Redis. */
  prefix?: string;
  heartbeatMs?: number;
  nodeTtlMs?: number;
}

export interface ClusterAttach {
  rooms: RoomManager;
  inbox: UserInbox;
  tickets: TicketStore;
  publicUrl: string | null;
  host: string;
  maxMatches: number;
  /** The fair-join rule: quick play skips matches with less play left, ms. */
  minJoinMsLeft: number;
  draining: () => boolean;
}

type AdminResult = { ok: true; body: unknown } | { ok: false; body: { error: string } };

export class ClusterNode {
  readonly nodeId = `${hostname().slice(0, 24)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly presence: RedisPresence;
  private registry: ClusterRegistry | null = null;
  private owner: ClusterOwner | null = null;
  private rpc: NodeRpc | null = null;
  private a: ClusterAttach | null = null;
  private advertised = '';
  private readonly lastWritten = new Map<string, string>();
  private unavailableCount = 0;
  /** Online users, per node (give it to UserInbox). */
  readonly online: ClusterOnline;

  private constructor(
    readonly redis: RedisConnection,
    private readonly o: ClusterOptions,
  ) {
    this.presence = new RedisPresence(redis, o.prefix ?? 'tw:');
    // Match changes and notifications are logged in Redis Streams for SSE resumes on any node.
    this.presence.logging = { logFor: feedLogs({}), script: PUBLISH_LOGGED };
    this.online = new ClusterOnline(redis, this.presence.prefix, this.nodeId, this.ttlMs, () => this.presence.droppedWrites++);
    this.registerMetrics();
    redis.onDown(() => o.log.error({ reason: redis.status().detail }, 'cluster: Redis connection lost; matches keep running, matchmaking and lobby answer 503'));
  }

  static async connect(o: ClusterOptions): Promise<ClusterNode> {
    return new ClusterNode(await RedisConnection.connect(o.url), o);
  }

  private get ttlMs(): number {
    return this.o.nodeTtlMs ?? 6000;
  }

  /** The public list comes from the registry: entries of dead nodes are never listed. */
  readonly listStore: MatchListStore = {
    put: () => {}, // written with the match's registry entry (hooks below)
    remove: () => {}, // removed by UNREGISTER / the sweeper
    all: () => this.reg().list(),
  };

  /** Room hooks: keep this node's matches' registry entries current. */
  readonly hooks: RoomHooks = {
    onCreate: (room) => this.touch(room),
    onReserve: (room) => this.touch(room),
    onJoin: (room) => this.touch(room),
    onPhase: (room) => this.touch(room),
    onSpectators: (room) => this.touch(room),
    onLeave: (room, seat) => {
      void this.reg().release(room.id, seat.userId, true).catch(() => undefined);
      this.touch(room);
    },
    onDispose: (room) => {
      this.lastWritten.delete(room.id);
      this.owner?.matchEnded(room.id);
      void this.reg().unregister(room.id).catch(() => undefined);
    },
  };

  attach(a: ClusterAttach): ClusterMatchmaker {
    this.a = a;
    const owner = new ClusterOwner({
      rooms: a.rooms,
      tickets: a.tickets,
      url: () => this.advertised,
      now: () => this.o.clock.now(),
      minJoinMsLeft: a.minJoinMsLeft,
      closeForQuickPlay: (room) => this.touch(room),
    });
    this.owner = owner;
    this.rpc = new NodeRpc({ presence: this.presence, nodeId: this.nodeId, clock: this.o.clock, handler: (op, args) => owner.handle(op, args) });
    this.registry = new ClusterRegistry({
      redis: this.redis,
      prefix: this.presence.prefix,
      nodeId: this.nodeId,
      clock: this.o.clock,
      log: this.o.log,
      beatMs: this.o.heartbeatMs ?? 2000,
      ttlMs: this.ttlMs,
      resyncExtra: () => this.online.replaceAll(a.inbox.localUsers()),
      info: () => ({
        url: this.advertised,
        players: a.rooms.list().reduce((n, r) => n + r.seatCount, 0),
        matches: a.rooms.size,
        maxMatches: a.maxMatches,
        draining: a.draining() || !a.rooms.acceptingNewRooms,
      }),
      localMatches: () => a.rooms.list().map((r) => this.entry(r)),
      onSwept: (ids) => {
        for (const id of ids) void this.presence.publish(MATCHES_CHANNEL, { op: 'remove', id } satisfies MatchListChange);
      },
    });
    return new ClusterMatchmaker({
      rooms: a.rooms,
      registry: this.registry,
      rpc: this.rpc,
      clock: this.o.clock,
      hasPublicUrl: a.publicUrl !== null,
      onUnavailable: () => this.unavailableCount++,
    });
  }

  /** The SSE feed, replaying from Redis Streams (same capacities as the single-node feed). */
  eventFeed(d: { inbox: UserInbox; listing: MatchListing }): ClusterEventFeed {
    return new ClusterEventFeed({ presence: this.presence, inbox: d.inbox, listing: d.listing, clock: this.o.clock });
  }

  /** Joins the cluster once the server listens on `port`. */
  async start(port: number): Promise<void> {
    const a = this.attached();
    const host = a.host === '0.0.0.0' || a.host === '::' ? hostname() : a.host;
    this.advertised = (a.publicUrl ?? `ws://${host}:${port}`).replace(/\/$/, '');
    if (!a.publicUrl) this.o.log.warn({ url: this.advertised }, 'cluster: no --public-url; other nodes send players to this guessed address');
    await this.rpc!.start();
    await this.reg().start();
    this.o.log.info({ node: this.nodeId, url: this.advertised }, 'cluster: node registered');
  }

  async stop(): Promise<void> {
    await this.registry?.stop().catch(() => undefined);
    await this.rpc?.stop();
    await this.presence.close();
    await this.redis.close();
  }

  /** Beats at once (a drain started: stop placing matches here now, not at the next beat). */
  beatNow(): void {
    if (this.redis.up) void this.registry?.beatNow().catch(() => undefined);
  }

  /** Why this node cannot serve matchmaking or the lobby now, or null. */
  unavailableReason(): string | null {
    if (this.redis.up) return null;
    this.unavailableCount++;
    return this.redis.unavailableMessage();
  }

  dependency(): DependencyStatus {
    const s = this.redis.status();
    return { name: 'redis', ok: s.up, ...(s.up ? {} : { detail: s.detail }) };
  }

  /** The match where a user is seated, wherever it runs (its id and private code). */
  async seatedMatch(userId: string): Promise<{ id: string; joinCode: string | null } | null> {
    const matchId = await this.reg().seatOf(userId);
    const where = matchId ? await this.reg().locate(matchId) : null;
    return where && matchId ? { id: matchId, joinCode: where.code || null } : null;
  }

  /** Admin commands for a player or match on another node. */
  readonly admin = {
    kick: async (userId: string, reason: string): Promise<AdminResult | null> => {
      const matchId = await this.reg().seatOf(userId);
      const where = matchId ? await this.reg().locate(matchId) : null;
      if (!where || where.node === this.nodeId) return null;
      return this.adminReply(await this.rpc!.call(where.node, 'kick', { userId, reason }));
    },
    end: async (matchId: string, reason: string): Promise<AdminResult | null> => {
      const where = await this.reg().locate(matchId);
      if (!where || where.node === this.nodeId) return null;
      return this.adminReply(await this.rpc!.call(where.node, 'end', { matchId, reason }));
    },
  };

  private adminReply(r: RpcReply): AdminResult {
    return r.ok ? { ok: true, body: r.value } : { ok: false, body: { error: r.error } };
  }

  private entry(r: Room): LocalMatch {
    return {
      id: r.id,
      mode: r.mode.name,
      seats: r.seatCount,
      max: r.maxPlayers,
      open: this.isOpen(r),
      isPrivate: r.isPrivate,
      code: r.joinCode ?? '',
      summary: r.isPrivate ? '' : JSON.stringify(summarize(r, this.advertised)),
      users: r.seatedUserIds(),
    };
  }

  /** Takes players now, or will once a seat frees (a full match mid-play stays open). */
  private isOpen(r: Room): boolean {
    if (this.a && r.msLeft < this.a.minJoinMsLeft) return false; // too little play left for a newcomer
    return r.joinable || (!r.isDisposed && r.seatCount >= r.maxPlayers && r.phase !== Phase.Ended);
  }

  private touch(room: Room): void {
    if (room.isDisposed || !this.registry) return;
    const open = this.isOpen(room);
    const summary = room.isPrivate ? '' : JSON.stringify(summarize(room, this.advertised));
    const key = `${open ? 1 : 0}${summary}`;
    if (this.lastWritten.get(room.id) === key) return;
    this.lastWritten.set(room.id, key);
    void this.registry.update(room.id, open, summary).catch(() => this.lastWritten.delete(room.id));
  }

  private reg(): ClusterRegistry {
    if (!this.registry) throw new Error('cluster: attach() first');
    return this.registry;
  }

  private attached(): ClusterAttach {
    if (!this.a) throw new Error('cluster: attach() first');
    return this.a;
  }

  private registerMetrics(): void {
    const r = [this.o.metrics.registry];
    const status = () => this.redis.status();
    const self = this;
    new client.Gauge({ name: 'tickwire_redis_up', help: '1 while the Redis connection is ready', registers: r, collect() { this.set(status().up ? 1 : 0); } });
    const counter = (name: string, help: string, read: () => number) =>
      new client.Counter({ name, help, registers: r, collect() { this.reset(); this.inc(read()); } });
    counter('tickwire_redis_errors_total', 'Redis connection errors', () => status().errors);
    counter('tickwire_redis_commands_total', 'Commands (round trips) this node sent to Redis', () => self.redis.commandsSent);
    counter('tickwire_redis_reconnects_total', 'Redis reconnection attempts', () => status().reconnects);
    counter('tickwire_redis_unavailable_total', 'Requests refused with 503 because Redis was unreachable', () => self.unavailableCount);
    counter('tickwire_redis_dropped_writes_total', 'Registry/presence writes dropped while Redis was unreachable', () => self.presence.droppedWrites);
  }
}
