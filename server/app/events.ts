/** The event-stream feature: the lobby event feed and its SSE routes (/api/events). */
import { TicketStore } from '../auth/tickets.js';
import { registerEventStreamRoutes } from '../http/eventStreamRoutes.js';
import { EventFeed } from '../lobby/eventFeed.js';
import type { Core } from './core.js';
import type { Feature } from './feature.js';

/** Stream tickets live this long: enough to open the stream right after asking, ms. */
const STREAM_TICKET_TTL_MS = 30_000;

export function startEvents(c: Core): Feature {
  const { cluster } = c;
  const feed = cluster ? cluster.eventFeed({ inbox: c.inbox, listing: c.listing }) : new EventFeed({ presence: c.presence, inbox: c.inbox, listing: c.listing, clock: c.clock });
  feed.start();
  const streamTickets = new TicketStore(c.clock, STREAM_TICKET_TTL_MS);
  const streams = registerEventStreamRoutes({
    app: c.app,
    tokens: c.tokens,
    tickets: streamTickets,
    feed,
    clock: c.clock,
    metrics: c.metrics,
    heartbeatMs: c.config.sseHeartbeatMs,
    guards: c.guards,
    unavailable: cluster ? () => cluster.unavailableReason() : undefined,
  });
  return {
    async stop() {
      streamTickets.clear();
      streams.closeAll();
      await feed.stop();
    },
  };
}
