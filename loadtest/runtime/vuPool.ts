/**
 * The scheduler's side of the VU threads: starts them (each VU's init code runs there),
 * routes iterations to the thread hosting a VU, feeds their samples into the registry, and
 * interrupts iterations (a shared flag for blocking calls, a message for pending events).
 *
 * Threads: one per VU up to MAX_VU_THREADS, beyond that VUs share threads round-robin (a VU
 * blocked in sleep() or in a synchronous HTTP call then delays the others on its thread).
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { ExitCode, RuntimeError } from './errors.js';
import type { MetricRegistry } from './metricRegistry.js';
import type { LoopStatus } from './vuLoop.js';
import type { IterationInfo } from './vuServices.js';
import type { FromWorker, ToWorker, WorkerInit } from './workerProtocol.js';

export const MAX_VU_THREADS = 64;

/** VU ids 1..vuCount spread over min(vuCount, maxThreads) threads, round-robin. */
export function threadGroups(vuCount: number, maxThreads = MAX_VU_THREADS): number[][] {
  const threads = Math.min(vuCount, maxThreads);
  const groups: number[][] = Array.from({ length: threads }, () => []);
  for (let vu = 1; vu <= vuCount; vu++) groups[(vu - 1) % threads].push(vu);
  return groups;
}

export interface IterationResult {
  status: LoopStatus;
  durationMs: number;
}

export class VuPool {
  private readonly workers: Worker[] = [];
  private readonly threadOf = new Map<number, Worker>();
  private readonly waiting = new Map<string, (r: IterationResult) => void>();
  private readonly flags: Int32Array;
  private seq = 0;
  private current = new Map<number, number>();

  constructor(
    private readonly o: {
      workerUrl: URL;
      script: { path: string; source: string };
      env: Record<string, string>;
      vuCount: number;
      registry: MetricRegistry;
      httpWorker: Worker;
      startedAt: number;
      onAbort: (reason: string) => void;
      onFatal: (err: RuntimeError) => void;
    },
  ) {
    this.flags = new Int32Array(new SharedArrayBuffer(4 * (o.vuCount + 1)));
  }

  /** Starts the threads; resolves when every VU has run its init code. */
  async start(): Promise<void> {
    await Promise.all(threadGroups(this.o.vuCount).map((vus) => this.spawn(vus)));
  }

  private spawn(vus: number[]): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    const httpSignal = new SharedArrayBuffer(4);
    this.o.httpWorker.postMessage({ port: port1, signal: httpSignal }, [port1]);
    const data: WorkerInit & { httpPort: typeof port2 } = {
      script: this.o.script,
      env: this.o.env,
      vus,
      interruptFlags: this.flags.buffer as SharedArrayBuffer,
      httpSignal,
      startedAt: this.o.startedAt,
      httpPort: port2,
    };
    const worker = new Worker(this.o.workerUrl, { workerData: data, transferList: [port2], stdout: false, stderr: false });
    this.workers.push(worker);
    for (const vu of vus) this.threadOf.set(vu, worker);
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: FromWorker) => {
        switch (m.t) {
          case 'stopped':
            void worker.terminate();
            return;
          case 'ready':
            ready = true;
            resolve();
            return;
          case 'fatal': {
            const err = new RuntimeError(m.message, m.exitCode);
            if (!ready) reject(err);
            else this.o.onFatal(err);
            return;
          }
          case 'define':
            try {
              this.o.registry.define(m.name, m.type, m.contains);
            } catch (err) {
              this.o.onFatal(err as RuntimeError);
            }
            return;
          case 'samples':
            for (const [metric, value, tags] of m.samples) this.o.registry.add({ metric, value, tags });
            return;
          case 'done':
            this.waiting.get(`${m.vu}:${m.seq}`)?.({ status: m.status, durationMs: m.durationMs });
            this.waiting.delete(`${m.vu}:${m.seq}`);
            return;
          case 'abort':
            this.o.onAbort(m.reason);
            return;
        }
      });
      worker.on('error', (err) => {
        const e = new RuntimeError(`a VU thread crashed: ${err.message}`, ExitCode.ScriptException);
        if (!ready) reject(e);
        else this.o.onFatal(e);
      });
    });
  }

  /** Runs one iteration on `vu`; resolves when it completed, failed or was interrupted. */
  iterate(vu: number, info: Omit<IterationInfo, 'seq'>): Promise<IterationResult> {
    const seq = ++this.seq;
    this.current.set(vu, seq);
    const msg: ToWorker = { t: 'iterate', vu, seq, ...info };
    return new Promise((resolve) => {
      this.waiting.set(`${vu}:${seq}`, resolve);
      this.threadOf.get(vu)!.postMessage(msg);
    }).finally(() => {
      if (this.current.get(vu) === seq) this.current.delete(vu);
    }) as Promise<IterationResult>;
  }

  interrupt(vu: number): void {
    const seq = this.current.get(vu);
    if (seq === undefined) return;
    Atomics.store(this.flags, vu, seq);
    this.threadOf.get(vu)!.postMessage({ t: 'interrupt', vu, seq } satisfies ToWorker);
  }

  interruptAll(): void {
    for (const vu of [...this.current.keys()]) this.interrupt(vu);
  }

  get busy(): number {
    return this.current.size;
  }

  /** Lets each thread flush its last samples, then ends it. */
  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate().then(() => resolve()), 5000);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            w.postMessage({ t: 'stop' } satisfies ToWorker);
          }),
      ),
    );
  }
}
