/**
 * The socket seam. The connection never names a socket class: it calls a `SocketFactory`
 * once per attempt and drives whatever WebSocket-shaped object comes back. That is where a
 * transport plugs in — the browser's WebSocket (the default), `ws` in Node 20, a socket
 * hosted in a Worker (transport/workerSocket.ts), a long-polling socket, or a fake in tests.
 */
import { BEARER_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../protocol/index.js';

/** The part of the WebSocket API the connection uses (browser WebSocket and `ws` both fit). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  /** Bytes queued in the socket but not yet sent (the link-health check reads it). */
  readonly bufferedAmount?: number;
  /** The transport's name for stats ('websocket' when absent; a polling socket says 'polling'). */
  readonly transport?: string;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  /** `timeStamp`: when the event was queued (performance.now() timebase), if known. */
  onmessage: ((ev: { data: unknown; timeStamp?: number }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** Opens one socket. Called once per connection attempt; may throw (counted as a failed attempt). */
export type SocketFactory = (url: string, protocols: string[]) => WebSocketLike;

/** A WebSocket-shaped class (the browser's `WebSocket`, `ws`, a test fake). */
export type WebSocketCtor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export const SOCKET_OPEN = 1;

/** A factory for a WebSocket-shaped class: `socketFactoryOf(WebSocket)` with `ws` in Node 20. */
export function socketFactoryOf(Ctor: WebSocketCtor): SocketFactory {
  return (url, protocols) => new Ctor(url, protocols);
}

/**
 * The global WebSocket (browsers, Node 22+). On Node 20 there is none: the error names the
 * fix instead of failing later with "WebSocket is not defined".
 */
export function defaultSocketFactory(): SocketFactory {
  const Ctor = (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
  if (typeof Ctor !== 'function') {
    throw new Error("tickwire/client: no global WebSocket here; pass createSocket: socketFactoryOf(WebSocket) with `import WebSocket from 'ws'`");
  }
  return socketFactoryOf(Ctor);
}

/** The subprotocols a Tickwire socket offers: ours, and the JWT (browsers cannot set headers). */
export function tickwireProtocols(token: string): string[] {
  return [SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`];
}

/** A binary payload as bytes (null for text frames). */
export function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // `ws` in Node may hand over an array of Buffers for fragmented frames.
  if (Array.isArray(data)) {
    const parts = data as Uint8Array[];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    return out;
  }
  return null;
}
