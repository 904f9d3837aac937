/**
 * Errors the runtime reports as ONE line (no stack), and the exit codes it uses, chosen to
 * match k6's so CI scripts can treat both alike.
 */

export const ExitCode = {
  Ok: 0,
  /** Bad command line. */
  Usage: 2,
  /** k6: thresholds have failed. */
  ThresholdsFailed: 99,
  /** k6: invalid config (options this runtime cannot run, malformed thresholds). */
  InvalidConfig: 104,
  /** k6: stopped from outside (Ctrl-C / SIGINT, SIGTERM); the summary is still produced. */
  ExternalAbort: 105,
  /** k6: the script threw in the init context, setup or teardown. */
  ScriptException: 107,
  /** k6: the script called exec.test.abort(). */
  ScriptAborted: 108,
} as const;

/** A problem the user can fix, reported as one line and an exit code. */
export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

export function configError(message: string): RuntimeError {
  return new RuntimeError(message, ExitCode.InvalidConfig);
}

/** Thrown inside a VU by sleep/http when the scheduler interrupts its iteration. */
export class Interrupted extends Error {
  constructor() {
    super('iteration interrupted');
    this.name = 'Interrupted';
  }
}

/** The first line of an error thrown by script code, with the script location when known. */
export function describeScriptError(err: unknown): string {
  if (err instanceof RuntimeError) return err.message;
  if (err && typeof err === 'object' && 'stack' in err && typeof (err as Error).stack === 'string') {
    const e = err as Error;
    const at = /\n\s+at .*?\(?([^()\s]+:\d+:\d+)\)?/.exec(e.stack ?? '');
    return `${e.name}: ${e.message}${at ? ` (at ${at[1]})` : ''}`;
  }
  return String(err);
}
