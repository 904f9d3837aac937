/**
 * Await a condition instead of sleeping: the owner calls `notify()` whenever its state
 * changes (a message, a frame, a close) and `waitFor` re-checks the predicate then.
 */
export class Conditions {
  private waiters: Array<() => void> = [];

  notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  /**
   * Resolves with the predicate's first truthy value; rejects on timeout, when the predicate
   * throws, or when `gone()` says nothing more can change (the stream ended).
   */
  waitFor<T>(pred: () => T | undefined | null | false, what: string, timeoutMs: number, gone?: () => string | null): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = () => {
        let v: T | undefined | null | false;
        try {
          v = pred();
        } catch (e) {
          clearTimeout(timer);
          return reject(e);
        }
        if (v) {
          clearTimeout(timer);
          return resolve(v);
        }
        const why = gone?.();
        if (why) {
          clearTimeout(timer);
          return reject(new Error(`${why} while waiting for ${what}`));
        }
        this.waiters.push(check);
      };
      check();
    });
  }
}
