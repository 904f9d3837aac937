/**
 * The net graph (F3): the numbers a netcode developer looks at, updated a few times a
 * second, plus a sparkline of the interpolation delay and RTT.
 */
import type { NetStats } from '../netcode/netStats.js';
import { h } from './dom.js';

const HISTORY = 120;

export class NetGraph {
  readonly root = h('div', { id: 'net-graph', class: 'panel net-graph' });
  private readonly text = h('pre');
  private readonly canvas = h('canvas', { width: '240', height: '48' });
  private readonly rtt: number[] = [];
  private readonly delay: number[] = [];
  private lastAt = -Infinity;

  constructor() {
    this.root.append(this.text, this.canvas);
    this.root.hidden = true;
  }

  toggle(): void {
    this.root.hidden = !this.root.hidden;
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  update(s: NetStats, fps: number, renderer: string, now: number): void {
    if (now - this.lastAt < 250) return;
    this.lastAt = now;
    this.rtt.push(s.rttMs);
    this.delay.push(s.interpDelayMs);
    if (this.rtt.length > HISTORY) this.rtt.shift();
    if (this.delay.length > HISTORY) this.delay.shift();
    if (this.root.hidden) return;
    const f = (n: number, d = 0) => n.toFixed(d);
    this.text.textContent = [
      `fps ${f(fps)}  ${renderer}  ${s.transport}${s.link !== 'ok' ? ` (${s.link})` : ''}${s.lag ? `  sim lag ${s.lag}` : ''}`,
      `rtt ${f(s.rttMs)} ms  jitter ${f(s.jitterMs, 1)} ms`,
      `snapshots ${f(s.snapshotsPerSecond, 1)}/s  down ${f(s.downKBps, 2)} kB/s  up ${f(s.upKBps, 2)} kB/s`,
      `interp ${f(s.interpDelayMs)} ms (target ${f(s.interpTargetMs)})  ahead ${s.interpAhead}  snap jitter ${f(s.snapshotJitterMs, 1)} ms`,
      `starved ${s.starvations}x  pending inputs ${s.pendingInputs}`,
      `pred err ${f(s.predErrorLast, 2)} (p99 ${f(s.predErrorP99, 2)}, max ${f(s.predErrorMax, 2)})  corr ${s.corrections}  snaps ${s.snaps}`,
    ].join('\n');
    this.drawSparkline();
  }

  private drawSparkline(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width: w, height: hgt } = this.canvas;
    ctx.clearRect(0, 0, w, hgt);
    const max = Math.max(50, ...this.rtt, ...this.delay);
    const line = (vals: number[], color: string) => {
      ctx.strokeStyle = color;
      ctx.beginPath();
      vals.forEach((v, i) => {
        const x = (i / (HISTORY - 1)) * w;
        const y = hgt - (v / max) * (hgt - 2) - 1;
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
    };
    line(this.rtt, '#4fa3ff');
    line(this.delay, '#ffc940');
  }
}
