/**
 * The cluster registry's Lua scripts. Keys (P = prefix, `tw:` by default):
 *   P node:<id>         hash {url, players, matches, maxMatches, draining}; expires (TTL)
 *                       unless the node's heartbeat renews it: a dead node's key vanishes
 *   P nodes             set of node ids that registered (the sweeper's work list)
 *   P load              sorted set node id → players (least-loaded placement)
 *   P nodematches:<id>  set of the node's match ids (cleanup when it dies)
 *   P match:<id>        hash {node, mode, seats, max, open, private, code, summary}
 *   P open:<mode>       sorted set match id → seats, public matches taking players now
 *   P public            set of public match ids (the list)
 *   P code:<CODE>       private-match code → match id
 *   P seat:<userId>     the match holding this user's seat (one per user, cluster-wide)
 * One key per match plus small indexes, never one ever-growing hash: an entry whose node is
 * gone is skipped by every reader and removed by the sweeper (no ghost matches).
 *
 * `seats` counts reservations made through these scripts; the owner gives a seat back with
 * RELEASE when it frees one. So two nodes reserving at once can never overfill a match.
 * Every script takes the prefix as ARGV[1] (no KEYS: a single Redis, not Redis Cluster).
 */
import { LuaScript } from './luaScript.js';

export type LuaScriptLike = LuaScript;

const COMMON = `
local P = ARGV[1]
local function live(node)
  if not node then return false end
  local d = redis.call('HGET', P..'node:'..node, 'draining')
  return d ~= false, d == '0'
end
-- One more player on the match's node: its load rises now, not at its next heartbeat.
local function takeSeat(id, m, user, ttl)
  local seats = redis.call('HINCRBY', m, 'seats', 1)
  local f = redis.call('HMGET', m, 'max', 'mode', 'open', 'node')
  if redis.call('ZSCORE', P..'load', f[4]) then redis.call('ZINCRBY', P..'load', 1, f[4]) end
  if seats >= tonumber(f[1]) or f[3] ~= '1' then redis.call('ZREM', P..'open:'..f[2], id)
  else redis.call('ZADD', P..'open:'..f[2], seats, id) end
  redis.call('SET', P..'seat:'..user, id, 'PX', ttl)
end
-- The match this user holds a seat in, if its node is alive.
local function held(user)
  local id = redis.call('GET', P..'seat:'..user)
  if not id then return nil end
  local node = redis.call('HGET', P..'match:'..id, 'node')
  if node and live(node) then return id, node end
  redis.call('DEL', P..'seat:'..user)
  return nil
end
-- The least-loaded live, non-draining node with room for a match.
local function placeNode()
  local nodes = redis.call('ZRANGE', P..'load', 0, -1)
  for _, n in ipairs(nodes) do
    local f = redis.call('HMGET', P..'node:'..n, 'draining', 'matches', 'maxMatches')
    if f[1] == false then redis.call('ZREM', P..'load', n)
    elseif f[1] == '0' and tonumber(f[2]) < tonumber(f[3]) then return n end
  end
  return nil
end
local function newMatch(id, node, mode, max, private, code, user, ttl)
  local m = P..'match:'..id
  local open = '1'
  if private == '1' then open = '0' end
  redis.call('HSET', m, 'node', node, 'mode', mode, 'seats', 0, 'max', max, 'open', open, 'private', private, 'code', code, 'summary', '')
  redis.call('SADD', P..'nodematches:'..node, id)
  redis.call('HINCRBY', P..'node:'..node, 'matches', 1)
  takeSeat(id, m, user, ttl)
end
`;

/** Quick play. ARGV: P, mode, userId, newMatchId, maxPlayers, seatTtlMs → {kind, matchId, node}. */
export const QUICK_PLAY = new LuaScript(
  'quickPlay',
  `${COMMON}
local mode, user, newId, max, ttl = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local hid, hnode = held(user)
if hid then return {'held', hid, hnode} end
local open = P..'open:'..mode
local ids = redis.call('ZREVRANGE', open, 0, 63)
for _, id in ipairs(ids) do
  local m = P..'match:'..id
  local f = redis.call('HMGET', m, 'node', 'seats', 'max', 'open')
  local alive, accepting = live(f[1])
  if not alive or f[4] ~= '1' or tonumber(f[2]) >= tonumber(f[3]) then redis.call('ZREM', open, id)
  elseif accepting then
    takeSeat(id, m, user, ttl)
    return {'seat', id, f[1]}
  end
end
local node = placeNode()
if not node then return {'none'} end
newMatch(newId, node, mode, max, '0', '', user, ttl)
redis.call('SADD', P..'public', newId)
return {'new', newId, node}
`,
);

