/** `k6`: check, sleep, fail. */
import { Interrupted } from '../errors.js';
import type { VuState } from '../vuServices.js';

export function k6Module(vu: VuState) {
  return {
    check(value: unknown, sets: Record<string, unknown>, tags?: Record<string, string>): boolean {
      let all = true;
      for (const [name, test] of Object.entries(sets ?? {})) {
        const ok = typeof test === 'function' ? Boolean(test(value)) : Boolean(test);
        vu.services.emit('checks', ok ? 1 : 0, { ...vu.baseTags, ...(tags ?? {}), check: name });
        all &&= ok;
      }
      return all;
    },
    sleep(seconds: number): void {
      const ms = Number(seconds) * 1000;
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`sleep(${String(seconds)}): expected a number of seconds ≥ 0`);
      if (!vu.services.sleep(ms, () => vu.interrupted())) throw new Interrupted();
    },
    fail(message?: string): never {
      throw new Error(message ?? 'fail() called');
    },
  };
}
