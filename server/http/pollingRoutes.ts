/**
 * The HTTP long-polling fallback for `/play`, for networks that refuse WebSocket upgrades.
 * The same protocol frames travel in HTTP bodies (protocol/pollFraming.ts):
 *
 *   POST   /play/poll/open?ticket=…  JWT in `Authorization: Bearer`, `x-tickwire-protocol:
 *                                    tickwire.v1` → `{session, holdMs, …}`; the session is
 *                                    attached to the seat (welcome and keyframe queue at once)
 *   GET    /play/poll                every frame queued for the session, in one
 *                                    application/octet-stream body; held ≤ holdMs when empty
 *   POST   /play/poll                one or more client frames (application/octet-stream)
 *   DELETE /play/poll                the client closes the session (the seat waits out the grace)
 *
 * The session is named by the `x-tickwire-session` header. Every check of the WebSocket
 * route applies, through the same code: the upgrade's protocol/JWT check, the seat ticket,
 * the per-user `/play` connection limit (shared by both transports), per-frame size,
 * validation and rate limits with the same close codes, and the same metrics. On top:
 * sessions per client address, the send body size and frame count (413).
 * CORS is open (`*`): requests carry a bearer token, never cookies, and a cluster worker's
 * play port is another origin than the page. The session, its queue and the topic fan-out
 * are transport (server/transport/polling/); this file is only the HTTP side.
 */
import { CloseCode, decodeClient, decodePollBody } from '../../protocol/index.js';
import type { AbuseGuards } from '../limits/abuseGuards.js';
import { CONCURRENCY_RETRY_AFTER_SECONDS } from '../limits/abuseGuards.js';
import { ConcurrencyLimiter } from '../limits/concurrencyLimiter.js';
import type { TokenService } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import { clientAddress } from './clientAddress.js';
import { Exchange, HttpError } from './exchange.js';
import type { Metrics } from '../observability/metrics.js';
import type { TemplatedApp } from '../uws.js';
import { closeForViolation, rateTokens } from '../transport/namespace.js';
import { SocketRates } from '../transport/rateLimit.js';
import type { PlayContext, PlayHandlers } from '../transport/playRoute.js';
import { checkUpgrade } from '../transport/upgradeAuth.js';
import { PollingConnection, type HeldPoll } from '../transport/polling/pollingConnection.js';
import type { PollingLimits } from '../transport/polling/pollingLimits.js';
import { newSessionId, PollingSessions, type PollingSession } from '../transport/polling/pollingSessions.js';
import type { PollingTopics } from '../transport/polling/pollingTopics.js';

export const POLL_PATH = '/play/poll';
export const SESSION_HEADER = 'x-tickwire-session';
export const PROTOCOL_HEADER = 'x-tickwire-protocol';
/** Metrics label of polling sessions in `tickwire_connections{namespace}`. */
export const POLLING_NAMESPACE = 'play_polling';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE',
  'access-control-allow-headers': `authorization, content-type, ${SESSION_HEADER}, ${PROTOCOL_HEADER}`,
  'access-control-max-age': '600',
};
const ALLOW_ORIGIN = { 'access-control-allow-origin': '*' };
const OCTETS = { 'content-type': 'application/octet-stream', 'cache-control': 'no-store', ...ALLOW_ORIGIN };

export interface PollingRouteDeps {
  app: TemplatedApp;
  tokens: TokenService;
  clock: Clock;
  metrics: Metrics;
  guards?: AbuseGuards;
  trustedProxyHeader: string | null;
}

export interface PollingRouteOptions {
  /** The `/play` namespace's handlers (server/transport/playRoute.ts). */
  play: PlayHandlers;
  topics: PollingTopics;
  limits: PollingLimits;
  maxFrameBytes: number;
  /** Queued bytes per session before it is closed with 4016 (the WebSocket hard bound). */
  hardBytes: number;
  /** A session that sent no frame for this long is closed with 4017 (the play namespace's idle rule), ms. */
  sendIdleMs: number;
}

