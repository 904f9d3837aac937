/**
 * The Presence hash operations behave the same in LocalPresence and RedisPresence (a real
 * redis-server on a free port): set, get, increment, delete, the whole hash, and its length —
 * `hlen` is what the lobby's online count uses instead of copying the hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPresence } from '../../server/presence/localPresence.js';
import type { Presence } from '../../server/presence/presence.js';
import { RedisConnection } from '../../server/presence/redis/redisConnection.js';
import { RedisPresence } from '../../server/presence/redis/redisPresence.js';
import { RedisServer } from '../support/redisServer.js';

let redis: RedisServer;
let connection: RedisConnection;
beforeAll(async () => {
  redis = await RedisServer.start();
  connection = await RedisConnection.connect(redis.url);
}, 30_000);
afterAll(async () => {
  await connection?.close();
  await redis?.stop();
});

const implementations: Array<[string, () => Presence]> = [
  ['LocalPresence', () => new LocalPresence()],
  ['RedisPresence', () => new RedisPresence(connection, `t${Math.random().toString(36).slice(2, 8)}:`)],
];

describe.each(implementations)('%s hashes', (_name, make) => {
  it('counts fields with hlen as hgetall would, 0 for a missing hash', async () => {
    const p = make();
    expect(await p.hlen('online')).toBe(0);
    await p.hset('online', 'a', '1');
    await p.hset('online', 'b', '1');
    expect(await p.hincrby('online', 'c', 2)).toBe(2);
    expect(await p.hincrby('online', 'a', 1)).toBe(2);
    expect(await p.hlen('online')).toBe(3);
    expect(await p.hgetall('online')).toEqual({ a: '2', b: '1', c: '2' });
    await p.hdel('online', 'b');
    expect(await p.hlen('online')).toBe(Object.keys(await p.hgetall('online')).length);
    expect(await p.hlen('online')).toBe(2);
    expect(await p.hget('online', 'b')).toBeNull();
    await p.hdel('online', 'a');
    await p.hdel('online', 'c');
    expect(await p.hlen('online')).toBe(0);
  });
});
