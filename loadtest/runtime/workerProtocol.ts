/** Messages between the scheduler (main thread) and a VU thread. */
import type { MetricContains, MetricType } from './metricSinks.js';
import type { LoopStatus } from './vuLoop.js';
import type { IterationInfo } from './vuServices.js';

export interface WorkerInit {
  /** The script as loadScript() prepared it on the main thread (checked and transformed once). */
  script: { path: string; source: string };
  env: Record<string, string>;
  vus: number[];
  /** Int32Array over it: flags[vu] = seq of the iteration the scheduler interrupted. */
  interruptFlags: SharedArrayBuffer;
  httpSignal: SharedArrayBuffer;
  startedAt: number;
}

export type ToWorker =
  | ({ t: 'iterate'; vu: number } & IterationInfo)
  | { t: 'interrupt'; vu: number; seq: number }
  | { t: 'stop' };

/** [metric, value, tags] */
export type WireSample = [string, number, Record<string, string>];

export type FromWorker =
  | { t: 'ready' }
  /** Answer to stop: every sample has been posted before this. */
  | { t: 'stopped' }
  | { t: 'fatal'; message: string; exitCode: number }
  | { t: 'define'; name: string; type: MetricType; contains: MetricContains }
  | { t: 'samples'; samples: WireSample[] }
  | { t: 'done'; vu: number; seq: number; status: LoopStatus; durationMs: number }
  | { t: 'abort'; reason: string };
