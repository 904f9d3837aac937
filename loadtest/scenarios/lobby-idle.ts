/**
 * lobby-idle: many authenticated, idle `/lobby` connections, to measure what an idle
 * connection costs the server. Each VU signs in as a guest, opens `/lobby` with the
 * `tickwire.v2` subprotocol and its JWT (no seat ticket: the lobby is not a match), then
 * sends nothing until RAMP + HOLD after the start, when all close together. uWS keeps the
 * sockets alive with its automatic pings, which k6 answers.
 *
 * When the server's /metrics is reachable, the run reads the server's resident memory and
 * open lobby connections before the storm (setup) and in the middle of the hold (a probe
 * VU), and prints memory per idle connection.
 *
 *   k6 run -e TARGET=http://host:8080 [-e VUS=1000] [-e RAMP=20s] [-e HOLD=30s] loadtest/dist/lobby-idle.js
 *
 * k6 spends a few MB per VU, so on one load machine a few thousand VUs is the practical
 * ceiling; the capacity benchmark (npm run bench:capacity) opens ≥ 10,000 with the Node bots.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Gauge } from 'k6/metrics';
import type { Options } from 'k6/options';
import { clearTimeout, setTimeout } from 'k6/timers';
import { BEARER_SUBPROTOCOL_PREFIX, decodeServer, SUBPROTOCOL } from '../../protocol/index.js';
import { envDurationMs, envNum, envStr, target } from '../lib/env.js';
import { metrics } from '../lib/k6Metrics.js';
import { openSocket } from '../lib/k6Socket.js';
import { summaryHandler } from '../lib/summary.js';
import { closeCodeSubmetrics, playLimits, TREND_STATS } from '../lib/thresholds.js';

const TARGET = target();
const VUS = envNum('VUS', 1000);
const RAMP_MS = envDurationMs('RAMP', '20s');
const HOLD_MS = envDurationMs('HOLD', '30s');
const PATH = envStr('LOBBY_PATH', '/lobby');
const limits = playLimits({ connectP95Ms: 2000 });

const idleConnections = new Counter('tw_idle_connections');
const rssBefore = new Gauge('tw_server_rss_before_bytes');
const rssDuring = new Gauge('tw_server_rss_during_bytes');
const lobbyConnections = new Gauge('tw_server_lobby_connections');

export const options: Options = {
  scenarios: {
    idle: {
      executor: 'per-vu-iterations',
      vus: VUS,
      iterations: 1,
      maxDuration: `${Math.ceil((RAMP_MS + HOLD_MS) / 1000) + 60}s`,
      exec: 'idle',
    },
    probe: {
      executor: 'shared-iterations',
      vus: 1,
      iterations: 1,
      startTime: `${Math.round((RAMP_MS + HOLD_MS / 2) / 1000)}s`,
      exec: 'probe',
    },
  },
  thresholds: {
    tw_connect_ms: [`p(95)<${limits.connectP95Ms}`],
    tw_session_failed: [`rate<${limits.maxFailRate}`],
    tw_idle_connections: ['count>0'],
    tw_unexpected_closes: ['count==0'],
    tw_decode_errors: ['count==0'],
    ...closeCodeSubmetrics('tw_unexpected_closes'),
  },
  summaryTrendStats: TREND_STATS,
};

/** Resident memory and open lobby sockets from the server's Prometheus text, when exposed. */
function scrape(): { rss: number; lobby: number } | null {
  const res = http.get(`${TARGET.http}/metrics`, { tags: { name: 'metrics' } });
  if (res.status !== 200 || typeof res.body !== 'string') return null;
  const rss = /^process_resident_memory_bytes (\S+)/m.exec(res.body);
  const lobby = /^tickwire_connections\{namespace="lobby"\} (\S+)/m.exec(res.body);
  if (!rss) return null;
  return { rss: Number(rss[1]), lobby: lobby ? Number(lobby[1]) : 0 };
}

export function setup(): { rss: number | null } {
  return { rss: scrape()?.rss ?? null };
}

export function probe(data: { rss: number | null }): void {
  const s = scrape();
  if (!s) return;
  if (data.rss !== null) rssBefore.add(data.rss);
  rssDuring.add(s.rss);
  lobbyConnections.add(s.lobby);
}

export function idle(): void {
  const signIn = http.post(`${TARGET.http}/api/auth/guest`, JSON.stringify({ name: `idle-${__VU}` }), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'auth' },
  });
  metrics.authMs.add(signIn.timings.duration);
  if (!check(signIn, { 'guest auth 200': (r) => r.status === 200 })) {
    metrics.sessionFailed.add(1, { stage: 'auth' });
    return;
  }
  const token = (signIn.json() as { token: string }).token;
  const started = Date.now();
  // The JWT as a subprotocol entry, the way a browser lobby page sends it.
  const ws = openSocket(`${TARGET.ws}${PATH}`, [SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`], {
    tags: { name: 'lobby' },
  });
  let opened = false;
  let closedByUs = false;
  let timer: number | null = null;
  ws.addEventListener('open', () => {
    opened = true;
    metrics.connectMs.add(Date.now() - started);
    metrics.sessionFailed.add(0);
    idleConnections.add(1);
    timer = setTimeout(() => {
      closedByUs = true;
      ws.close();
    }, Math.max(0, exec.scenario.startTime + RAMP_MS + HOLD_MS - Date.now()));
  });
  ws.addEventListener('message', ({ data }) => {
    // Whatever the lobby pushes must still decode with the real codec.
    if (typeof data === 'string' || !decodeServer(data).ok) metrics.decodeErrors.add(1);
    else metrics.bytesDown.add(data.byteLength);
  });
  ws.addEventListener('error', (e) => {
    if (!opened) console.warn(`VU ${__VU}: ${PATH} upgrade failed: ${e.error ?? 'unknown error'}`);
  });
  ws.addEventListener('close', (c) => {
    if (timer !== null) clearTimeout(timer);
    if (!opened) {
      metrics.sessionFailed.add(1, { stage: 'connect' });
      return;
    }
    const code = c.code ?? 1006;
    if (!closedByUs && code !== 1000) metrics.unexpectedCloses.add(1, { code: String(code) });
  });
}

export default idle;

export const handleSummary = summaryHandler('lobby-idle', {
  extraMetrics: ['tw_server_rss_before_bytes', 'tw_server_rss_during_bytes', 'tw_server_lobby_connections'],
  extraLines: (d) => {
    const before = d.extra.tw_server_rss_before_bytes;
    const during = d.extra.tw_server_rss_during_bytes;
    const conns = d.extra.tw_server_lobby_connections;
    if (!during || !conns) return [`idle connections opened: ${d.counts.tw_idle_connections} (server memory not read: /metrics unreachable or no lobby connections counted)`];
    const per = before ? `${((during - before) / conns / 1024).toFixed(2)} KB per idle connection` : 'no baseline';
    return [`idle connections opened: ${d.counts.tw_idle_connections}; server: ${conns} lobby sockets, RSS ${(during / 1048576).toFixed(1)} MB, ${per}`];
  },
});
