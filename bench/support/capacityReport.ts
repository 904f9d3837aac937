/**
 * The capacity bench's rows (one per measured system and level) and the Markdown table
 * docs/performance.md quotes.
 */
import type { UpstreamMode } from '../../loadtest/bots/swarm.js';

export interface Row {
  system: 'tickwire' | 'tickwire (before)' | 'bare uWS';
  upstream: UpstreamMode;
  players: number;
  cpuMsPerPlayerSecond: number;
  rssKBPerConnection: number;
  downBytesPerPlayerSecond: number;
  /** WebSocket frames down per player per second (snapshots, events, pongs, everything). */
  downFramesPerPlayerSecond: number;
  upBytesPerPlayerSecond: number;
  /** WebSocket frames up per player per second (inputs, pings). */
  upFramesPerPlayerSecond: number;
  tickP50: number;
  tickP99: number;
  latenessP50: number;
  latenessP99: number;
  /** p99 of how late the scheduler's wake-ups were (the rest of a tick's lateness is queueing behind other matches). */
  wakeLatenessP99: number;
  /** Scheduler wake-ups per second, and the share run between two received frames (not by the timer). */
  wakeupsPerSecond: number;
  ioWakeShare: number;
  /** Garbage collection time as a share of the server's CPU time over the window. */
  gcShare: number;
  rttP50: number;
  rttP99: number;
  /** Input made at the bot → first snapshot acking it (sampled bots; NaN on the bare process, which acks nothing). */
  ackP50: number;
  ackMean: number;
  ackP99: number;
  droppedSnapshots: number;
  /** Server CPU over the window as a share of one core. */
  coreShare: number;
  /** The bot swarm's CPU over the window as a share of one core (it shares the machine). */
  botsCoreShare: number;
  failures: number;
  closes: Record<string, number>;
}

export interface IoShape {
  snapshotBytes: number;
  snapshotsPerSec: number;
}


export function f(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}

export function table(rows: Row[], ratios: Map<Row, number>): string {
  const head = [
    'system',
    'upstream',
    'players',
    'CPU ms / player·s',
    '× bare',
    'server core',
    'bots core',
    'RSS KB / conn',
    'down B/s / player',
    'down frames/s / player',
    'up B/s / player',
    'up frames/s / player',
    'tick p50 / p99 ms',
    'lateness p50 / p99 ms',
    'wake lateness p99 ms',
    'wake-ups/s (from I/O)',
    'GC % of CPU',
    'RTT p50 / p99 ms',
    'input→ack p50 / mean / p99 ms',
    'dropped snapshots',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const ratio = ratios.get(r);
    lines.push(
      `| ${[
        r.system,
        r.upstream,
        String(r.players),
        f(r.cpuMsPerPlayerSecond, 3),
        ratio === undefined ? (r.system === 'bare uWS' ? '1.00' : '—') : f(ratio),
        `${f(r.coreShare * 100, 0)} %`,
        `${f(r.botsCoreShare * 100, 0)} %`,
        f(r.rssKBPerConnection, 1),
        f(r.downBytesPerPlayerSecond, 0),
        f(r.downFramesPerPlayerSecond, 1),
        f(r.upBytesPerPlayerSecond, 0),
        f(r.upFramesPerPlayerSecond, 1),
        `${f(r.tickP50, 3)} / ${f(r.tickP99, 3)}`,
        `${f(r.latenessP50)} / ${f(r.latenessP99)}`,
        f(r.wakeLatenessP99),
        Number.isFinite(r.wakeupsPerSecond) ? `${f(r.wakeupsPerSecond, 0)} (${Number.isFinite(r.ioWakeShare) ? `${f(r.ioWakeShare * 100, 0)} %` : '—'})` : '—',
        Number.isFinite(r.gcShare) ? `${f(r.gcShare * 100, 1)} %` : '—',
        `${f(r.rttP50)} / ${f(r.rttP99)}`,
        `${f(r.ackP50, 1)} / ${f(r.ackMean, 1)} / ${f(r.ackP99, 1)}`,
        Number.isFinite(r.droppedSnapshots) ? String(r.droppedSnapshots) : '—',
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * One level's repeated pairs: each pair's × bare and Tickwire's lateness p99, with medians,
 * and the pooled ratio (all of Tickwire's CPU over all of the floor's): a pair whose two
 * runs met a different machine (a neighbour waking for one of them) moves the pooled ratio
 * by its share of the total only, where it can be the median's pair.
 */
export function repeatSummary(players: number, upstream: UpstreamMode, ratios: number[], cpu: Array<[tickwire: number, bare: number]>, latenessP99: number[]): string {
  const list = (xs: number[]) => xs.map((x) => f(x)).join(', ');
  const pooled = cpu.reduce((a, [t]) => a + t, 0) / cpu.reduce((a, [, b]) => a + b, 0);
  const ratioPart = ratios.length
    ? `× bare per pair ${list(ratios)}: median ${f(median(ratios))} (range ${f(Math.min(...ratios))}–${f(Math.max(...ratios))}), pooled ${f(pooled)}`
    : 'no bare floor (BENCH_BARE=0)';
  return `${players} players, ${upstream}, ${latenessP99.length} pairs: ${ratioPart}; tick lateness p99 ${list(latenessP99)} ms: median ${f(median(latenessP99))} ms`;
}
