/** Where a connection's socket goes, and the URL opened for it. */

/** A quick-play/resume ticket (MatchTicket fits) or just a URL. */
export interface Endpoint {
  url: string;
  /** Seat ticket, appended as `?ticket=` (none for spectators and the lobby). */
  ticket?: string;
  /** The match this endpoint belongs to (what `resume` is asked for). */
  matchId?: string;
}

/** `url` with the endpoint's seat ticket appended. */
export function socketUrl(e: Endpoint): string {
  return e.ticket ? `${e.url}${e.url.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(e.ticket)}` : e.url;
}
