/** A real HTTP SSE reader (fetch + stream parsing) that lets tests await events. */
import { Conditions } from './conditions.js';
export interface SseEvent {
  id: string | null;
  event: string;
  data: any;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private readonly conditions = new Conditions();
  private readonly abort = new AbortController();

  private constructor(readonly status: number) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const ctrl = new AbortController();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ctrl.signal });
    const client = new SseClient(res.status);
    (client as unknown as { abort: AbortController }).abort = ctrl;
    if (res.status !== 200 || !res.body) {
      client.ended = true;
      return client;
    }
    void client.pump(res.body);
    return client;
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let idx: number;
        while ((idx = buf.indexOf('\n\n')) >= 0) {
          this.parse(buf.slice(0, idx));
          buf = buf.slice(idx + 2);
        }
        this.notify();
      }
    } catch {
      // aborted
    }
    this.ended = true;
    this.notify();
  }

  private parse(block: string): void {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    let fields = 0;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments++;
        continue;
      }
      const i = line.indexOf(':');
      const key = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (key === 'id') id = value;
      else if (key === 'event') event = value;
      else if (key === 'data') data.push(value);
      else continue;
      fields++;
    }
    if (fields === 0 || data.length === 0) return;
    const text = data.join('\n');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep text
    }
    this.events.push({ id, event, data: parsed });
  }

  private notify(): void {
    this.conditions.notify();
  }

  waitFor<T>(pred: () => T | undefined | null | false, what: string, timeoutMs = 8000): Promise<T> {
    return this.conditions.waitFor(pred, `${what} (events so far: ${JSON.stringify(this.events).slice(0, 300)})`, timeoutMs, () =>
      this.ended ? 'stream ended' : null,
    );
  }

  lastId(): string | null {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i].id) return this.events[i].id;
    return null;
  }

  close(): void {
    this.abort.abort();
  }
}
