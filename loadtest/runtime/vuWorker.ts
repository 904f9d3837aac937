/**
 * A VU thread: hosts some VUs (each in its own vm context), runs the iterations the
 * scheduler asks for, and streams metric samples back in batches. Blocking calls (sleep,
 * synchronous HTTP) block only this thread, which is why the runtime gives each VU its own
 * thread up to a limit (see vuPool.ts).
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { compileScript } from './moduleTable.js';
import { describeScriptError, ExitCode, RuntimeError } from './errors.js';
import type { MetricContains, MetricType } from './metricSinks.js';
import { blockingSleep, SyncHttpClient } from './syncHttp.js';
import { VuInstance } from './vuInstance.js';
import type { ThreadServices } from './vuServices.js';
import type { FromWorker, ToWorker, WireSample, WorkerInit } from './workerProtocol.js';

const init = workerData as WorkerInit & { httpPort: MessagePort };
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const flags = new Int32Array(init.interruptFlags);
const http = new SyncHttpClient(init.httpPort, init.httpSignal);
const defined = new Set<string>();
let batch: WireSample[] = [];

const flush = () => {
  if (batch.length === 0) return;
  post({ t: 'samples', samples: batch });
  batch = [];
};

const services: ThreadServices = {
  define(name: string, type: MetricType, contains: MetricContains) {
    if (defined.has(name)) return;
    defined.add(name);
    post({ t: 'define', name, type, contains });
  },
  emit(metric, value, tags) {
    batch.push([metric, value, tags]);
    if (batch.length >= 2000) flush();
  },
  sleep: (ms, interrupted) => blockingSleep(ms, interrupted),
  http: (req, interrupted) => http.request(req, interrupted),
  isInterrupted: (vu, seq) => Atomics.load(flags, vu) === seq,
  abortTest: (reason) => post({ t: 'abort', reason }),
  log: (line) => process.stderr.write(`${line}\n`),
  startedAt: init.startedAt,
};

const vus = new Map<number, VuInstance>();
try {
  const script = compileScript(init.script);
  for (const id of init.vus) {
    const vu = new VuInstance(id, services, init.env);
    vu.init(script);
    vus.set(id, vu);
  }
  flush();
  post({ t: 'ready' });
} catch (err) {
  post({ t: 'fatal', message: `init of a VU failed: ${describeScriptError(err)}`, exitCode: err instanceof RuntimeError ? err.exitCode : ExitCode.ScriptException });
}

setInterval(flush, 100);

// A promise the script rejects without handling must not take the thread (and its VUs) down:
// k6 logs it, so do we.
process.on('unhandledRejection', (reason) => services.log(`ERRO[${String(Math.floor((Date.now() - init.startedAt) / 1000)).padStart(4, '0')}] Uncaught (in promise) ${describeScriptError(reason)}`));

port.on('message', (m: ToWorker) => {
  if (m.t === 'stop') {
    // The scheduler ends this thread when it gets 'stopped', so nothing posted is lost.
    flush();
    post({ t: 'stopped' });
    return;
  }
  const vu = vus.get(m.vu);
  if (!vu) return;
  if (m.t === 'interrupt') {
    vu.interrupt(m.seq);
    return;
  }
  const { t: _t, vu: _vu, ...info } = m;
  const started = performance.now();
  void vu.call(info.exec, 'iteration', vu.parseData(info.dataJson), info).then((end) => {
    const durationMs = performance.now() - started;
    if (end.status === 'error') services.log(`ERRO[${String(Math.floor((Date.now() - init.startedAt) / 1000)).padStart(4, '0')}] ${describeScriptError(end.error)}  executor=${info.scenario.executor} scenario=${info.scenario.name} vu=${m.vu}`);
    if (end.status !== 'interrupted') {
      const tags = { scenario: info.scenario.name };
      services.emit('iterations', 1, tags);
      services.emit('iteration_duration', durationMs, tags);
    }
    flush();
    post({ t: 'done', vu: m.vu, seq: info.seq, status: end.status, durationMs });
  });
});
