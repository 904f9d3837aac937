/**
 * One HTTP request/response over uWS, made safe for async handlers: uWS forbids touching a
 * response after the client aborted, and requires writes from async code to be corked.
 */
import type { HttpResponse } from '../uws.js';
import { requestContext } from './requestLimits.js';
import { statusLine } from '../statusLine.js';

export { statusLine };

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class Exchange {
  aborted = false;
  private done = false;
  /**
   * Set when the body was refused before it was read to the end (too large, wrong type, too
   * slow): the reply then closes the connection, since the rest of the body would otherwise
   * keep the socket busy (and open) after the answer.
   */
  private closeAfterReply = false;
  private deadline: { cancel(): void } | null = null;
  private abortListener: (() => void) | null = null;

  constructor(readonly res: HttpResponse) {
    res.onAborted(() => {
      this.aborted = true;
      this.deadline?.cancel();
      this.abortListener?.();
    });
  }

  /** Runs `fn` if the client goes away before the answer (uWS holds one abort handler: this one). */
  onAbort(fn: () => void): void {
    this.abortListener = fn;
  }

  /** Drops the TCP connection without an answer (what a dead network looks like to the client). */
  drop(): void {
    if (this.aborted || this.done) return;
    this.done = true;
    this.res.close();
  }

  /**
   * Reads the body as JSON, at most `maxBytes`; rejects with HttpError on bad input: 415
   * for a body that is not `application/json`, 413 past `maxBytes`, 408 when the body does
   * not arrive within the request deadline (server/http/requestLimits.ts).
   */
  async readJson(maxBytes = 4096): Promise<unknown> {
    const body = await this.readBody(maxBytes, 'application/json');
    const text = Buffer.from(body).toString('utf8');
    if (text.length === 0) return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, 'body is not valid JSON');
    }
  }

  /**
   * Reads the raw body, at most `maxBytes`, of content type `type` (an empty body needs no
   * type); the same refusals as `readJson`: 415, 413, 408.
   */
  readBody(maxBytes: number, type: string): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      const ctx = requestContext(this.res);
      const refuse = (e: HttpError) => {
        failed = true;
        deadline?.cancel();
        this.closeAfterReply = true;
        reject(e);
      };
      const contentType = ctx?.contentType ?? '';
      const typeOk = contentType === '' || contentType.toLowerCase().split(';')[0].trim() === type;
      const deadline = ctx ? ctx.clock.setTimeout(() => refuse(new HttpError(408, 'request body not received in time')), ctx.bodyTimeoutMs) : null;
      this.deadline = deadline;
      this.res.onData((ab, isLast) => {
        if (failed) return;
        size += ab.byteLength;
        if (!typeOk && size > 0) return refuse(new HttpError(415, `content-type must be ${type} (got ${contentType.slice(0, 60)})`));
        if (size > maxBytes) return refuse(new HttpError(413, `body larger than ${maxBytes} bytes`));
        if (isLast) deadline?.cancel();
        // uWS reuses the chunk's memory after this callback: copy it.
        chunks.push(Buffer.from(ab.slice(0)));
        if (isLast) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      });
    });
  }

  send(status: number, body: string | Uint8Array, headers: Record<string, string> = {}): void {
    if (this.aborted || this.done) return;
    this.done = true;
    this.res.cork(() => {
      this.res.writeStatus(statusLine(status));
      for (const [k, v] of Object.entries(headers)) this.res.writeHeader(k, v);
      this.res.end(body, this.closeAfterReply);
    });
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  }

  error(status: number, message: string): void {
    this.json(status, { error: message });
  }
}