/**
 * Opens a match (public or private) with the caller's seat. ARGV: P, mode, userId,
 * newMatchId, maxPlayers, private (1/0), code ('' for public), seatTtlMs →
 * {'new', id, node} | {'held', id, node} | {'none'} | {'code_taken'}.
 */
export const CREATE = new LuaScript(
  'create',
  `${COMMON}
local mode, user, newId, max, private, code, ttl = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local hid, hnode = held(user)
if hid then return {'held', hid, hnode} end
local node = placeNode()
if not node then return {'none'} end
if code ~= '' then
  if redis.call('SET', P..'code:'..code, newId, 'NX') == false then return {'code_taken'} end
end
newMatch(newId, node, mode, max, private, code, user, ttl)
if private == '0' then redis.call('SADD', P..'public', newId) end
return {'new', newId, node}
`,
);

/**
 * A seat in one given match (join by code). ARGV: P, matchId, userId, seatTtlMs →
 * {'seat'|'held', id, node, mode} | {'other', id} (the user sits elsewhere) | {'gone'} | {'full'}.
 */
export const JOIN_MATCH = new LuaScript(
  'joinMatch',
  `${COMMON}
local id, user, ttl = ARGV[2], ARGV[3], ARGV[4]
local hid, hnode = held(user)
local mode = redis.call('HGET', P..'match:'..id, 'mode')
if hid == id then return {'held', hid, hnode, mode} end
if hid then return {'other', hid} end
local m = P..'match:'..id
local f = redis.call('HMGET', m, 'node', 'seats', 'max')
local alive, accepting = live(f[1])
if not alive then return {'gone'} end
if not accepting or tonumber(f[2]) >= tonumber(f[3]) then return {'full'} end
takeSeat(id, m, user, ttl)
return {'seat', id, f[1], mode}
`,
);

/** Where a match lives. ARGV: P, matchId → {node, code} | {} when gone or its node is dead. */
export const LOCATE = new LuaScript(
  'locate',
  `${COMMON}
local f = redis.call('HMGET', P..'match:'..ARGV[2], 'node', 'code')
if live(f[1]) then return {f[1], f[2]} end
return {}
`,
);

/**
 * A seat is free again. ARGV: P, matchId, userId, decrement (1/0). Forgets the user's seat
 * key if it points at this match; gives the seat back to the match's count; re-opens it.
 */
export const RELEASE = new LuaScript(
  'release',
  `local P = ARGV[1]
local id, user = ARGV[2], ARGV[3]
if redis.call('GET', P..'seat:'..user) == id then redis.call('DEL', P..'seat:'..user) end
if ARGV[4] ~= '1' then return 0 end
local m = P..'match:'..id
if redis.call('EXISTS', m) == 0 then return 0 end
local seats = redis.call('HINCRBY', m, 'seats', -1)
if seats < 0 then seats = 0; redis.call('HSET', m, 'seats', 0) end
local f = redis.call('HMGET', m, 'max', 'mode', 'open')
if f[3] == '1' and seats < tonumber(f[1]) then redis.call('ZADD', P..'open:'..f[2], seats, id) end
return seats
`,
);

/**
 * The owner's view of a match changed. ARGV: P, matchId, open (1/0), summary JSON ('' to
 * leave it). A match already unregistered is not brought back by a late update.
 */
export const UPDATE = new LuaScript(
  'update',
  `local P = ARGV[1]
local m = P..'match:'..ARGV[2]
if redis.call('EXISTS', m) == 0 then return 0 end
if ARGV[4] ~= '' then redis.call('HSET', m, 'summary', ARGV[4]) end
local f = redis.call('HMGET', m, 'seats', 'max', 'mode', 'private')
if f[4] == '1' then return 1 end
redis.call('HSET', m, 'open', ARGV[3])
if ARGV[3] == '1' and tonumber(f[1]) < tonumber(f[2]) then redis.call('ZADD', P..'open:'..f[3], f[1], ARGV[2])
else redis.call('ZREM', P..'open:'..f[3], ARGV[2]) end
return 1
`,
);

/**
 * (Re-)registers a live match of the calling node in full, after Redis came back (maybe
 * empty). ARGV: P, matchId, node, mode, seats, max, open, private, code, summary, users…
 * Keeps the larger seat count (reservations in flight) when the entry survived.
 */
export const REGISTER = new LuaScript(
  'register',
  `local P = ARGV[1]
local id, node, mode = ARGV[2], ARGV[3], ARGV[4]
local m = P..'match:'..id
local seats = tonumber(ARGV[5])
local old = tonumber(redis.call('HGET', m, 'seats') or '0')
if old > seats then seats = old end
redis.call('HSET', m, 'node', node, 'mode', mode, 'seats', seats, 'max', ARGV[6], 'open', ARGV[7], 'private', ARGV[8], 'code', ARGV[9], 'summary', ARGV[10])
redis.call('SADD', P..'nodematches:'..node, id)
if ARGV[8] == '0' then redis.call('SADD', P..'public', id) end
if ARGV[9] ~= '' then redis.call('SET', P..'code:'..ARGV[9], id) end
if ARGV[7] == '1' and ARGV[8] == '0' and seats < tonumber(ARGV[6]) then redis.call('ZADD', P..'open:'..mode, seats, id)
else redis.call('ZREM', P..'open:'..mode, id) end
for i = 11, #ARGV do redis.call('SET', P..'seat:'..ARGV[i], id) end
return 1
`,
);

