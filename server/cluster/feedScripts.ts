/**
 * Lua for the cluster's SSE event log (Redis Streams). One counter (`P feed:seq`) numbers
 * every logged event, so ids are plain increasing integers across both kinds of stream —
 * the same `id:` an SSE client already resumes from — and an XADD id is `<seq>-0`.
 *   P feed:matches        match-list changes, trimmed with MAXLEN ~ <cap>
 *   P feed:user:<id>      one user's notifications, trimmed the same way, kept `retentionMs`
 *                         after the user's last stream closed (P sse:<id> marks open streams)
 *   <stream>:floor        every id at or below it may have been trimmed away: a resume from
 *                         below the floor gets a `reset` instead of a silent gap
 */
import { LuaScript } from './luaScript.js';

/**
 * Logs and publishes one message. ARGV: P, channel, stream ('' = publish only), cap,
 * marker key ('' = always log), ttlMs (0 = none), json. Subscribers receive
 * `{"feedId":<seq>,"m":<json>}` when logged, the bare json otherwise.
 */
export const PUBLISH_LOGGED = new LuaScript(
  'publishLogged',
  `local P = ARGV[1]
local channel, stream, cap, marker, ttl, json = P..ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6]), ARGV[7]
if stream == '' or (marker ~= '' and redis.call('EXISTS', P..marker) == 0) then
  return redis.call('PUBLISH', channel, json)
end
local s = P..stream
local seq = redis.call('INCR', P..'feed:seq')
local msg = '{"feedId":'..seq..',"m":'..json..'}'
redis.call('XADD', s, 'MAXLEN', '~', cap, seq..'-0', 'm', msg)
local first = redis.call('XRANGE', s, '-', '+', 'COUNT', 1)[1]
local firstSeq = tonumber(string.match(first[1], '^(%d+)'))
if firstSeq > 1 then
  local floor = tonumber(redis.call('GET', s..':floor') or '0')
  -- Entries below the first one were trimmed (or never were in this stream): either way
  -- nothing below it can be replayed from here.
  if firstSeq - 1 > floor and redis.call('XLEN', s) >= cap then redis.call('SET', s..':floor', firstSeq - 1) end
end
if ttl > 0 then
  redis.call('PEXPIRE', s, ttl)
  redis.call('PEXPIRE', s..':floor', ttl)
end
return redis.call('PUBLISH', channel, msg)
`,
);

/**
 * What a resume from `after` needs. ARGV: P, user stream, after → {seq, matchesFloor,
 * userFloor, matchEntries…} then user entries, as {count, m…, m…}: returns
 * [seq, mFloor, uFloor, nMatches, ...matchMsgs, ...userMsgs].
 */
export const REPLAY = new LuaScript(
  'replay',
  `local P = ARGV[1]
local us, after = P..ARGV[2], tonumber(ARGV[3])
local ms = P..'feed:matches'
local seq = tonumber(redis.call('GET', P..'feed:seq') or '0')
local out = {seq, tonumber(redis.call('GET', ms..':floor') or '0'), tonumber(redis.call('GET', us..':floor') or '0'), 0}
local from = '('..after..'-0'
local n = 0
for _, e in ipairs(redis.call('XRANGE', ms, from, '+')) do table.insert(out, e[2][2]); n = n + 1 end
out[4] = n
for _, e in ipairs(redis.call('XRANGE', us, from, '+')) do table.insert(out, e[2][2]) end
return out
`,
);
