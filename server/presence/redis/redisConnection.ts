/**
 * The node's two Redis connections (node-redis): one for commands, one subscriber
 * (a subscribed connection cannot send other commands). Tracks whether Redis is reachable
 * so callers answer 503 at once instead of queueing: the offline queue is disabled, and a
 * command while Redis is down rejects with `RedisUnavailableError`.
 *
 * Start-up fails fast (`connectRedis` rejects with one line) when Redis cannot be reached;
 * once started, the client reconnects forever with a capped backoff and `onReady` listeners
 * run after every reconnect (the cluster re-registers its node and matches there).
 */
import { createClient, type RedisClientType } from 'redis';

export class RedisUnavailableError extends Error {
  /** HTTP status a REST caller should answer with. */
  readonly status = 503;
}

export interface RedisStatus {
  up: boolean;
  /** Why it is down (the last connection error), for /readyz. */
  detail: string;
  errors: number;
  reconnects: number;
}

export interface RedisConnectionOptions {
  /** Give up connecting at start after this long, ms. */
  connectTimeoutMs?: number;
  /** Longest wait between reconnection attempts, ms. */
  maxBackoffMs?: number;
}

type Client = RedisClientType;

/** redis://user:pass@host → redis://user:***@host (never log a password). */
export function redactRedisUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

export class RedisConnection {
  private upState = false;
  private lastError = '';
  private errorCount = 0;
  private reconnectCount = 0;
  private readyListeners = new Set<() => void>();
  private downListeners = new Set<() => void>();
  private closing = false;
  /** Commands sent (each one round trip; a pipelined script counts once). */
  commandsSent = 0;

  private constructor(
    readonly url: string,
    readonly command: Client,
    readonly subscriber: Client,
  ) {}

  static async connect(url: string, o: RedisConnectionOptions = {}): Promise<RedisConnection> {
    let started = false;
    const maxBackoff = o.maxBackoffMs ?? 1000;
    const make = () =>
      createClient({
        url,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: o.connectTimeoutMs ?? 3000,
          // Before start-up finished: fail (the CLI exits 1). After: retry forever, capped.
          reconnectStrategy: (retries: number, cause: Error) => (started ? Math.min(50 * 2 ** Math.min(retries, 5), maxBackoff) : cause),
        },
      }) as unknown as Client;
    const command = make();
    const subscriber = make();
    const conn = new RedisConnection(url, command, subscriber);
    for (const c of [command, subscriber]) {
      c.on('error', (e: Error) => conn.failed(e));
      c.on('ready', () => conn.readied());
      c.on('end', () => conn.failed(new Error('connection closed')));
      c.on('reconnecting', () => conn.reconnectCount++);
    }
    try {
      await Promise.all([command.connect(), subscriber.connect()]);
    } catch (e) {
      for (const c of [command, subscriber]) if (c.isOpen) c.destroy();
      const why = (e as Error).message || (e as { code?: string }).code || 'connection refused';
      throw new RedisUnavailableError(`cannot reach Redis at ${redactRedisUrl(url)} (${why}): start Redis or fix --redis / TICKWIRE_REDIS_URL`);
    }
    started = true;
    conn.upState = true;
    return conn;
  }

  get up(): boolean {
    return this.upState && this.command.isReady && this.subscriber.isReady;
  }

  status(): RedisStatus {
    return { up: this.up, detail: this.up ? '' : this.lastError || 'connection lost', errors: this.errorCount, reconnects: this.reconnectCount };
  }

  /** Runs after every reconnect (both connections ready again). Returns the remover. */
  onReady(fn: () => void): () => void {
    this.readyListeners.add(fn);
    return () => this.readyListeners.delete(fn);
  }

  onDown(fn: () => void): () => void {
    this.downListeners.add(fn);
    return () => this.downListeners.delete(fn);
  }

  /** One raw command; rejects with RedisUnavailableError while Redis is down. */
  async send<T>(args: string[]): Promise<T> {
    if (!this.up) throw new RedisUnavailableError(this.unavailableMessage());
    this.commandsSent++;
    try {
      return (await this.command.sendCommand(args)) as T;
    } catch (e) {
      if (!this.command.isReady) throw new RedisUnavailableError(this.unavailableMessage());
      throw e;
    }
  }

  unavailableMessage(): string {
    return 'Redis is unreachable: matchmaking and the lobby are unavailable, retry shortly';
  }

  async close(): Promise<void> {
    this.closing = true;
    this.upState = false;
    for (const c of [this.subscriber, this.command]) {
      if (!c.isOpen) continue;
      try {
        await c.close();
      } catch {
        c.destroy();
      }
    }
  }

  private failed(e: Error): void {
    if (this.closing) return;
    this.errorCount++;
    this.lastError = e.message || (e as { code?: string }).code || 'error';
    if (this.upState) {
      this.upState = false;
      for (const fn of [...this.downListeners]) fn();
    }
  }

  private readied(): void {
    if (this.closing || this.upState || !this.command.isReady || !this.subscriber.isReady) return;
    this.upState = true;
    for (const fn of [...this.readyListeners]) fn();
  }
}
