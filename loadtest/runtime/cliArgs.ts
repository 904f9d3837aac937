/**
 * The command line, a subset of `k6 run`'s: `run [-q|--quiet] [-e|--env KEY=VALUE]… <script.js>`.
 * Any other flag is refused with one line (never accepted and ignored).
 */
import { ExitCode, RuntimeError } from './errors.js';

export interface CliArgs {
  script: string;
  env: Record<string, string>;
  quiet: boolean;
}

export const USAGE = 'usage: loadtest-runtime run [-q|--quiet] [-e|--env KEY=VALUE]… <script.js>';

export function parseCliArgs(argv: string[]): CliArgs {
  const usage = (why: string) => new RuntimeError(`${why}; ${USAGE}`, ExitCode.Usage);
  if (argv[0] !== 'run') throw usage(argv[0] === undefined ? 'no command' : `unknown command "${argv[0]}"`);
  const env: Record<string, string> = {};
  let quiet = false;
  let script: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-e' || a === '--env' || a.startsWith('--env=')) {
      const kv = a.startsWith('--env=') ? a.slice(6) : argv[++i];
      const m = kv === undefined ? null : /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(kv);
      if (!m) throw usage(`${a} expects KEY=VALUE, got ${kv === undefined ? 'nothing' : JSON.stringify(kv)}`);
      env[m[1]] = m[2];
    } else if (a.startsWith('-')) throw usage(`flag ${a} is not supported by this runtime (k6 has it; run with k6 for it)`);
    else if (script === undefined) script = a;
    else throw usage(`unexpected argument ${JSON.stringify(a)}`);
  }
  if (script === undefined) throw usage('no script given');
  return { script, env, quiet };
}
