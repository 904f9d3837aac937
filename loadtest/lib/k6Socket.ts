/**
 * A typed view of the k6/websockets WebSocket as k6 v1.8 implements it. The published
 * typings (@types/k6) lag behind it: they declare the protocols argument as null, type
 * event names and binaryType as enums that k6 does not export at run time, and give the
 * close event no code. This wraps the constructor once so the scripts stay type-checked.
 */
import { WebSocket } from 'k6/websockets';

export interface K6MessageEvent {
  data: ArrayBuffer | string;
  /** When k6 read the frame, ms since epoch with sub-ms precision. */
  timestamp?: number;
}
export interface K6CloseEvent {
  /** Absent when the connection ended without a close frame. */
  code?: number;
  reason?: string;
}
export interface K6ErrorEvent {
  error?: string;
}

export interface K6Socket {
  readonly readyState: number;
  send(data: ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  addEventListener(event: 'open', fn: () => void): void;
  addEventListener(event: 'message', fn: (e: K6MessageEvent) => void): void;
  addEventListener(event: 'close', fn: (e: K6CloseEvent) => void): void;
  addEventListener(event: 'error', fn: (e: K6ErrorEvent) => void): void;
}

export const OPEN = 1;

export interface SocketParams {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
}

/** Opens a WebSocket offering `protocols`, delivering binary frames as ArrayBuffers. */
export function openSocket(url: string, protocols: string[], params: SocketParams): K6Socket {
  const Ctor = WebSocket as unknown as new (url: string, protocols: string[], params: SocketParams) => K6Socket & { binaryType: string };
  const ws = new Ctor(url, protocols, params);
  ws.binaryType = 'arraybuffer';
  return ws;
}
