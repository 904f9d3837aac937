/**
 * Where and how a swarm bot connects, as a real client would: guest sign-in (the token is
 * kept on the bot for its rejoins) and matchmaking for `play`, the bearer subprotocol for
 * an authenticated `idle` socket, and straight to the path with the subprotocol alone for
 * `bare` and unauthenticated `idle`.
 */
import { BEARER_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../protocol/index.js';
import type { ResolvedSwarmOptions } from './swarmOptions.js';

/** The WebSocket constructor's arguments for one bot. */
export interface BotEndpoint {
  url: string;
  protocols: string[];
  headers: Record<string, string>;
}

async function postJson(url: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${new URL(url).pathname}: HTTP ${res.status} ${text.slice(0, 100)}`);
  return JSON.parse(text);
}

/** Signs `bot` in when it has no token yet (and matchmakes in play mode); throws on an HTTP failure. */
export async function botEndpoint(o: ResolvedSwarmOptions, bot: { index: number; token: string | null }): Promise<BotEndpoint> {
  const base = o.target.replace(/\/+$/, '');
  const wsBase = base.replace(/^http/, 'ws');
  let url: string;
  let protocols = [SUBPROTOCOL];
  let headers: Record<string, string> = {};
  if (o.mode === 'bare' || (o.mode === 'idle' && !o.auth)) {
    url = `${wsBase}${o.path}`;
  } else {
    bot.token ??= (await postJson(`${base}/api/auth/guest`, { name: `bot${bot.index}`.slice(0, 16) })).token as string;
    if (o.mode === 'idle') {
      url = `${wsBase}${o.path}`;
      protocols = [SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${bot.token}`];
    } else {
      const mm = await postJson(`${base}/api/matchmake`, { mode: 'arena' }, bot.token);
      url = `${mm.url}?ticket=${encodeURIComponent(mm.ticket)}`;
      headers = { authorization: `Bearer ${bot.token}` };
    }
  }
  return { url, protocols, headers };
}
