/**
 * The one send path for every frame the server writes to one socket (snapshots sent
 * directly, keyframes, events, chat, notices, pongs, responses). It enforces the socket's
 * send-buffer bound: a frame that would take the socket's unsent bytes past `hardBytes` is
 * not written, and the socket is closed as a slow consumer (4016) instead. Frames that reach
 * the socket by topic publish bypass this path; the namespace's backpressure sweep
 * (`overHardLimit`) and the room's per-snapshot check bound those.
 *
 * Why a hard bound on top of the room's soft one: the soft bound only stops snapshots, and
 * every other frame (chat, roster, notices) kept queueing in uWS for a client that stopped
 * reading, so its memory grew without limit.
 */
import type { Metrics } from '../observability/metrics.js';
import type { WebSocket } from '../uws.js';

export interface SendLimits {
  /** Above this many unsent bytes a socket skips snapshots and gets a keyframe once it drains. */
  softBytes: number;
  /** A socket whose unsent bytes would pass this is closed with 4016 (slow consumer). */
  hardBytes: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = { softBytes: 64 * 1024, hardBytes: 512 * 1024 };

export class SocketSender {
  constructor(
    private readonly ws: WebSocket<unknown>,
    private readonly metrics: Metrics,
    private readonly limits: SendLimits,
  ) {}

  /** True when the socket is already past its hard bound (publish fan-out filled it). */
  overHardLimit(): boolean {
    return this.ws.getBufferedAmount() > this.limits.hardBytes;
  }

  /**
   * Writes the frame unless it would pass the hard bound; returns false when it did not
   * write (the caller then closes the socket with 4016).
   */
  send(frame: Uint8Array, kind: string): boolean {
    const buffered = this.ws.getBufferedAmount();
    // An empty queue always takes the frame (a keyframe may be larger than the bound).
    if (buffered > 0 && buffered + frame.byteLength > this.limits.hardBytes) {
      this.metrics.limitHits.inc({ limit: 'send_buffer' });
      return false;
    }
    this.ws.send(frame, true);
    const c = this.metrics.outbound(kind);
    c.frames++;
    c.bytes += frame.byteLength;
    return true;
  }
}
