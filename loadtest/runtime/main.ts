/**
 * The loadtest runtime's command line: runs a k6 script bundle on Node, for CI and for
 * users without k6 (a subset of k6; see loadtest/README.md). Errors print as one line.
 *   node loadtest/dist/runtime/main.js run [-q] [-e KEY=VALUE]… loadtest/dist/smoke.js
 */
import { parseCliArgs } from './cliArgs.js';
import { ExitCode, RuntimeError } from './errors.js';
import { runTest } from './testRun.js';

try {
  process.exitCode = await runTest(parseCliArgs(process.argv.slice(2)));
} catch (err) {
  if (err instanceof RuntimeError) {
    process.stderr.write(`loadtest runtime: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`loadtest runtime: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = ExitCode.ScriptException;
  }
}
// Sockets or timers a script left behind must not keep the process alive; exit once
// stdout has taken the summary (pipes can be asynchronous).
process.stdout.write('', () => process.exit());
