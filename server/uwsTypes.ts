/**
 * The uWebSockets.js API as Tickwire uses it, typed so that both native builds we load
 * (server/uws.ts) satisfy it: the Node-20 build (`uWebSockets.js`, an alias of
 * @trufflesuite/uws-js-unofficial 20.30) and the v20.57 repack (@btc-vision/uwebsockets.js,
 * Node 20/22/24/25 on glibc ≥ 2.38). The base types come from the Node-20 build, which is
 * always installed; where the two builds' declarations differ we declare the common ground:
 *
 * - `closeOnBackpressureLimit`: `number` in 20.30's d.ts, `boolean` in 20.57's; the addon
 *   reads it as a boolean in both, so we type it `boolean`.
 * - `getQuery` / `getParameter`: `''` for a missing key in 20.30, `undefined` in 20.57; typed
 *   `string | undefined` so every caller handles both.
 * - `listen(host, port, options, cb)`: both addons take it, neither d.ts declares it.
 *
 * Type-only except for the two constants below; importing it loads no addon.
 */
import type * as Uws from 'uWebSockets.js';

export type RecognizedString = Uws.RecognizedString;
export type us_listen_socket = Uws.us_listen_socket;
export type us_socket_context_t = Uws.us_socket_context_t;
export type HttpResponse = Uws.HttpResponse;
export type WebSocket<UserData> = Uws.WebSocket<UserData>;
export type AppOptions = Uws.AppOptions;

export interface HttpRequest extends Omit<Uws.HttpRequest, 'getQuery' | 'getParameter'> {
  /** A decoded query parameter: `''` (20.30) or `undefined` (20.57) when absent. */
  getQuery(key: string): string | undefined;
  /** The whole query string; `''`/`undefined` when there is none. */
  getQuery(): string | undefined;
  getParameter(index: number): string | undefined;
}

export interface WebSocketBehavior<UserData> extends Omit<Uws.WebSocketBehavior<UserData>, 'closeOnBackpressureLimit' | 'upgrade'> {
  closeOnBackpressureLimit?: boolean;
  upgrade?: (res: HttpResponse, req: HttpRequest, context: us_socket_context_t) => void | Promise<void>;
}

type HttpMethod = 'get' | 'post' | 'options' | 'del' | 'patch' | 'put' | 'head' | 'connect' | 'trace' | 'any';
type HttpHandler = (res: HttpResponse, req: HttpRequest) => void | Promise<void>;

export interface TemplatedApp extends Omit<Uws.TemplatedApp, 'ws' | 'listen' | HttpMethod> {
  get(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  post(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  options(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  del(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  patch(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  put(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  head(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  connect(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  trace(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  any(pattern: RecognizedString, handler: HttpHandler): TemplatedApp;
  ws<UserData>(pattern: RecognizedString, behavior: WebSocketBehavior<UserData>): TemplatedApp;
  listen(host: RecognizedString, port: number, options: number, cb: (listenSocket: us_listen_socket | false) => void): TemplatedApp;
  listen(port: number, cb: (listenSocket: us_listen_socket | false) => void): TemplatedApp;
}

/** The module surface Tickwire calls; what the loader checks a candidate against. */
export interface UwsModule {
  App(options?: AppOptions): TemplatedApp;
  us_listen_socket_close(listenSocket: us_listen_socket): void;
  us_socket_local_port(socket: us_listen_socket): number;
  getParts: unknown;
  SHARED_COMPRESSOR: number;
}

/** uWS `compression` value for no permessage-deflate (uWS.DISABLED in both builds). */
export const COMPRESSION_DISABLED = 0;

/**
 * libusockets' LIBUS_LISTEN_EXCLUSIVE_PORT (`ListenOptions` in both d.ts files): listen
 * without SO_REUSEPORT, so a second process on the same port fails instead of sharing it.
 */
export const LISTEN_EXCLUSIVE_PORT = 1;
