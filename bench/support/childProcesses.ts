/**
 * Child processes of a benchmark (servers, bot swarms, Redis): a free port to give them,
 * tracking so none outlives the bench (killed on exit and on Ctrl-C), and a stop that
 * asks politely first (SIGTERM, so a server drains and flushes) and kills after a grace.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const children = new Set<ChildProcess>();

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** Tracks `child`; if it exits with an error, prints `name` and the tail of its stderr (when piped). */
export function trackChild(child: ChildProcess, name: string): ChildProcess {
  children.add(child);
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (code !== 0 && code !== null && signal === null) console.error(`bench: ${name} exited ${code}\n${err}`);
  });
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs` if it is still running; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}
