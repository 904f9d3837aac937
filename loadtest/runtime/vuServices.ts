/**
 * What the k6 modules of one VU need from the thread hosting it: where samples go, how to
 * block (sleep, synchronous HTTP), and the state of the current iteration. The modules are
 * written against this interface so the same code runs in worker threads and, for
 * setup/teardown/handleSummary, on the main thread.
 */
import type { HttpRequest, HttpResult } from './httpTypes.js';
import type { MetricContains, MetricType } from './metricSinks.js';
import type { VuLoop } from './vuLoop.js';

export type Phase = 'init' | 'setup' | 'iteration' | 'teardown' | 'summary';

export interface IterationInfo {
  seq: number;
  exec: string;
  scenario: { name: string; executor: string; startTime: number };
  iterationInScenario: number;
  iterationInTest: number;
  /** setup()'s result as JSON, or null. */
  dataJson: string | null;
}

export interface ThreadServices {
  define(name: string, type: MetricType, contains: MetricContains): void;
  emit(metric: string, value: number, tags: Record<string, string>): void;
  /** Blocks the thread; returns false if the VU's iteration was interrupted meanwhile. */
  sleep(ms: number, interrupted: () => boolean): boolean;
  /** Blocks the thread until the HTTP helper answers; null if interrupted meanwhile. */
  http(req: Omit<HttpRequest, 'id'>, interrupted: () => boolean): HttpResult | null;
  /** Whether iteration `seq` of VU `vu` has been interrupted by the scheduler. */
  isInterrupted(vu: number, seq: number): boolean;
  abortTest(reason: string): void;
  log(line: string): void;
  /** When the test started (scenario clock), ms since epoch; for log prefixes. */
  readonly startedAt: number;
}

/** The per-VU state modules read. */
export interface VuState {
  readonly id: number;
  phase: Phase;
  loop: VuLoop | null;
  iteration: IterationInfo | null;
  /** Tags on every sample of this VU (k6 adds `scenario`). */
  baseTags: Record<string, string>;
  /** Constructors and JSON of the VU's own realm: values handed to the script are made with these. */
  readonly realm: { ArrayBuffer: ArrayBufferConstructor; Uint8Array: Uint8ArrayConstructor; JSON: JSON };
  readonly services: ThreadServices;
  /** The iteration's loop, or a one-line error naming `what` outside of VU code. */
  requireLoop(what: string): VuLoop;
  interrupted(): boolean;
}
