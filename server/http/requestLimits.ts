/**
 * Limits every HTTP request (and WebSocket upgrade request) meets before a route runs:
 * request target and header size (431, connection closed), and what a route that reads a
 * body needs to enforce the rest (content type → 415, body deadline → 408; see Exchange).
 * uWS has no middleware, so the app is wrapped: every handler registered through the
 * returned app is guarded. Headers are read here synchronously (uWS frees the request
 * once the handler returns) and kept per response for the Exchange.
 */
import type { Clock } from '../clock.js';
import type { Metrics } from '../observability/metrics.js';
import type { HttpRequest, HttpResponse, TemplatedApp, WebSocketBehavior } from '../uws.js';

export interface RequestLimits {
  /** Path plus query string, bytes. */
  maxTargetBytes: number;
  /** All header names and values together, bytes. */
  maxHeaderBytes: number;
  /** A request body must arrive completely within this long, ms (408 otherwise). */
  bodyTimeoutMs: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = { maxTargetBytes: 2048, maxHeaderBytes: 8192, bodyTimeoutMs: 10_000 };

/** `--request-limits` JSON over the defaults; unknown keys and non-numbers are refused (ranges: validateConfig). */
export function mergeRequestLimits(v: Record<string, unknown>): RequestLimits {
  const merged: Record<string, unknown> = { ...DEFAULT_REQUEST_LIMITS };
  for (const [key, value] of Object.entries(v)) {
    if (!Object.hasOwn(DEFAULT_REQUEST_LIMITS, key)) throw new Error(`unknown key "${key}" (known: ${Object.keys(DEFAULT_REQUEST_LIMITS).join(', ')})`);
    if (typeof value !== 'number') throw new Error(`"${key}" must be a number of ${key === 'bodyTimeoutMs' ? 'milliseconds' : 'bytes'}`);
    merged[key] = value;
  }
  return merged as unknown as RequestLimits;
}

export interface RequestContext {
  contentType: string;
  bodyTimeoutMs: number;
  clock: Clock;
}

const contexts = new WeakMap<HttpResponse, RequestContext>();

/** What the guard recorded for this response's request (absent for unguarded apps, e.g. unit tests). */
export function requestContext(res: HttpResponse): RequestContext | undefined {
  return contexts.get(res);
}

const METHODS = ['get', 'post', 'put', 'del', 'patch', 'options', 'head', 'any', 'connect', 'trace'] as const;

export function withRequestLimits(app: TemplatedApp, deps: { limits: RequestLimits; clock: Clock; metrics: Metrics }): TemplatedApp {
  const { limits, clock, metrics } = deps;
  const admit = (res: HttpResponse, req: HttpRequest): boolean => {
    const target = req.getUrl().length + (req.getQuery()?.length ?? 0);
    let headerBytes = 0;
    req.forEach((k, v) => {
      headerBytes += k.length + v.length + 4;
    });
    const tooLarge = target > limits.maxTargetBytes ? 'request target' : headerBytes > limits.maxHeaderBytes ? 'request headers' : null;
    if (tooLarge) {
      metrics.limitHits.inc({ limit: 'request_headers' });
      const max = target > limits.maxTargetBytes ? limits.maxTargetBytes : limits.maxHeaderBytes;
      res.cork(() => {
        res.writeStatus('431 Request Header Fields Too Large').writeHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: `${tooLarge} larger than ${max} bytes` }), true);
      });
      return false;
    }
    contexts.set(res, { contentType: req.getHeader('content-type'), bodyTimeoutMs: limits.bodyTimeoutMs, clock });
    return true;
  };
  const guarded: TemplatedApp = new Proxy(app, {
    get(target, prop, receiver) {
      if ((METHODS as readonly (string | symbol)[]).includes(prop)) {
        return (pattern: string, handler: (res: HttpResponse, req: HttpRequest) => void) => {
          (target as unknown as Record<string, (p: string, h: typeof handler) => unknown>)[prop as string](pattern, (res, req) => {
            if (admit(res, req)) handler(res, req);
          });
          return guarded;
        };
      }
      if (prop === 'ws') {
        return <U>(pattern: string, behavior: WebSocketBehavior<U>) => {
          const upgrade = behavior.upgrade;
          target.ws<U>(pattern, {
            ...behavior,
            ...(upgrade ? { upgrade: (res, req, context) => (admit(res, req) ? upgrade(res, req, context) : undefined) } : {}),
          });
          return guarded;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return guarded;
}
