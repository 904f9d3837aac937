/**
 * Request/reply between nodes over Redis pub/sub: each node listens on `rpc:<nodeId>`; a
 * request names the node to answer to. Used for the few things only a match's owner can do
 * (reserve a seat in its Room and issue the ticket, resume, kick, end a match). A call to
 * this node itself runs the handler directly, with no Redis round trip.
 *
 * A call fails fast when nobody listens on the target channel (PUBLISH reaches 0
 * subscribers: the node is gone) and after `timeoutMs` otherwise.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.js';
import { RedisUnavailableError } from '../presence/redis/redisConnection.js';
import type { RedisPresence } from '../presence/redis/redisPresence.js';

/**
 * `gone`: nobody listens on the target node's channel (it died); its entries can be evicted.
 * `elsewhere`: this node cannot take it now (draining, full) but another one may.
 */
export type RpcReply = { ok: true; value: unknown } | { ok: false; status: number; error: string; gone?: boolean; elsewhere?: boolean };
export type RpcHandler = (op: string, args: Record<string, unknown>) => Promise<RpcReply> | RpcReply;

interface Request {
  id: string;
  from: string;
  op: string;
  args: Record<string, unknown>;
}
interface Reply {
  re: string;
  reply: RpcReply;
}

declare module '../presence/presence.js' {
  interface PresenceChannels {
    /** What node <id> hears: requests for it, and replies to its own requests. */
    [channel: `rpc:${string}`]: Request | Reply;
  }
}

export class NodeRpc {
  private readonly pending = new Map<string, { resolve: (r: RpcReply) => void; timer: TimerHandle }>();
  private unsubscribe: Promise<() => Promise<void>> | null = null;
  private seq = 0;
  private readonly idBase = randomBytes(4).toString('hex');

  constructor(
    private readonly o: { presence: RedisPresence; nodeId: string; clock: Clock; handler: RpcHandler; timeoutMs?: number },
  ) {}

  start(): Promise<void> {
    this.unsubscribe = this.o.presence.subscribe(channel(this.o.nodeId), (m) => this.onMessage(m));
    return this.unsubscribe.then(() => undefined);
  }

  async stop(): Promise<void> {
    for (const [id, p] of this.pending) {
      p.timer.cancel();
      p.resolve({ ok: false, status: 503, error: 'node shutting down' });
      this.pending.delete(id);
    }
    if (this.unsubscribe) await (await this.unsubscribe)();
  }

  async call(node: string, op: string, args: Record<string, unknown>): Promise<RpcReply> {
    if (node === this.o.nodeId) return this.o.handler(op, args);
    const id = `${this.idBase}.${++this.seq}`;
    const reply = new Promise<RpcReply>((resolve) => {
      const timer = this.o.clock.setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, status: 503, error: `node ${node} did not answer` });
      }, this.o.timeoutMs ?? 2000);
      this.pending.set(id, { resolve, timer });
    });
    const request: Request = { id, from: this.o.nodeId, op, args };
    let receivers: number;
    try {
      receivers = await this.o.presence.redis.send<number>(['PUBLISH', this.o.presence.prefix + channel(node), JSON.stringify(request)]);
    } catch (e) {
      this.settle(id, { ok: false, status: 503, error: e instanceof RedisUnavailableError ? e.message : 'cluster request failed' });
      return reply;
    }
    if (receivers === 0) this.settle(id, { ok: false, status: 503, error: `node ${node} is gone`, gone: true });
    return reply;
  }

  private settle(id: string, r: RpcReply): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.timer.cancel();
    p.resolve(r);
  }

  /** Checked field by field anyway: a node of another version may send something else. */
  private onMessage(m: Request | Reply): void {
    if (typeof m !== 'object' || m === null) return;
    const msg: Partial<Request & Reply> = m;
    if (typeof msg.re === 'string' && msg.reply) return this.settle(msg.re, msg.reply);
    if (typeof msg.id !== 'string' || typeof msg.from !== 'string' || typeof msg.op !== 'string') return;
    const req = msg as Request;
    void Promise.resolve()
      .then(() => this.o.handler(req.op, (req.args ?? {}) as Record<string, unknown>))
      .catch((): RpcReply => ({ ok: false, status: 500, error: 'internal error on the owning node' }))
      .then((reply) => this.o.presence.publish(channel(req.from), { re: req.id, reply } satisfies Reply));
  }
}

function channel(node: string): `rpc:${string}` {
  return `rpc:${node}`;
}
