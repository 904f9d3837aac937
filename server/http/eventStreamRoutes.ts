/**
 * Server-Sent Events for pages and dashboards that do not want a WebSocket:
 *   POST /api/events/ticket   (Authorization: Bearer <jwt>) → {"ticket","expiresInMs"}
 *   GET  /api/events?ticket=… (Last-Event-ID header, or ?lastEventId= for a new EventSource)
 * EventSource cannot send headers, so the JWT never goes in the URL: a short-lived
 * single-use stream ticket does. Heartbeat comments keep proxies from closing idle streams;
 * a client that stops reading is cut off once its backlog passes a bound.
 */
import { bearerFromHeader, type TokenService } from '../auth/tokens.js';
import type { TicketStore } from '../auth/tickets.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { EventFeed, FeedEvent } from '../lobby/eventFeed.js';
import type { Metrics } from '../observability/metrics.js';
import type { TemplatedApp } from '../uws.js';
import { CONCURRENCY_RETRY_AFTER_SECONDS, type AbuseGuards } from '../limits/abuseGuards.js';
import { Exchange } from './exchange.js';
import { tooManyRequests } from './tooManyRequests.js';

export interface EventStreamDeps {
  app: TemplatedApp;
  tokens: TokenService;
  tickets: TicketStore;
  /** This node's feed (lobby/eventFeed.ts), or a cluster's, replaying from Redis Streams. */
  feed: Pick<EventFeed, 'open'>;
  clock: Clock;
  metrics: Metrics;
  heartbeatMs: number;
  /** Why streams cannot be served now (a cluster's Redis is down) → 503 before the ticket is used; null when they can. */
  unavailable?: () => string | null;
  /** Open streams per user; none → unlimited. */
  guards?: AbuseGuards;
  /** Writes refused by a full socket buffer before the stream is dropped. */
  maxBacklogWrites?: number;
}

export function formatEvent(e: FeedEvent): string {
  return `id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

function parseLastEventId(header: string, query: string | undefined): number | null {
  const raw = header || query || '';
  if (!/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

/** Registers the routes; the returned `closeAll` ends every open stream (shutdown). */
export function registerEventStreamRoutes(d: EventStreamDeps): { closeAll(): void } {
  const streams = new Set<() => void>();

  d.app.post('/api/events/ticket', (res, req) => {
    const ex = new Exchange(res);
    const v = d.tokens.verify(bearerFromHeader(req.getHeader('authorization')));
    if (!v.ok) {
      d.metrics.authFailures.inc({ reason: `events_${v.reason}` });
      return ex.error(401, 'missing or invalid bearer token');
    }
    const limited = d.guards?.check('stream_tickets', d.guards.streamTickets.take(v.user.id));
    if (limited && !limited.ok) return tooManyRequests(ex, limited.retryAfterSeconds, 'too many stream tickets: wait a moment');
    const ticket = d.tickets.issue(v.user.id, 'events');
    ex.json(200, { ticket: ticket.id, expiresInMs: Math.round(ticket.expiresAt - d.clock.now()) });
  });

  d.app.get('/api/events', (res, req) => {
    const ex = new Exchange(res);
    const why = d.unavailable?.();
    if (why) return ex.error(503, why);
    const taken = d.tickets.take(req.getQuery('ticket') ?? '');
    if (!taken.ok) {
      d.metrics.authFailures.inc({ reason: `events_ticket_${taken.reason}` });
      return ex.error(401, taken.reason === 'expired' ? 'stream ticket expired' : 'unknown or already used stream ticket');
    }
    const userId = taken.ticket.userId;
    const perUser = d.guards?.eventStreams;
    if (perUser && !perUser.allows(userId)) {
      d.guards!.refused('event_streams');
      return tooManyRequests(ex, CONCURRENCY_RETRY_AFTER_SECONDS, `too many open event streams for your account (at most ${perUser.max}): close one first`);
    }
    perUser?.acquire(userId);
    const lastEventId = parseLastEventId(req.getHeader('last-event-id'), req.getQuery('lastEventId'));
    let open = true;
    let backlogged = false;
    let refused = 0;
    let heartbeat: TimerHandle | null = null;
    let closeFeed: (() => void) | null = null;

    const end = () => {
      if (!open) return;
      open = false;
      heartbeat?.cancel();
      closeFeed?.();
      streams.delete(shutdown);
      perUser?.release(userId);
      d.metrics.connections.dec({ namespace: 'events' });
    };
    const shutdown = () => {
      if (!open) return;
      const aborted = ex.aborted;
      end();
      if (!aborted) res.cork(() => res.end());
    };
    const write = (chunk: string) => {
      if (!open || ex.aborted) return;
      if (backlogged && ++refused > (d.maxBacklogWrites ?? 256)) {
        end();
        res.close(); // a reader this far behind is gone or hostile
        return;
      }
      res.cork(() => {
        if (!res.write(chunk) && !backlogged) {
          backlogged = true;
          res.onWritable(() => {
            backlogged = false;
            refused = 0;
            return true;
          });
        }
      });
    };

    res.onAborted(() => {
      ex.aborted = true;
      end();
    });
    streams.add(shutdown);
    d.metrics.connections.inc({ namespace: 'events' });
    res.cork(() => {
      res.writeStatus('200 OK');
      res.writeHeader('content-type', 'text/event-stream; charset=utf-8');
      res.writeHeader('cache-control', 'no-cache, no-transform');
      res.writeHeader('x-accel-buffering', 'no');
      res.write('retry: 2000\n\n');
    });
    const beat = () => {
      write(': heartbeat\n\n');
      if (open) heartbeat = d.clock.setTimeout(beat, d.heartbeatMs);
    };
    heartbeat = d.clock.setTimeout(beat, d.heartbeatMs);
    d.feed
      .open(taken.ticket.userId, lastEventId, (e) => write(formatEvent(e)))
      .then((close) => {
        if (open) closeFeed = close;
        else close();
      })
      .catch(() => shutdown());
  });

  return {
    closeAll() {
      for (const s of [...streams]) s();
    },
  };
}