export interface PollingRoutes {
  readonly sessions: PollingSessions;
  stop(): void;
}

export function registerPollingRoutes(d: PollingRouteDeps, o: PollingRouteOptions): PollingRoutes {
  const { metrics, clock } = d;
  const limits = o.limits;
  const sessions = new PollingSessions(clock, limits.idleMs, o.sendIdleMs);
  // The same per-message-class limits as a /play socket, one row per session (SocketRates).
  const classes = o.play.rateClasses;
  const rates = new SocketRates(classes.limits);
  const perUser = d.guards?.connectionsIn('play') ?? null;
  const perAddress = new ConcurrencyLimiter(limits.sessionsPerAddress);
  const counters = metrics.inbound('play');
  const json = (ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}) => ex.json(status, body, { ...ALLOW_ORIGIN, ...headers });

  d.app.options(`${POLL_PATH}/open`, (res) => new Exchange(res).send(204, '', CORS));
  d.app.options(POLL_PATH, (res) => new Exchange(res).send(204, '', CORS));

  d.app.post(`${POLL_PATH}/open`, (res, req) => {
    const ex = new Exchange(res);
    const check = checkUpgrade(d.tokens, req.getHeader(PROTOCOL_HEADER), req.getHeader('authorization'));
    if (!check.ok) {
      metrics.authFailures.inc({ reason: check.reason });
      return json(ex, check.status, check.body);
    }
    const user = check.user;
    const address = clientAddress(res, req, d.trustedProxyHeader);
    if (!perAddress.allows(address)) {
      metrics.limitHits.inc({ limit: 'polling_sessions_address' });
      return json(ex, 429, { error: `too many polling sessions from your address (at most ${perAddress.max}): close one first` }, retryAfter());
    }
    // Before `authorize`, which redeems the single-use ticket.
    if (perUser && !perUser.allows(user.id)) {
      d.guards!.refused('connections_play');
      return json(ex, 429, { error: `too many open /play connections for your account (at most ${perUser.max}): close one first` }, retryAfter());
    }
    const auth = o.play.authorize(user, req.getQuery('ticket') ?? '');
    if (!auth.ok) {
      metrics.authFailures.inc({ reason: auth.reason });
      return json(ex, auth.status, { error: auth.error }, auth.headers);
    }
    const id = newSessionId();
    let ctx: PlayContext & { conn: PollingConnection };
    const conn = new PollingConnection({
      clock,
      metrics,
      topics: o.topics,
      hardBytes: o.hardBytes,
      holdMs: limits.holdMs,
      onClose: (code) => {
        metrics.connections.dec({ namespace: POLLING_NAMESPACE });
        metrics.closes.inc({ code: String(code) });
        perUser?.release(user.id);
        perAddress.release(address);
        rates.close(rateSlot);
        o.play.close(ctx, code);
      },
    });
    ctx = { inputWords: null, inputAt: -1, inputGen: 0, user, conn, state: auth.state };
    const rateSlot = rates.open(clock.now());
    sessions.add({ id, address, ctx, rateSlot, lastSendAt: clock.now() });
    perUser?.acquire(user.id);
    perAddress.acquire(address);
    metrics.connections.inc({ namespace: POLLING_NAMESPACE });
    o.play.open(ctx);
    json(ex, 200, { session: id, holdMs: limits.holdMs, maxSendBytes: limits.maxSendBytes, maxFramesPerSend: limits.maxFramesPerSend, maxFrameBytes: o.maxFrameBytes });
  });

  d.app.get(POLL_PATH, (res, req) => {
    const ex = new Exchange(res);
    const s = sessions.get(req.getHeader(SESSION_HEADER));
    if (!s) return unknownSession(ex);
    const held: HeldPoll = {
      reply: (body) => ex.send(200, body, OCTETS),
      supersede: () => {
        metrics.limitHits.inc({ limit: 'poll_superseded' });
        json(ex, 409, { error: 'a newer receive request replaced this one' });
      },
      drop: () => ex.drop(),
    };
    ex.onAbort(() => s.ctx.conn.pollAborted(held));
    s.ctx.conn.poll(held);
  });

  d.app.post(POLL_PATH, (res, req) => {
    const ex = new Exchange(res);
    // Headers are read now: uWS frees the request when this handler returns.
    const id = req.getHeader(SESSION_HEADER);
    ex.readBody(limits.maxSendBytes, 'application/octet-stream').then(
      (body) => receive(ex, id, body),
      (e: unknown) => {
        if (e instanceof HttpError) {
          if (e.status === 413) metrics.limitHits.inc({ limit: 'poll_send_bytes' });
          return json(ex, e.status, { error: e.message });
        }
        json(ex, 500, { error: 'internal error' });
      },
    );
  });

  d.app.del(POLL_PATH, (res, req) => {
    const ex = new Exchange(res);
    const s = sessions.get(req.getHeader(SESSION_HEADER));
    if (!s) return unknownSession(ex);
    s.ctx.conn.close(1000, 'closed by the client');
    ex.send(204, '', ALLOW_ORIGIN);
  });

  function receive(ex: Exchange, id: string, body: Uint8Array): void {
    const s = sessions.get(id);
    if (!s) return unknownSession(ex);
    const { ctx } = s;
    if (ctx.conn.closed) return json(ex, 410, { error: 'session closed: fetch its close code with GET /play/poll' });
    // A record may be as large as the body; the frame limit below is the protocol's.
    const decoded = decodePollBody(body, { maxRecords: limits.maxFramesPerSend + 1, maxRecordBytes: limits.maxSendBytes, allowClose: false });
    if (decoded.ok && decoded.value.length > limits.maxFramesPerSend) {
      metrics.limitHits.inc({ limit: 'poll_send_frames' });
      return json(ex, 413, { error: `more than ${limits.maxFramesPerSend} frames in one send` });
    }
    if (!decoded.ok) {
      closeForViolation(metrics, ctx.conn, CloseCode.MalformedFrame, decoded.error.slice(0, 60));
      return json(ex, 400, { error: `malformed send body: ${decoded.error}` });
    }
    s.lastSendAt = clock.now();
    for (const record of decoded.value) {
      if (ctx.conn.closed || record.kind !== 'frame') break;
      if (!handleFrame(s, record.frame)) break;
    }
    ex.send(204, '', ALLOW_ORIGIN);
  }

  /** The WebSocket namespace's per-frame checks, in its order; false once the session closed. */
  function handleFrame(s: PollingSession, frame: Uint8Array): boolean {
    const ctx = s.ctx;
    counters.frames++;
    counters.bytes += frame.byteLength;
    const decoded = frame.byteLength > o.maxFrameBytes ? null : decodeClient(frame);
    if (!decoded) closeForViolation(metrics, ctx.conn, CloseCode.FrameTooLarge);
    else if (!decoded.ok) closeForViolation(metrics, ctx.conn, CloseCode.MalformedFrame, decoded.error.slice(0, 60));
    else if (!rates.take(s.rateSlot, classes.classOf(decoded.value), rateTokens(decoded.value), clock.now())) closeForViolation(metrics, ctx.conn, CloseCode.RateLimited);
    else o.play.message(ctx, decoded.value);
    return !ctx.conn.closed;
  }

  function unknownSession(ex: Exchange): void {
    json(ex, 404, { error: 'unknown or expired polling session: open a new one' });
  }

  return {
    sessions,
    stop: () => sessions.stop(),
  };
}

function retryAfter(): Record<string, string> {
  return { 'retry-after': String(CONCURRENCY_RETRY_AFTER_SECONDS) };
}

