/**
 * The server under attack: the real CLI (`tickwire serve`) in its own process, so its RSS
 * is its own, with default limits except a trusted proxy header — the probe plays both the
 * attacker's and a legitimate player's address through it — and an admin secret.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PROBE_SECRET = 'probe-jwt-secret-0123456789abcdef';
export const PROBE_ADMIN_SECRET = 'probe-admin-secret-0123456789abc';

export interface Target {
  http: string;
  ws: string;
  port: number;
  child: ChildProcess;
  /** Resident memory of the server process, bytes (from its own /metrics). */
  rss(): Promise<number>;
  /** Counter/gauge value from /metrics (first line starting with `name`). */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startTarget(): Promise<Target> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', 'serve', '--host', '127.0.0.1', '--port', '0', '--trusted-proxy-header', 'x-forwarded-for'],
    { cwd: ROOT, env: { ...process.env, TICKWIRE_JWT_SECRET: PROBE_SECRET, TICKWIRE_ADMIN_SECRET: PROBE_ADMIN_SECRET, TICKWIRE_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out.slice(-500)}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)[^\n]*tickwire listening/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out.slice(-500)}`)));
  });
  const http = `http://127.0.0.1:${port}`;
  const metricsText = async () => (await fetch(`${http}/metrics`)).text();
  const metric = async (name: string) => {
    const line = (await metricsText()).split('\n').find((l) => l.startsWith(name));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  return {
    http,
    ws: `ws://127.0.0.1:${port}`,
    port,
    child,
    rss: () => metric('process_resident_memory_bytes'),
    metric,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
