/** The REST side of auth: `Authorization: Bearer <jwt>` → the user, or a 401 already sent. */
import { bearerFromHeader, type AuthUser, type TokenService } from '../auth/tokens.js';
import type { Metrics } from '../observability/metrics.js';
import type { Exchange } from './exchange.js';

export function authenticateBearer(tokens: TokenService, metrics: Metrics, authorization: string, ex: Exchange): AuthUser | null {
  const v = tokens.verify(bearerFromHeader(authorization));
  if (v.ok) return v.user;
  metrics.authFailures.inc({ reason: `api_${v.reason}` });
  ex.error(401, v.reason === 'expired' ? 'token expired' : 'missing or invalid bearer token');
  return null;
}
