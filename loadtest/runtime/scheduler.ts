/**
 * The executors, on the main thread, driving VUs through the pool:
 *   constant-vus       `vus` VUs loop iterations for `duration`
 *   ramping-vus        the active VU count follows `stages` linearly from `startVUs`; a VU
 *                      ramped down finishes its iteration within `gracefulRampDown`
 *   per-vu-iterations  each VU runs `iterations`, within `maxDuration`
 *   shared-iterations  the VUs share `iterations`, within `maxDuration`
 * No iteration starts after a scenario's end; running ones get `gracefulStop`, then are
 * interrupted. Each scenario has its own VUs (ids allocated in scenario order).
 */
import { rampTarget, type ScenarioPlan } from './options.js';
import type { IterationResult } from './vuPool.js';
import type { IterationInfo } from './vuServices.js';

export interface VuDriver {
  iterate(vu: number, info: Omit<IterationInfo, 'seq'>): Promise<IterationResult>;
  interrupt(vu: number): void;
}

interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

export class ScenarioRun {
  private aborted = false;
  private readonly timers: Array<{ cancel(): void }> = [];
  private readonly active = new Set<number>();
  private iterationsInTest = 0;
  private startTime = 0;

  constructor(
    readonly plan: ScenarioPlan,
    /** The VU ids this scenario owns. */
    readonly vus: number[],
    private readonly driver: VuDriver,
    private readonly dataJson: string | null,
    private readonly clock: Clock = realClock,
  ) {}

  /** VUs currently inside an iteration (the `vus` gauge). */
  get activeVUs(): number {
    return this.active.size;
  }

  abort(): void {
    this.aborted = true;
    for (const vu of this.active) this.driver.interrupt(vu);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.push(this.clock.setTimeout(resolve, Math.max(0, ms))));
  }

  private async iterate(vu: number, indexInScenario: number, indexInTest: number): Promise<void> {
    this.active.add(vu);
    try {
      await this.driver.iterate(vu, {
        exec: this.plan.exec,
        scenario: { name: this.plan.name, executor: this.plan.executor, startTime: this.startTime },
        iterationInScenario: indexInScenario,
        iterationInTest: indexInTest,
        dataJson: this.dataJson,
      });
    } finally {
      this.active.delete(vu);
    }
  }

  /** Interrupts whatever still runs at `at` (the hard end: end + graceful period). */
  private hardStopAt(at: number): void {
    this.timers.push(this.clock.setTimeout(() => this.abort(), Math.max(0, at - this.clock.now())));
  }

  async run(): Promise<void> {
    if (this.plan.startTimeMs > 0) await this.sleep(this.plan.startTimeMs);
    if (this.aborted) return;
    this.startTime = this.clock.now();
    try {
      await this.execute();
    } finally {
      for (const t of this.timers.splice(0)) t.cancel();
    }
  }

  private async execute(): Promise<void> {
    const p = this.plan;
    const start = this.startTime;
    const open = (end: number) => !this.aborted && this.clock.now() < end;
    switch (p.executor) {
      case 'constant-vus': {
        const end = start + p.durationMs;
        this.hardStopAt(end + p.gracefulStopMs);
        await Promise.all(
          this.vus.slice(0, p.vus).map(async (vu) => {
            for (let i = 0; open(end); i++) await this.iterate(vu, i, this.iterationsInTest++);
          }),
        );
        return;
      }
      case 'per-vu-iterations': {
        const end = start + p.maxDurationMs;
        this.hardStopAt(end + p.gracefulStopMs);
        await Promise.all(
          this.vus.slice(0, p.vus).map(async (vu) => {
            for (let i = 0; i < p.iterations && open(end); i++) await this.iterate(vu, i, this.iterationsInTest++);
          }),
        );
        return;
      }
      case 'shared-iterations': {
        const end = start + p.maxDurationMs;
        this.hardStopAt(end + p.gracefulStopMs);
        await Promise.all(
          this.vus.slice(0, p.vus).map(async (vu) => {
            for (let i = 0; this.iterationsInTest < p.iterations && open(end); i++) await this.iterate(vu, i, this.iterationsInTest++);
          }),
        );
        return;
      }
      case 'ramping-vus':
        return this.ramp(p);
    }
  }

  private async ramp(p: Extract<ScenarioPlan, { executor: 'ramping-vus' }>): Promise<void> {
    const start = this.startTime;
    const end = start + p.stages.reduce((n, s) => n + s.durationMs, 0);
    const wanted = new Set<number>();
    const loops = new Map<number, Promise<void>>();
    const rampDownTimers = new Map<number, { cancel(): void }>();
    const counts = new Map<number, number>();
    const runVu = async (vu: number) => {
      while (wanted.has(vu) && !this.aborted && this.clock.now() < end) {
        const i = counts.get(vu) ?? 0;
        counts.set(vu, i + 1);
        await this.iterate(vu, i, this.iterationsInTest++);
      }
      rampDownTimers.get(vu)?.cancel();
      rampDownTimers.delete(vu);
      loops.delete(vu);
    };
    const adjust = () => {
      const target = Math.min(this.vus.length, rampTarget(p.startVUs, p.stages, this.clock.now() - start));
      this.vus.forEach((vu, index) => {
        if (index < target && !wanted.has(vu)) {
          wanted.add(vu);
          rampDownTimers.get(vu)?.cancel();
          rampDownTimers.delete(vu);
          if (!loops.has(vu)) loops.set(vu, runVu(vu));
        } else if (index >= target && wanted.has(vu)) {
          // Ramped down: no new iteration; the current one has gracefulRampDown to finish.
          wanted.delete(vu);
          if (loops.has(vu)) rampDownTimers.set(vu, this.clock.setTimeout(() => this.driver.interrupt(vu), p.gracefulRampDownMs));
        }
      });
    };
    while (!this.aborted && this.clock.now() < end) {
      adjust();
      await this.sleep(Math.min(100, end - this.clock.now()));
    }
    wanted.clear();
    this.hardStopAt(end + p.gracefulStopMs);
    await Promise.all([...loops.values()]);
    for (const t of rampDownTimers.values()) t.cancel();
  }
}
