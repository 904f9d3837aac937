/** Small statistics helpers the netcode modules share. */

/** Median of a list (0 for an empty one); does not modify the input. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The p-quantile (0..1) by nearest rank (0 for an empty list). */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1));
  return s[i];
}

/** A bounded list of the most recent samples. */
export class Window {
  private readonly items: number[] = [];

  constructor(readonly capacity: number) {}

  push(v: number): void {
    this.items.push(v);
    if (this.items.length > this.capacity) this.items.shift();
  }

  get values(): readonly number[] {
    return this.items;
  }

  get length(): number {
    return this.items.length;
  }

  get last(): number | undefined {
    return this.items[this.items.length - 1];
  }

  /** Adds `delta` to every sample (a timeline moved). */
  shift(delta: number): void {
    for (let i = 0; i < this.items.length; i++) this.items[i] += delta;
  }

  clear(): void {
    this.items.length = 0;
  }
}

/** Amount per second over the last `spanMs` (bytes/s, snapshots/s). */
export class RateMeter {
  private readonly events: Array<{ t: number; amount: number }> = [];

  constructor(private readonly spanMs = 1000) {}

  add(now: number, amount = 1): void {
    this.events.push({ t: now, amount });
    this.prune(now);
  }

  rate(now: number): number {
    this.prune(now);
    let sum = 0;
    for (const e of this.events) sum += e.amount;
    return (sum * 1000) / this.spanMs;
  }

  private prune(now: number): void {
    while (this.events.length > 0 && this.events[0].t <= now - this.spanMs) this.events.shift();
  }
}
