/**
 * A WebSocket that lives in a dedicated Worker, so the time each frame arrives is taken on
 * a thread the game's rendering does not block. On a slow device the page's main thread can
 * be busy for 150–300 ms per frame; frames received meanwhile would all look "late" to the
 * interpolation buffer, which then inflates its delay to cover jitter that is not on the
 * network. The worker stamps each frame on arrival and posts it over; the stamp reaches
 * the connection as the event's `timeStamp` (in the page's performance.now() timebase).
 *
 * Implements the WebSocketLike surface the connection uses; everything else about the
 * connection (reconnection, lag simulation, link health) is unchanged. Falls back to the
 * page's own WebSocket where Workers or blob: URLs are unavailable (`workerSocketFactory`).
 */
import { defaultSocketFactory, socketFactoryOf, type SocketFactory, type WebSocketCtor, type WebSocketLike } from '../socket.js';

/** The worker's whole program: owns one WebSocket, relays events with arrival stamps. */
const WORKER_SOURCE = `
let ws = null;
const relayBuffered = () => postMessage({ ev: 'buffered', n: ws ? ws.bufferedAmount : 0 });
onmessage = (e) => {
  const m = e.data;
  if (m.op === 'open') {
    try {
      ws = new WebSocket(m.url, m.protocols);
    } catch (err) {
      postMessage({ ev: 'close', code: 1006, reason: String(err && err.message || err) });
      return;
    }
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => postMessage({ ev: 'open', protocol: ws.protocol });
    ws.onmessage = (ev) => {
      const at = performance.timeOrigin + performance.now();
      if (ev.data instanceof ArrayBuffer) postMessage({ ev: 'message', data: ev.data, at }, [ev.data]);
      else postMessage({ ev: 'message', data: ev.data, at });
    };
    ws.onclose = (ev) => postMessage({ ev: 'close', code: ev.code, reason: ev.reason });
    ws.onerror = () => postMessage({ ev: 'error' });
  } else if (m.op === 'send') {
    if (ws && ws.readyState === 1) ws.send(m.data);
    relayBuffered();
  } else if (m.op === 'close') {
    if (ws && ws.readyState <= 1) ws.close(m.code, m.reason);
  }
};
`;

let workerUrl: string | null = null;

function workerScriptUrl(): string {
  workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  return workerUrl;
}

type WorkerEvent =
  | { ev: 'open'; protocol: string }
  | { ev: 'message'; data: unknown; at: number }
  | { ev: 'close'; code: number; reason: string }
  | { ev: 'error' }
  | { ev: 'buffered'; n: number };

export class WorkerSocket implements WebSocketLike {
  binaryType = 'arraybuffer';
  readyState = 0;
  protocol = '';
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown; timeStamp?: number }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  private readonly worker: Worker;
  /** Bytes the worker's socket still held at its last report, plus what was posted since. */
  private buffered = 0;

  constructor(url: string, protocols?: string | string[]) {
    this.worker = new Worker(workerScriptUrl());
    this.worker.onmessage = (e: MessageEvent<WorkerEvent>) => this.onWorker(e.data);
    this.worker.onerror = () => this.onWorker({ ev: 'close', code: 1006, reason: 'socket worker failed' });
    this.worker.postMessage({ op: 'open', url, protocols });
  }

  get bufferedAmount(): number {
    return this.buffered;
  }

  send(data: Uint8Array): void {
    if (this.readyState !== 1) return;
    this.buffered += data.byteLength;
    this.worker.postMessage({ op: 'send', data });
  }

  close(code?: number, reason?: string): void {
    if (this.readyState >= 2) return;
    const opened = this.readyState === 1;
    this.readyState = 2;
    this.worker.postMessage({ op: 'close', code, reason });
    // Never opened: nothing to say goodbye to; do not keep the worker for a handshake.
    if (!opened) this.onWorker({ ev: 'close', code: code ?? 1000, reason: reason ?? '' });
  }

  private onWorker(m: WorkerEvent): void {
    switch (m.ev) {
      case 'open':
        this.readyState = 1;
        this.protocol = m.protocol;
        this.onopen?.({});
        return;
      case 'message':
        this.onmessage?.({ data: m.data, timeStamp: m.at - performance.timeOrigin });
        return;
      case 'buffered':
        this.buffered = m.n;
        return;
      case 'error':
        this.onerror?.({});
        return;
      case 'close':
        if (this.readyState === 3) return;
        this.readyState = 3;
        this.worker.terminate();
        this.onclose?.({ code: m.code, reason: m.reason });
        return;
    }
  }
}

/**
 * The socket factory a game's play connection should use in a page: the worker-hosted one
 * where the page can run a blob: Worker, else the page's own WebSocket. `?socket=page` in
 * the page's query string forces the page's own (to compare the two, or if a browser
 * misbehaves).
 */
export function workerSocketFactory(search = ''): SocketFactory {
  if (new URLSearchParams(search).get('socket') !== 'page' && typeof Worker === 'function' && typeof Blob === 'function' && typeof URL.createObjectURL === 'function') {
    try {
      workerScriptUrl();
      return socketFactoryOf(WorkerSocket as unknown as WebSocketCtor);
    } catch {
      // blob: URLs refused (a strict CSP): the page's WebSocket it is.
    }
  }
  return defaultSocketFactory();
}
