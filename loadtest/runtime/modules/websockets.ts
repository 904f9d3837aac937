/**
 * `k6/websockets`: the WebSocket class (browser-like API, k6's constructor
 * `new WebSocket(url, protocols?, params?)` with params {headers, tags}) on the `ws`
 * package. binaryType must be "arraybuffer" to receive binary frames (k6's default "blob"
 * is not implemented: a binary frame then ends the iteration with one line saying so).
 * Message events carry `timestamp` (ms since epoch, sub-ms) like k6's; a connection that
 * ends without a close frame reports code 1006. An open socket keeps the iteration alive.
 * Emits ws_sessions, ws_connecting, ws_session_duration, ws_msgs_sent, ws_msgs_received,
 * data_sent and data_received (frame bytes: payload plus frame header).
 */
import { performance } from 'node:perf_hooks';
import { WebSocket as NodeWebSocket } from 'ws';
import type { Handle } from '../vuLoop.js';
import type { VuState } from '../vuServices.js';

/** Largest message accepted from a server; a bigger one is dropped: error event, then close 1006. */
export const MAX_WS_MESSAGE_BYTES = 16 * 1024 * 1024;

const PARAM_KEYS = ['headers', 'tags'];

function frameHeaderBytes(len: number, masked: boolean): number {
  return 2 + (len >= 65536 ? 8 : len >= 126 ? 2 : 0) + (masked ? 4 : 0);
}

type Listener = (event: Record<string, unknown>) => void;

export function websocketsModule(vu: VuState) {
  class WebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;

    readyState = 0;
    readonly url: string;
    protocol = '';
    bufferedAmount = 0;
    onopen: Listener | null = null;
    onmessage: Listener | null = null;
    onerror: Listener | null = null;
    onclose: Listener | null = null;
    private type: string = 'blob';
    private readonly listeners = new Map<string, Listener[]>();
    private readonly socket: NodeWebSocket;
    private readonly tags: Record<string, string>;

    constructor(url: string, protocols?: string | string[] | null, params?: { headers?: Record<string, string>; tags?: Record<string, string> } | null) {
      const loop = vu.requireLoop('new WebSocket()');
      for (const k of Object.keys(params ?? {})) {
        if (!PARAM_KEYS.includes(k)) throw new Error(`k6/websockets: params.${k} is not supported by this runtime (it supports ${PARAM_KEYS.join(', ')})`);
      }
      this.url = String(url);
      this.tags = { ...vu.baseTags, url: this.url, ...(params?.tags ?? {}) };
      const list = protocols === null || protocols === undefined ? [] : Array.isArray(protocols) ? protocols.map(String) : [String(protocols)];
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(params?.headers ?? {})) headers[k] = String(v);
      const started = performance.now();
      const emit = vu.services.emit;
      this.socket = new NodeWebSocket(this.url, list, { headers, maxPayload: MAX_WS_MESSAGE_BYTES, perMessageDeflate: false });
      const handle: Handle = { cancel: () => this.socket.terminate() };
      loop.add(handle);
      emit('ws_sessions', 1, this.tags);
      this.socket.on('open', () =>
        loop.run(() => {
          this.readyState = 1;
          this.protocol = this.socket.protocol;
          emit('ws_connecting', performance.now() - started, this.tags);
          this.dispatch('open', { type: 'open' });
        }),
      );
      this.socket.on('message', (data: Buffer, isBinary: boolean) =>
        loop.run(() => {
          const timestamp = performance.timeOrigin + performance.now();
          emit('ws_msgs_received', 1, this.tags);
          emit('data_received', data.length + frameHeaderBytes(data.length, false), this.tags);
          let payload: unknown;
          if (!isBinary) payload = data.toString('utf8');
          else if (this.type === 'arraybuffer') {
            const ab = new vu.realm.ArrayBuffer(data.length);
            new vu.realm.Uint8Array(ab).set(data);
            payload = ab;
          } else throw new Error(`k6/websockets: a binary message arrived with binaryType "${this.type}"; this runtime delivers binary only as "arraybuffer"`);
          this.dispatch('message', { type: 'message', data: payload, timestamp });
        }),
      );
      this.socket.on('error', (err: Error) => loop.run(() => this.dispatch('error', { type: 'error', error: err.message })));
      this.socket.on('close', (code: number, reason: Buffer) => {
        loop.run(() => {
          this.readyState = 3;
          emit('ws_session_duration', performance.now() - started, this.tags);
          this.dispatch('close', { type: 'close', code, reason: reason.toString('utf8') });
        });
        loop.remove(handle);
      });
    }

    get binaryType(): string {
      return this.type;
    }

    set binaryType(value: string) {
      if (value !== 'arraybuffer' && value !== 'blob') throw new Error(`k6/websockets: binaryType must be "arraybuffer" or "blob", got ${JSON.stringify(value)}`);
      this.type = value;
    }

    addEventListener(event: string, fn: Listener): void {
      if (typeof fn !== 'function') throw new TypeError(`addEventListener("${event}"): the listener must be a function`);
      const list = this.listeners.get(event) ?? [];
      list.push(fn);
      this.listeners.set(event, list);
    }

    send(data: unknown): void {
      if (this.readyState !== 1) throw new Error(`WebSocket.send: the socket is not open (readyState ${this.readyState})`);
      let out: string | Buffer;
      if (typeof data === 'string') out = data;
      else if (ArrayBuffer.isView(data)) out = Buffer.from(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      else if (Object.prototype.toString.call(data) === '[object ArrayBuffer]') out = Buffer.from(new Uint8Array(data as ArrayBuffer));
      else throw new TypeError('WebSocket.send: expected a string, an ArrayBuffer or a typed array');
      const len = typeof out === 'string' ? Buffer.byteLength(out) : out.length;
      this.socket.send(out);
      vu.services.emit('ws_msgs_sent', 1, this.tags);
      vu.services.emit('data_sent', len + frameHeaderBytes(len, true), this.tags);
    }

    close(code?: number, reason?: string): void {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      this.socket.close(code ?? 1000, reason);
    }

    ping(): void {
      if (this.readyState === 1) this.socket.ping();
    }

    private dispatch(event: string, payload: Record<string, unknown>): void {
      const prop = (this as unknown as Record<string, Listener | null>)[`on${event}`];
      if (typeof prop === 'function') prop.call(this, payload);
      for (const fn of this.listeners.get(event) ?? []) fn.call(this, payload);
    }
  }
  return { WebSocket };
}
