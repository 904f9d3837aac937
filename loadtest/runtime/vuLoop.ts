/**
 * One VU iteration's event loop, as k6 runs it: the iteration ends when the exported
 * function has returned AND nothing it started is pending any more (timers, open
 * WebSockets, a returned promise). An exception in any callback ends the iteration with an
 * error; an interrupt (end of the scenario's graceful stop) cancels everything pending, and
 * no callback of that iteration runs afterwards.
 */

export interface Handle {
  /** Stops the underlying timer or socket; no callback may reach the script after this. */
  cancel(): void;
}

export type LoopStatus = 'ok' | 'error' | 'interrupted';

export interface LoopEnd {
  status: LoopStatus;
  error?: unknown;
}

export class VuLoop {
  readonly done: Promise<LoopEnd>;
  private readonly pending = new Set<Handle>();
  private settle!: (end: LoopEnd) => void;
  private settled = false;
  private returned = false;

  constructor() {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  get alive(): boolean {
    return !this.settled;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  add(h: Handle): void {
    if (this.settled) {
      h.cancel();
      return;
    }
    this.pending.add(h);
  }

  remove(h: Handle, checkIdle = true): void {
    this.pending.delete(h);
    if (checkIdle) this.checkIdle();
  }

  /** Runs script code for this iteration; ignored once the iteration is over. */
  run(fn: () => void): void {
    if (this.settled) return;
    try {
      fn();
    } catch (err) {
      this.end('error', err);
      return;
    }
    this.checkIdle();
  }

  /** The exported function returned (its own pending work may continue). */
  mainReturned(): void {
    this.returned = true;
    this.checkIdle();
  }

  end(status: LoopStatus, error?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    const handles = [...this.pending];
    this.pending.clear();
    for (const h of handles) h.cancel();
    this.settle({ status, error });
  }

  private checkIdle(): void {
    if (!this.settled && this.returned && this.pending.size === 0) this.end('ok');
  }
}