/** A match ended. ARGV: P, matchId. Returns 1 when it was public (listed). */
export const UNREGISTER = new LuaScript(
  'unregister',
  `local P = ARGV[1]
local id = ARGV[2]
local m = P..'match:'..id
local f = redis.call('HMGET', m, 'node', 'mode', 'code', 'private')
if not f[1] then return 0 end
redis.call('DEL', m)
redis.call('ZREM', P..'open:'..f[2], id)
redis.call('SREM', P..'nodematches:'..f[1], id)
redis.call('HINCRBY', P..'node:'..f[1], 'matches', -1)
if f[3] and f[3] ~= '' and redis.call('GET', P..'code:'..f[3]) == id then redis.call('DEL', P..'code:'..f[3]) end
if redis.call('SREM', P..'public', id) == 1 then return 1 end
return 0
`,
);

/**
 * Heartbeat. ARGV: P, node, ttlMs, url, players, matches, maxMatches, draining (1/0).
 * `matches` is the node's own count (corrects the scripts' increments). Returns 0 when the
 * node's key had lapsed (Redis restarted, or the node was presumed dead and swept): the node
 * must then register its matches again.
 */
export const HEARTBEAT = new LuaScript(
  'heartbeat',
  `local P = ARGV[1]
local k = P..'node:'..ARGV[2]
local existed = redis.call('EXISTS', k)
redis.call('HSET', k, 'url', ARGV[4], 'players', ARGV[5], 'matches', ARGV[6], 'maxMatches', ARGV[7], 'draining', ARGV[8])
redis.call('PEXPIRE', k, ARGV[3])
redis.call('PEXPIRE', P..'online:'..ARGV[2], ARGV[3])
redis.call('SADD', P..'nodes', ARGV[2])
if ARGV[8] == '1' then redis.call('ZREM', P..'load', ARGV[2]) else redis.call('ZADD', P..'load', ARGV[5], ARGV[2]) end
return existed
`,
);

/** A node left cleanly. ARGV: P, node. */
export const DEREGISTER = new LuaScript(
  'deregister',
  `local P = ARGV[1]
redis.call('DEL', P..'node:'..ARGV[2])
redis.call('DEL', P..'online:'..ARGV[2])
redis.call('ZREM', P..'load', ARGV[2])
return 1
`,
);

/** A node is known to be gone (nobody listens on its channel): expire it now. ARGV: P, node. */
export const EVICT = new LuaScript(
  'evict',
  `local P = ARGV[1]
redis.call('DEL', P..'node:'..ARGV[2])
redis.call('ZREM', P..'load', ARGV[2])
return 1
`,
);

/**
 * Removes every node whose key expired, with all its matches. ARGV: P → ids of the public
 * matches removed (the caller publishes their removal to lobbies). Runs atomically, so only
 * one sweeper ever reports a given dead node.
 */
export const SWEEP = new LuaScript(
  'sweep',
  `local P = ARGV[1]
local removed = {}
for _, n in ipairs(redis.call('SMEMBERS', P..'nodes')) do
  if redis.call('EXISTS', P..'node:'..n) == 0 then
    for _, id in ipairs(redis.call('SMEMBERS', P..'nodematches:'..n)) do
      local m = P..'match:'..id
      local f = redis.call('HMGET', m, 'mode', 'code')
      if f[1] then redis.call('ZREM', P..'open:'..f[1], id) end
      if f[2] and f[2] ~= '' and redis.call('GET', P..'code:'..f[2]) == id then redis.call('DEL', P..'code:'..f[2]) end
      redis.call('DEL', m)
      if redis.call('SREM', P..'public', id) == 1 then table.insert(removed, id) end
    end
    redis.call('DEL', P..'nodematches:'..n)
    redis.call('DEL', P..'online:'..n)
    redis.call('SREM', P..'nodes', n)
    redis.call('ZREM', P..'load', n)
  end
end
return removed
`,
);

/** The public list: summaries of public matches whose node is alive. ARGV: P. */
export const LIST = new LuaScript(
  'list',
  `${COMMON}
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', P..'public')) do
  local f = redis.call('HMGET', P..'match:'..id, 'node', 'summary')
  if live(f[1]) and f[2] and f[2] ~= '' then table.insert(out, f[2]) end
end
return out
`,
);
