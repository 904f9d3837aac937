/**
 * `k6/http`: request/get/post/put/patch/del/head, SYNCHRONOUS as in k6 (the thread blocks
 * while the helper thread does the request). A response has status, status_text, body
 * (text), headers, url, timings {blocked, connecting, tls_handshake, sending, waiting,
 * receiving, duration}, error, error_code and json(). Emits http_reqs, http_req_duration,
 * http_req_waiting, http_req_failed (status 200–399 is expected) and data_sent/received.
 * Params: headers, tags, timeout; others are refused with one line rather than ignored.
 */
import { Interrupted } from '../errors.js';
import type { HttpResult } from '../httpTypes.js';
import type { VuState } from '../vuServices.js';
import { parseDurationMs } from '../options.js';

interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string | number;
}

const PARAM_KEYS = ['headers', 'tags', 'timeout'];

function encodeBody(body: unknown, headers: Record<string, string>): string | Uint8Array | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  if (Object.prototype.toString.call(body) === '[object ArrayBuffer]') return new Uint8Array((body as ArrayBuffer).slice(0));
  if (typeof body === 'object') {
    // k6 sends a plain object as a form.
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString();
  }
  throw new TypeError(`k6/http: unsupported body type ${typeof body}`);
}

export function httpModule(vu: VuState) {
  const request = (method: string, url: unknown, body: unknown, params?: Params) => {
    if (vu.phase === 'init') throw new Error(`http.${method.toLowerCase()}(): HTTP requests cannot be made in the init context`);
    const p = params ?? {};
    for (const k of Object.keys(p)) {
      if (!PARAM_KEYS.includes(k)) throw new Error(`k6/http: params.${k} is not supported by this runtime (it supports ${PARAM_KEYS.join(', ')})`);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.headers ?? {})) headers[k] = String(v);
    const encoded = encodeBody(body, headers);
    const timeoutMs = p.timeout === undefined ? 60_000 : parseDurationMs(p.timeout, 'http params.timeout');
    const r = vu.services.http({ method, url: String(url), headers, body: encoded, timeoutMs }, () => vu.interrupted());
    if (!r) throw new Interrupted();
    const tags = { ...vu.baseTags, method, url: String(url), name: String(url), ...(p.tags ?? {}), status: String(r.status) };
    const emit = vu.services.emit;
    emit('http_reqs', 1, tags);
    emit('http_req_duration', r.timings.duration, tags);
    emit('http_req_waiting', r.timings.waiting, tags);
    emit('http_req_failed', r.status >= 200 && r.status < 400 ? 0 : 1, tags);
    emit('data_sent', r.sentBytes, tags);
    emit('data_received', r.receivedBytes, tags);
    return response(vu, method, String(url), r);
  };
  const api = {
    request: (method: string, url: unknown, body?: unknown, params?: Params) => request(String(method).toUpperCase(), url, body, params),
    get: (url: unknown, params?: Params) => request('GET', url, null, params),
    head: (url: unknown, params?: Params) => request('HEAD', url, null, params),
    del: (url: unknown, body?: unknown, params?: Params) => request('DELETE', url, body, params),
    post: (url: unknown, body?: unknown, params?: Params) => request('POST', url, body, params),
    put: (url: unknown, body?: unknown, params?: Params) => request('PUT', url, body, params),
    patch: (url: unknown, body?: unknown, params?: Params) => request('PATCH', url, body, params),
  };
  return api;
}

function response(vu: VuState, method: string, url: string, r: HttpResult) {
  return {
    status: r.status,
    status_text: r.statusText,
    body: r.body,
    headers: r.headers,
    url,
    request: { method, url },
    timings: { ...r.timings },
    error: r.error,
    error_code: r.errorCode,
    json(selector?: string): unknown {
      if (selector !== undefined) throw new Error('response.json(selector) is not supported by this runtime; call json() and read the field');
      // Parsed in the VU's realm, so the script gets its own Object/Array.
      return vu.realm.JSON.parse(r.body);
    },
  };
}
