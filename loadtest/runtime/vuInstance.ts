/**
 * One VU: its own node:vm context (own globals, as k6 gives every VU its own JS runtime)
 * in which the script's init code ran once, its own instances of the k6 modules, and the
 * iteration runner: call the exported function, then wait for its event loop to drain
 * (see vuLoop.ts).
 */
import { format } from 'node:util';
import vm from 'node:vm';
import { unknownExportMessage, unknownModuleMessage, type ModuleFactory } from './moduleTable.js';
import { ExitCode, Interrupted, RuntimeError } from './errors.js';
import { executionModule } from './modules/execution.js';
import { httpModule } from './modules/http.js';
import { k6Module } from './modules/k6.js';
import { metricsModule } from './modules/metrics.js';
import { timersModule } from './modules/timers.js';
import { websocketsModule } from './modules/websockets.js';
import { VuLoop, type LoopEnd } from './vuLoop.js';
import type { IterationInfo, Phase, ThreadServices, VuState } from './vuServices.js';

/** Names every object answers through Object.prototype; not "unknown exports". */
const OBJECT_KEYS = new Set(['then', 'toJSON', 'toString', 'toLocaleString', 'valueOf', 'constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', '__proto__', '__esModule', 'default']);

/**
 * A module object for the script: its exports as own properties, and a prototype that
 * answers any other name with a one-line error naming the module and the export. The trap
 * sits on the prototype so esbuild's namespace objects (created from this prototype by
 * __toESM) hit it too.
 */
function moduleObject(name: string, exports: Record<string, unknown>, defaultExport: unknown): object {
  const trap = new Proxy(Object.prototype, {
    get(t, key, receiver) {
      if (typeof key === 'symbol' || OBJECT_KEYS.has(key)) return Reflect.get(t, key, receiver);
      throw new RuntimeError(unknownExportMessage(name, key), ExitCode.ScriptException);
    },
  });
  const target: Record<string, unknown> = Object.assign(Object.create(trap), exports, { default: defaultExport });
  Object.defineProperty(target, '__esModule', { value: true });
  return target;
}

function elapsed(startedAt: number): string {
  return String(Math.max(0, Math.floor((Date.now() - startedAt) / 1000))).padStart(4, '0');
}

export class VuInstance implements VuState {
  phase: Phase = 'init';
  loop: VuLoop | null = null;
  iteration: IterationInfo | null = null;
  baseTags: Record<string, string> = {};
  readonly realm: VuState['realm'];
  exports: Record<string, unknown> = {};
  private readonly context: vm.Context;

  constructor(
    readonly id: number,
    readonly services: ThreadServices,
    env: Record<string, string>,
  ) {
    const log = (level: string) => (...args: unknown[]) => services.log(`${level}[${elapsed(services.startedAt)}] ${format(...args)}  source=console vu=${id}`);
    const sandbox: Record<string, unknown> = {
      __VU: id,
      __ITER: 0,
      console: { log: log('INFO'), info: log('INFO'), warn: log('WARN'), error: log('ERRO'), debug: log('DEBU') },
      open: () => {
        throw new Error('open() is not supported by this runtime (bundle the data into the script, or run it with k6)');
      },
    };
    this.context = vm.createContext(sandbox, { name: `VU ${id}` });
    this.realm = vm.runInContext('({ ArrayBuffer, Uint8Array, JSON })', this.context);
    sandbox.__ENV = this.realm.JSON.parse(JSON.stringify(env));
  }

  /** Runs the script's init code in this VU's context. */
  init(script: vm.Script): void {
    const modules: Record<string, () => object> = {
      k6: () => moduleObject('k6', k6Module(this), undefined),
      'k6/http': () => {
        const http = httpModule(this);
        return moduleObject('k6/http', http, http);
      },
      'k6/websockets': () => moduleObject('k6/websockets', websocketsModule(this), undefined),
      'k6/timers': () => moduleObject('k6/timers', timersModule(this), undefined),
      'k6/metrics': () => moduleObject('k6/metrics', metricsModule(this), undefined),
      'k6/execution': () => moduleObject('k6/execution', {}, executionModule(this)),
    };
    const cache = new Map<string, object>();
    const require = (name: string) => {
      const make = modules[name];
      if (!make) throw new RuntimeError(unknownModuleMessage(name), ExitCode.ScriptException);
      let m = cache.get(name);
      if (!m) cache.set(name, (m = make()));
      return m;
    };
    const factory = script.runInContext(this.context) as ModuleFactory;
    const module = { exports: {} as Record<string, unknown> };
    factory(module.exports, require, module);
    this.exports = module.exports;
  }

  requireLoop(what: string): VuLoop {
    if (!this.loop || !this.loop.alive) throw new Error(`${what}: only allowed inside VU code (not in the init context)`);
    return this.loop;
  }

  interrupted(): boolean {
    return this.iteration !== null && this.services.isInterrupted(this.id, this.iteration.seq);
  }

  /** Runs exported function `name` with `arg` and waits until its event loop drains. */
  async call(name: string, phase: Phase, arg: unknown, iteration: IterationInfo | null): Promise<LoopEnd & { value?: unknown }> {
    const fn = this.exports[name];
    if (typeof fn !== 'function') {
      return { status: 'error', error: new RuntimeError(`the script exports no function "${name}"`, ExitCode.InvalidConfig) };
    }
    const loop = new VuLoop();
    this.loop = loop;
    this.phase = phase;
    this.iteration = iteration;
    this.baseTags = iteration ? { scenario: iteration.scenario.name } : {};
    (this.context as Record<string, unknown>).__ITER = iteration?.iterationInScenario ?? 0;
    let value: unknown;
    try {
      value = fn(arg);
      if (value && typeof (value as Promise<unknown>).then === 'function') {
        const pending = { cancel: () => {} };
        loop.add(pending);
        (value as Promise<unknown>).then(
          (v) => {
            value = v;
            loop.remove(pending);
          },
          (err) => loop.end(err instanceof Interrupted ? 'interrupted' : 'error', err),
        );
      }
      loop.mainReturned();
    } catch (err) {
      loop.end(err instanceof Interrupted ? 'interrupted' : 'error', err);
    }
    const end = await loop.done;
    this.loop = null;
    this.iteration = null;
    this.phase = 'iteration';
    if (end.status === 'error' && end.error instanceof Interrupted) return { status: 'interrupted' };
    return { ...end, value };
  }

  /** The scheduler's interrupt: cancels the iteration's pending work if it is still `seq`. */
  interrupt(seq: number): void {
    if (this.iteration?.seq === seq) this.loop?.end('interrupted');
  }

  /** Setup data enters the VU as JSON parsed in its own realm (k6 copies it per VU too). */
  parseData(json: string | null): unknown {
    return json === null ? undefined : this.realm.JSON.parse(json);
  }
}

