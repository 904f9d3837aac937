/**
 * Counts what a key holds open at once (WebSocket connections per user per namespace, SSE
 * streams per user) and refuses past a maximum. Keys at zero are deleted, so memory follows
 * what is open, which the limit itself bounds.
 */
export class ConcurrencyLimiter {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Whether `key` may open one more (does not count it: call `acquire` once it is open). */
  allows(key: string): boolean {
    return (this.open.get(key) ?? 0) < this.max;
  }

  acquire(key: string): void {
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
  }

  release(key: string): void {
    const n = (this.open.get(key) ?? 0) - 1;
    if (n > 0) this.open.set(key, n);
    else this.open.delete(key);
  }

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }
}
