/**
 * Drives test/support/stalled_socket.py: a real WebSocket client with a small SO_RCVBUF that
 * stops reading, so the server's send queue for it grows as it would for a stalled player.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SUBPROTOCOL } from '../../protocol/index.js';
import { Conditions } from './conditions.js';

const SCRIPT = fileURLToPath(new URL('./stalled_socket.py', import.meta.url));

export class StalledSocket {
  readonly lines: string[] = [];
  private readonly conditions = new Conditions();
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      partial += d.toString();
      const parts = partial.split('\n');
      partial = parts.pop()!;
      this.lines.push(...parts);
      this.conditions.notify();
    });
    child.stderr.on('data', (d: Buffer) => this.lines.push(`stderr ${d.toString().trim()}`));
    child.on('exit', () => {
      this.exited = true;
      this.conditions.notify();
    });
    child.on('error', (e) => {
      this.lines.push(`error ${e.message} (python3 is needed for this test)`);
      this.exited = true;
      this.conditions.notify();
    });
  }

  /** Opens `path` (e.g. `/play?ticket=…`) on 127.0.0.1:port; resolves once upgraded. */
  static async open(port: number, path: string, token: string, rcvbuf = 2048): Promise<StalledSocket> {
    const s = new StalledSocket(spawn('python3', [SCRIPT, '127.0.0.1', String(port), path, token, String(rcvbuf), SUBPROTOCOL]));
    await s.waitForLine((l) => l === 'open' || l.startsWith('refused') || l.startsWith('error'), 'upgrade');
    if (!s.lines.includes('open')) throw new Error(`stalled socket not opened: ${s.lines.join(' | ')}`);
    return s;
  }

  /** Sends one binary frame (written even though the socket reads nothing). */
  send(frame: Uint8Array): void {
    this.child.stdin.write(`send ${Buffer.from(frame).toString('hex')}\n`);
  }

  /** Starts reading everything queued; resolves with the close code the server sent (or 1006 for none). */
  async readToClose(timeoutMs = 15_000): Promise<{ code: number; reason: string }> {
    this.child.stdin.write('read\n');
    const line = await this.waitForLine((l) => l.startsWith('close ') || l === 'eof', 'close', timeoutMs);
    if (line === 'eof') return { code: 1006, reason: '' };
    const [, code, ...reason] = line.split(' ');
    return { code: Number(code), reason: reason.join(' ') };
  }

  waitForLine(pred: (line: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
    return this.conditions.waitFor(
      () => this.lines.find(pred),
      what,
      timeoutMs,
      () => (this.exited && !this.lines.find(pred) ? `stalled socket exited (${this.lines.join(' | ')})` : null),
    );
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
