/** The messages between a VU thread and the HTTP helper thread (see syncHttp.ts). */

export interface HttpRequest {
  id: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  timeoutMs: number;
}

export interface HttpTimings {
  blocked: number;
  connecting: number;
  tls_handshake: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

export interface HttpResult {
  id: number;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  /** '' when the request got a response. */
  error: string;
  /** k6 error codes: 0 none, 1000 generic, 1050 timeout, 1100 body too large (ours). */
  errorCode: number;
  timings: HttpTimings;
  sentBytes: number;
  receivedBytes: number;
}

/** Responses larger than this fail with errorCode 1100 instead of filling memory. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
