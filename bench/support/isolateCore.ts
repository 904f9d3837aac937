/**
 * BENCH_ISOLATE=1 for the capacity bench: every other process on the machine (services,
 * kernel threads that allow it, the shell, the bench itself) is moved off the server's CPU for the run, as an
 * operator reserves cores for a game server on a dedicated host (cpusets, isolcpus). On a
 * shared VM the tick-lateness tail is other tasks preempting the server's core (perf sched:
 * kdamond, monitoring jobs, the stock services); this shows what the server does with a core
 * of its own. Each process's own affinity mask is recorded and put back by `restore`, which
 * the bench calls on exit, Ctrl-C and SIGTERM (a SIGKILL leaves the masks as they were set:
 * `taskset -a -p -c 0-N <pid>` puts a process back). Needs root and /usr/bin/taskset; a process that
 * refuses (per-CPU kernel threads) or exits meanwhile is skipped.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const TASKSET = '/usr/bin/taskset';

export interface Isolation {
  /** Processes moved off the server's CPU. */
  moved: number;
  /** Puts every moved process's affinity mask back (idempotent). */
  restore(): void;
}

/**
 * Moves every process onto `otherCpus` (a taskset list, e.g. "1"), this bench's own too: its
 * polling of /metrics and /proc must not run on the server's core either. Children it starts
 * later choose their own CPUs (taskset -c).
 */
export function isolateCore(otherCpus: string): Isolation {
  const saved: Array<[string, string]> = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      // "pid 78's current affinity mask: 3"
      const mask = /mask:\s*([0-9a-f,]+)/.exec(execFileSync(TASKSET, ['-p', pid], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1];
      if (!mask) continue;
      execFileSync(TASKSET, ['-a', '-p', '-c', otherCpus, pid], { stdio: 'ignore' });
      saved.push([pid, mask]);
    } catch {
      // gone, or a kernel thread bound to its CPU: skipped
    }
  }
  let restored = false;
  return {
    moved: saved.length,
    restore() {
      if (restored) return;
      restored = true;
      for (const [pid, mask] of saved) {
        try {
          execFileSync(TASKSET, ['-a', '-p', mask, pid], { stdio: 'ignore' });
        } catch {
          // exited during the run
        }
      }
    },
  };
}
