/**
 * Who is online in a cluster: one Redis set per node (`tw:online:<node>`) of the users with a
 * connection there. The count and "is this user online" look only at live nodes' sets, so a
 * node that dies takes its users out of the count within its TTL; its set expires with it
 * (the heartbeat renews it) and the sweeper deletes it. After Redis returns, the node writes
 * its whole set again (`replaceAll`).
 */
import type { OnlineStore } from '../notifications/userInbox.js';
import type { RedisConnection } from '../presence/redis/redisConnection.js';
import { LuaScript } from './luaScript.js';

const LIVE_SETS = `local P = ARGV[1]
local keys = {}
for _, n in ipairs(redis.call('SMEMBERS', P..'nodes')) do
  if redis.call('EXISTS', P..'node:'..n) == 1 then table.insert(keys, P..'online:'..n) end
end
`;

/** ARGV: P → users online on any live node. */
const COUNT = new LuaScript(
  'onlineCount',
  `${LIVE_SETS}
if #keys == 0 then return 0 end
return #redis.call('SUNION', unpack(keys))
`,
);

/** ARGV: P, userId → 1 when online on a live node. */
const IS_ONLINE = new LuaScript(
  'isOnline',
  `${LIVE_SETS}
for _, k in ipairs(keys) do
  if redis.call('SISMEMBER', k, ARGV[2]) == 1 then return 1 end
end
return 0
`,
);

/** ARGV: P, node, ttlMs, users… → the node's set is exactly these users. */
const REPLACE = new LuaScript(
  'onlineReplace',
  `local k = ARGV[1]..'online:'..ARGV[2]
redis.call('DEL', k)
for i = 4, #ARGV do redis.call('SADD', k, ARGV[i]) end
if #ARGV >= 4 then redis.call('PEXPIRE', k, ARGV[3]) end
return 1
`,
);

export class ClusterOnline implements OnlineStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly nodeId: string,
    private readonly ttlMs: number,
    /** Counts writes skipped while Redis is down (they are redone by replaceAll). */
    private readonly onDropped: () => void,
  ) {}

  private get key(): string {
    return `${this.prefix}online:${this.nodeId}`;
  }

  change(userId: string, by: 1 | -1): void {
    const cmd = by > 0 ? ['SADD', this.key, userId] : ['SREM', this.key, userId];
    void this.redis.send(cmd).catch(() => this.onDropped());
    if (by > 0) void this.redis.send(['PEXPIRE', this.key, String(this.ttlMs)]).catch(() => undefined);
  }

  count(): Promise<number> {
    return COUNT.run<number>(this.redis, [this.prefix]);
  }

  async isOnline(userId: string): Promise<boolean> {
    return (await IS_ONLINE.run<number>(this.redis, [this.prefix, userId])) === 1;
  }

  replaceAll(users: string[]): Promise<unknown> {
    return REPLACE.run(this.redis, [this.prefix, this.nodeId, this.ttlMs, ...users]);
  }
}
