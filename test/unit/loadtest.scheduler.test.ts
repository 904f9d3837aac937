/**
 * The runtime's executors on a manual clock with a fake VU driver whose iterations take a
 * fixed time: when iterations start, how many VUs run, when running ones are interrupted.
 */
import { describe, expect, it } from 'vitest';
import { planFromOptions } from '../../loadtest/runtime/options.js';
import { ScenarioRun, type VuDriver } from '../../loadtest/runtime/scheduler.js';
import type { IterationResult } from '../../loadtest/runtime/vuPool.js';
import type { IterationInfo } from '../../loadtest/runtime/vuServices.js';
import { ManualClock } from '../../server/clock.js';

interface Started {
  vu: number;
  at: number;
  info: Omit<IterationInfo, 'seq'>;
  end?: { at: number; status: string };
}

class FakeDriver implements VuDriver {
  readonly started: Started[] = [];
  private readonly running = new Map<number, { s: Started; timer: { cancel(): void }; resolve: (r: IterationResult) => void }>();
  constructor(
    private readonly clock: ManualClock,
    private readonly iterationMs: number,
  ) {}

  get concurrent(): number {
    return this.running.size;
  }

  iterate(vu: number, info: Omit<IterationInfo, 'seq'>): Promise<IterationResult> {
    const s: Started = { vu, at: this.clock.now(), info };
    this.started.push(s);
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => this.finish(vu, 'ok'), this.iterationMs);
      this.running.set(vu, { s, timer, resolve });
    });
  }

  interrupt(vu: number): void {
    this.finish(vu, 'interrupted');
  }

  private finish(vu: number, status: 'ok' | 'interrupted'): void {
    const r = this.running.get(vu);
    if (!r) return;
    this.running.delete(vu);
    r.timer.cancel();
    r.s.end = { at: this.clock.now(), status };
    r.resolve({ status, durationMs: r.s.end.at - r.s.at });
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** Runs a scenario to its end in 10 ms steps; `probe` sees the driver at each step. */
async function runScenario(options: unknown, iterationMs: number, probe?: (now: number, d: FakeDriver) => void) {
  const clock = new ManualClock(0);
  const [plan] = planFromOptions(options).scenarios;
  const d = new FakeDriver(clock, iterationMs);
  const vus = Array.from({ length: 10 }, (_, i) => i + 1);
  const run = new ScenarioRun(plan, vus, d, null, clock);
  let finished = false;
  const done = run.run().then(() => (finished = true));
  for (let steps = 0; !finished && steps < 10_000; steps++) {
    await flush();
    probe?.(clock.now(), d);
    clock.advance(10);
  }
  await done;
  return { d, endedAt: clock.now() };
}

describe('executors', () => {
  it('constant-vus: iterations back to back until duration; the last ones finish within gracefulStop', async () => {
    const { d } = await runScenario({ scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '500ms' } } }, 300);
    expect(d.started.map((s) => [s.vu, s.at, s.info.iterationInScenario])).toEqual([
      [1, 0, 0], [2, 0, 0], [1, 300, 1], [2, 300, 1], [1, 600, 2], [2, 600, 2], [1, 900, 3], [2, 900, 3],
    ]);
    expect(d.started.every((s) => s.end?.status === 'ok')).toBe(true);
    expect(d.started.map((s) => s.info.iterationInTest).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('constant-vus: an iteration still running at duration + gracefulStop is interrupted', async () => {
    const { d } = await runScenario({ scenarios: { s: { executor: 'constant-vus', vus: 3, duration: '1s', gracefulStop: '500ms' } } }, 5000);
    expect(d.started).toHaveLength(3);
    expect(d.started.map((s) => s.end)).toEqual([1, 2, 3].map(() => ({ at: 1500, status: 'interrupted' })));
  });

  it('per-vu-iterations and shared-iterations run exactly their iteration counts', async () => {
    const per = await runScenario({ scenarios: { s: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } } }, 100);
    expect(per.d.started.map((s) => `${s.vu}:${s.info.iterationInScenario}`).sort()).toEqual(['1:0', '1:1', '1:2', '2:0', '2:1', '2:2']);
    const shared = await runScenario({ scenarios: { s: { executor: 'shared-iterations', vus: 3, iterations: 10 } } }, 100);
    expect(shared.d.started).toHaveLength(10);
    expect(shared.d.started.map((s) => s.info.iterationInTest).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(shared.d.started.map((s) => s.vu))).toEqual(new Set([1, 2, 3]));
  });

  it('per-vu-iterations: maxDuration stops new iterations and gracefulStop interrupts', async () => {
    const { d } = await runScenario({ scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 100, maxDuration: '1s', gracefulStop: '0s' } } }, 400);
    expect(d.started.map((s) => [s.at, s.end?.status])).toEqual([[0, 'ok'], [400, 'ok'], [800, 'interrupted']]);
  });

  it('ramping-vus: the VU count follows the stages; ramped-down VUs get gracefulRampDown', async () => {
    const peaks: Array<[number, number]> = [];
    const { d } = await runScenario(
      {
        scenarios: {
          r: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1s', target: 4 }, { duration: '1s', target: 4 }, { duration: '1s', target: 0 }], gracefulRampDown: '200ms', gracefulStop: '0s' },
        },
      },
      500,
      (now, driver) => {
        if (now % 250 === 0) peaks.push([now, driver.concurrent]);
      },
    );
    const at = (t: number) => peaks.find(([n]) => n === t)?.[1];
    expect([at(250), at(500), at(1500), at(2000)]).toEqual([1, 2, 4, 4]);
    expect(Math.max(...peaks.map(([, c]) => c))).toBe(4);
    expect(new Set(d.started.map((s) => s.vu))).toEqual(new Set([1, 2, 3, 4]));
    // No iteration starts after the last stage; VUs ramped down mid-iteration were cut
    // gracefulRampDown after their ramp-down, not at the end.
    expect(d.started.every((s) => s.at < 3000)).toBe(true);
    expect(d.started.filter((s) => s.end?.status === 'interrupted').length).toBeGreaterThan(0);
    expect(d.started.every((s) => s.end!.at - s.at <= 500)).toBe(true);
  });

  it('startTime delays the scenario, and exec.scenario.startTime is when it started', async () => {
    const { d } = await runScenario({ scenarios: { s: { executor: 'shared-iterations', vus: 1, iterations: 1, startTime: '2s', exec: 'probe' } } }, 100);
    expect(d.started.map((s) => [s.at, s.info.exec, s.info.scenario])).toEqual([[2000, 'probe', { name: 's', executor: 'shared-iterations', startTime: 2000 }]]);
  });
});
