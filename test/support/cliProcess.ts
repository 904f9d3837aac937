/**
 * Runs the real `tickwire` CLI as a child process for tests: `node --import tsx
 * server/cli.ts …` (the same code bin/tickwire.js runs once built, without needing a build,
 * so tests never race a concurrent `npm run build` over dist/). Collects stdout JSON log
 * lines and stderr, and lets tests await a log line or the exit instead of sleeping.
 * Every process started here is SIGKILLed by `killAllCli()` (call it in afterEach).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const live = new Set<CliProcess>();

export interface LogLine {
  msg?: string;
  level?: number;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class CliProcess {
  readonly logs: LogLine[] = [];
  stdout = '';
  stderr = '';
  exit: Exit | null = null;
  private waiters: Array<() => void> = [];
  private partial = '';

  private constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      this.stdout += chunk;
      this.partial += chunk;
      const lines = this.partial.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // not a log line
        }
      }
      this.notify();
    });
    child.stderr!.on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      live.delete(this);
      this.notify();
    });
  }

  /**
   * Starts `tickwire <args>`. The environment is the test's minus every TICKWIRE_* and PORT
   * variable (so a developer's shell cannot change results), plus `env`.
   */
  static start(args: string[], env: Record<string, string> = {}): CliProcess {
    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TICKWIRE_') && k !== 'PORT') base[k] = v;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p = new CliProcess(child);
    live.add(p);
    return p;
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  /** Resolves once `pred` holds (checked on every output chunk and on exit). */
  waitFor<T>(pred: () => T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.trim()}; exit: ${JSON.stringify(this.exit)}`)), timeoutMs);
      const check = () => {
        const v = pred();
        if (v) {
          clearTimeout(timer);
          resolve(v);
        } else if (this.exit) {
          clearTimeout(timer);
          reject(new Error(`process exited (${JSON.stringify(this.exit)}) before ${what}; stderr: ${this.stderr.trim()}`));
        } else this.waiters.push(check);
      };
      check();
    });
  }

  waitForLog(test: (l: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine> {
    return this.waitFor(() => this.logs.find(test), what, timeoutMs);
  }

  /** The port from the "listening" log line. */
  async port(): Promise<number> {
    const line = await this.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('tickwire listening'), 'the listening log line');
    return line.port as number;
  }

  exitStatus(timeoutMs = 15_000): Promise<Exit> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for exit; stderr: ${this.stderr.trim()}`)), timeoutMs);
      const check = () => {
        if (this.exit) {
          clearTimeout(timer);
          resolve(this.exit);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }
}

/** SIGKILLs every CLI process still running. */
export function killAllCli(): void {
  for (const p of live) {
    if (!p.exit) p.child.kill('SIGKILL');
  }
  live.clear();
}
