/**
 * A Connection into a match seat: the quick-play (or join, or create) ticket opens the first
 * socket, and every reconnect asks the REST API for a ticket back into the same seat.
 */
import type { ApiClient, MatchTicket } from './api.js';
import { Connection, type ConnectionOptions } from './connection.js';

export interface MatchConnectionOptions extends Omit<ConnectionOptions, 'endpoint' | 'resume'> {
  api: ApiClient;
  /** What quick play / join / create answered. */
  ticket: MatchTicket;
}

/** A Connection for `ticket` that resumes through `api` (not yet connected: call `connect()`). */
export function connectToMatch(o: MatchConnectionOptions): Connection {
  const { api, ticket, ...rest } = o;
  return new Connection({ ...rest, endpoint: ticket, resume: (matchId) => api.resume(o.token, matchId) });
}
