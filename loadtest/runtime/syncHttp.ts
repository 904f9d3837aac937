/**
 * The VU side of synchronous HTTP: post the request to the helper thread, then block this
 * thread in Atomics.wait until the helper flips the shared signal word, and take the answer
 * with receiveMessageOnPort (synchronously, no event loop turn). The wait is sliced so an
 * interrupted iteration stops waiting; a late answer to an abandoned request is discarded.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { HttpRequest, HttpResult } from './httpTypes.js';

const SLICE_MS = 50;

export class SyncHttpClient {
  private readonly signal: Int32Array;
  private nextId = 1;

  constructor(
    private readonly port: MessagePort,
    signal: SharedArrayBuffer,
  ) {
    this.signal = new Int32Array(signal);
  }

  request(req: Omit<HttpRequest, 'id'>, interrupted: () => boolean): HttpResult | null {
    const id = this.nextId++;
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage({ ...req, id });
    for (;;) {
      Atomics.wait(this.signal, 0, 0, SLICE_MS);
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
        const r = m.message as HttpResult;
        if (r.id === id) return r;
      }
      Atomics.store(this.signal, 0, 0);
      if (interrupted()) return null;
    }
  }
}

/** Blocks the thread for `ms`, in slices, returning false early if `interrupted()` turns true. */
export function blockingSleep(ms: number, interrupted: () => boolean): boolean {
  const word = new Int32Array(new SharedArrayBuffer(4));
  const end = Date.now() + ms;
  for (let left = ms; left > 0; left = end - Date.now()) {
    Atomics.wait(word, 0, 0, Math.min(SLICE_MS, left));
    if (interrupted()) return false;
  }
  return true;
}
