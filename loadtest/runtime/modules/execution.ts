/**
 * `k6/execution` (default export): scenario {name, executor, startTime, iterationInTest,
 * iterationInInstance},
 * vu {idInInstance, idInTest, iterationInInstance, iterationInScenario}, test {abort()}.
 * Like k6, scenario and iteration data are only readable while the VU runs an iteration.
 */
import type { VuState } from '../vuServices.js';

export function executionModule(vu: VuState) {
  const current = (what: string) => {
    if (!vu.iteration) throw new Error(`exec.${what}: scenario information is only available inside a VU iteration`);
    return vu.iteration;
  };
  const exec = {
    get scenario() {
      const it = current('scenario');
      return { name: it.scenario.name, executor: it.scenario.executor, startTime: it.scenario.startTime, iterationInInstance: it.iterationInTest, iterationInTest: it.iterationInTest };
    },
    get vu() {
      const it = current('vu');
      // Each VU belongs to one scenario here, so its instance-wide count is its scenario count.
      return { idInInstance: vu.id, idInTest: vu.id, iterationInInstance: it.iterationInScenario, iterationInScenario: it.iterationInScenario };
    },
    get instance(): never {
      throw new Error('exec.instance is not supported by this runtime (run the script with k6)');
    },
    test: {
      abort(reason?: string): never {
        vu.services.abortTest(reason ?? 'test aborted by the script');
        throw new Error(`test aborted: ${reason ?? 'exec.test.abort()'}`);
      },
    },
  };
  return exec;
}
