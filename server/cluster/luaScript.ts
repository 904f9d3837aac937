/**
 * A Lua script run by its SHA1 (EVALSHA: one round trip, the body is not resent), loaded
 * again with EVAL when Redis answers NOSCRIPT (after a Redis restart the script cache is
 * empty). Scripts run atomically on Redis: nothing else interleaves with one.
 */
import { createHash } from 'node:crypto';
import type { RedisConnection } from '../presence/redis/redisConnection.js';

export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly body: string,
  ) {
    this.sha = createHash('sha1').update(body).digest('hex');
  }

  async run<T>(redis: RedisConnection, args: Array<string | number>): Promise<T> {
    const argv = args.map(String);
    try {
      return await redis.send<T>(['EVALSHA', this.sha, '0', ...argv]);
    } catch (e) {
      if (!String((e as Error).message).includes('NOSCRIPT')) throw e;
      return redis.send<T>(['EVAL', this.body, '0', ...argv]);
    }
  }
}
