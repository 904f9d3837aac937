/**
 * One `run`: init the script once on the main thread (VU 0: options, setup, teardown,
 * handleSummary, as k6 does), start the VU threads, run the scenarios, evaluate the
 * thresholds, hand k6's summary data to handleSummary and write what it returns.
 * Returns k6's exit code: 0, 99 thresholds failed, 104 bad config, 107 script error,
 * 105 stopped by a signal, 108 aborted by the script.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { loadScript } from './bundle.js';
import { compileScript } from './moduleTable.js';
import { defineBuiltinMetrics } from './builtinMetrics.js';
import type { CliArgs } from './cliArgs.js';
import { configError, describeScriptError, ExitCode, RuntimeError } from './errors.js';
import { MetricRegistry } from './metricRegistry.js';
import { maxVUs, parseDurationMs, planFromOptions } from './options.js';
import { ScenarioRun } from './scheduler.js';
import { buildSummaryData, defaultSummaryText } from './summaryData.js';
import { blockingSleep, SyncHttpClient } from './syncHttp.js';
import { parseThresholdOptions } from './thresholds.js';
import { VuInstance } from './vuInstance.js';
import { VuPool } from './vuPool.js';
import type { ThreadServices } from './vuServices.js';

const here = new URL('.', import.meta.url);

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}m${String(s % 60).padStart(2, '0')}s`;
}

export async function runTest(args: CliArgs): Promise<number> {
  const startedAt = Date.now();
  const env: Record<string, string> = {};
  // k6 run puts the system environment into __ENV too (--include-system-env-vars defaults to true); -e wins.
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, args.env);

  const registry = new MetricRegistry();
  defineBuiltinMetrics(registry);
  const httpWorker = new Worker(new URL('./httpWorker.js', here));
  httpWorker.unref();
  const { port1, port2 } = new MessageChannel();
  const httpSignal = new SharedArrayBuffer(4);
  httpWorker.postMessage({ port: port1, signal: httpSignal }, [port1]);
  const http = new SyncHttpClient(port2, httpSignal);
  let abortReason: string | null = null;
  let abortCode: number = ExitCode.ScriptAborted;
  const runs: ScenarioRun[] = [];
  const abortAll = (reason: string, code: number) => {
    if (abortReason !== null) return;
    abortReason = reason;
    abortCode = code;
    for (const r of runs) r.abort();
  };
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const services: ThreadServices = {
    define: (name, type, contains) => registry.define(name, type, contains),
    emit: (metric, value, tags) => registry.add({ metric, value, tags }),
    sleep: (ms, interrupted) => blockingSleep(ms, interrupted),
    http: (req, interrupted) => http.request(req, interrupted),
    isInterrupted: () => false,
    abortTest: (reason) => abortAll(reason, ExitCode.ScriptAborted),
    log,
    startedAt,
  };

  let pool: VuPool | null = null;
  try {
    const script = loadScript(args.script);
    const vu0 = new VuInstance(0, services, env);
    try {
      vu0.init(compileScript(script));
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
      throw new RuntimeError(`the script failed in its init context: ${describeScriptError(err)}`, ExitCode.ScriptException);
    }
    const options = vu0.exports.options === undefined ? {} : JSON.parse(JSON.stringify(vu0.exports.options));
    const plan = planFromOptions(options);
    for (const s of plan.scenarios) {
      if (typeof vu0.exports[s.exec] !== 'function') throw configError(`scenario ${s.name}: the script exports no function "${s.exec}"`);
    }
    for (const t of parseThresholdOptions(plan.thresholds, (text, what) => parseDurationMs(text, what))) registry.addThresholds(t.key, t.selector, t.exprs);

    const vuCount = plan.scenarios.reduce((n, s) => n + maxVUs(s), 0);
    if (!args.quiet) {
      log(`loadtest runtime (a Node runtime for CI and for users without k6, not k6): ${args.script}`);
      for (const s of plan.scenarios) log(`  scenario ${s.name}: ${s.executor}, up to ${maxVUs(s)} VUs, exec ${s.exec}`);
    }

    let dataJson: string | null = null;
    let setupData: unknown;
    if (typeof vu0.exports.setup === 'function') {
      const r = await vu0.call('setup', 'setup', undefined, null);
      if (r.status === 'error') throw new RuntimeError(`setup() failed: ${describeScriptError(r.error)}`, ExitCode.ScriptException);
      if (r.value !== undefined) {
        dataJson = JSON.stringify(r.value);
        setupData = JSON.parse(dataJson);
      }
    }

    pool = new VuPool({
      workerUrl: new URL('./vuWorker.js', here),
      script,
      env,
      vuCount,
      registry,
      httpWorker,
      startedAt,
      onAbort: (reason) => abortAll(reason, ExitCode.ScriptAborted),
      onFatal: (err) => {
        log(`ERRO ${err.message}`);
        abortAll(err.message, err.exitCode);
      },
    });
    await pool.start();
    registry.add({ metric: 'vus_max', value: vuCount, tags: {} });
    const sampleVus = () => registry.add({ metric: 'vus', value: runs.reduce((n, r) => n + r.activeVUs, 0), tags: {} });

    // Like k6: the first Ctrl-C (or SIGTERM) stops the scenarios and still writes the summary;
    // a second one ends the process at once.
    const stopSignal = (signal: NodeJS.Signals) => {
      log(`stopping on ${signal}: interrupting the VUs, then the summary (again to quit at once)`);
      abortAll(`stopped by ${signal}`, ExitCode.ExternalAbort);
      process.once(signal, () => process.exit(ExitCode.ExternalAbort));
    };
    process.once('SIGINT', stopSignal);
    process.once('SIGTERM', stopSignal);
    let nextVu = 1;
    for (const s of plan.scenarios) {
      const ids = Array.from({ length: maxVUs(s) }, () => nextVu++);
      runs.push(new ScenarioRun(s, ids, pool, dataJson));
    }
    const testStart = Date.now();
    const sampler = setInterval(() => {
      const now = Date.now();
      sampleVus();
      const failed = registry.evaluate(now - testStart).filter((f) => f.expr.abortOnFail && now - testStart >= f.expr.delayAbortEvalMs);
      if (failed.length) abortAll(`threshold ${failed[0].key} ${failed[0].expr.source} crossed (abortOnFail)`, ExitCode.ThresholdsFailed);
      if (!args.quiet && Math.round((now - testStart) / 1000) % 10 === 0) {
        const iters = registry.metrics.get('iterations')!.sink.aggregate('count', 0);
        log(`running (${clock(now - testStart)}), ${runs.reduce((n, r) => n + r.activeVUs, 0)}/${vuCount} VUs, ${iters} complete iterations`);
      }
    }, 1000);
    try {
      const all = Promise.all(runs.map((r) => r.run()));
      sampleVus();
      await all;
    } finally {
      clearInterval(sampler);
    }
    const durationMs = Date.now() - testStart;
    await pool.stop();
    pool = null;

    if (typeof vu0.exports.teardown === 'function') {
      const r = await vu0.call('teardown', 'teardown', vu0.parseData(dataJson), null);
      if (r.status === 'error') log(`ERRO teardown() failed: ${describeScriptError(r.error)}`);
    }

    const failed = registry.evaluate(durationMs);
    const data = buildSummaryData(registry, {
      durationMs,
      trendStats: plan.trendStats,
      stdoutTTY: Boolean(process.stdout.isTTY),
      stderrTTY: Boolean(process.stderr.isTTY),
      setupData,
    });
    let outputs: Record<string, unknown> = { stdout: defaultSummaryText(data) };
    if (typeof vu0.exports.handleSummary === 'function') {
      const r = await vu0.call('handleSummary', 'summary', vu0.parseData(JSON.stringify(data)), null);
      if (r.status === 'error') log(`ERRO handleSummary() failed: ${describeScriptError(r.error)}; printing the default summary`);
      else if (r.value && typeof r.value === 'object') outputs = r.value as Record<string, unknown>;
    }
    for (const [dest, content] of Object.entries(outputs)) {
      const text = typeof content === 'string' ? content : JSON.stringify(content);
      if (dest === 'stdout') process.stdout.write(text);
      else if (dest === 'stderr') process.stderr.write(text);
      else {
        mkdirSync(dirname(dest), { recursive: true });
        writeFileSync(dest, text);
      }
    }
    if (abortReason !== null) {
      log(`ERRO test aborted: ${abortReason}`);
      return abortCode;
    }
    if (failed.length > 0) {
      log(`ERRO thresholds on metrics '${[...new Set(failed.map((f) => f.key))].join(', ')}' have been crossed`);
      return ExitCode.ThresholdsFailed;
    }
    return ExitCode.Ok;
  } finally {
    if (pool) await pool.stop();
    await httpWorker.terminate();
  }
}
