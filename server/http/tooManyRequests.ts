/** The one way a limit refuses an HTTP request: 429, Retry-After, a JSON error naming the limit. */
import type { Exchange } from './exchange.js';

export function tooManyRequests(ex: Exchange, retryAfterSeconds: number, error: string): void {
  ex.json(429, { error, retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
}
