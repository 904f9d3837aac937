/**
 * The bot swarm as a program. Standalone it prints its counters every few seconds:
 *
 *   npx tsx loadtest/bots/main.ts --target http://127.0.0.1:8080 --players 2000 [--mode play|bare|idle]
 *       [--path /lobby] [--no-auth] [--tick-rate 30] [--decode-every 16] [--concurrency 64] [--seconds 60]
 *       [--upstream single30|batch15] [--ack-sample-every 8]
 *
 * Forked by bench/capacity.bench.ts it is driven over IPC instead: it connects, reports
 * `ready`, and answers `reset` / `stats` / `stop`.
 */
import { parseArgs } from 'node:util';
import { Swarm, UPSTREAM_MODES, type SwarmMode, type SwarmOptions, type UpstreamMode } from './swarm.js';

export type SwarmCommand = { cmd: 'reset' } | { cmd: 'stats' } | { cmd: 'stop' };
export type SwarmEvent =
  | { event: 'progress'; connected: number; failed: number }
  | { event: 'ready'; connected: number; failed: number; lastFailure: string | null }
  | { event: 'reset' }
  | { event: 'stats'; stats: ReturnType<Swarm['stats']> }
  | { event: 'stopped' };

function options(): SwarmOptions & { seconds: number } {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'http://127.0.0.1:8080' },
      players: { type: 'string', default: '100' },
      mode: { type: 'string', default: 'play' },
      path: { type: 'string' },
      'tick-rate': { type: 'string', default: '30' },
      'decode-every': { type: 'string', default: '16' },
      concurrency: { type: 'string', default: '64' },
      seconds: { type: 'string', default: '0' },
      'no-auth': { type: 'boolean', default: false },
      upstream: { type: 'string', default: 'single30' },
      'ack-sample-every': { type: 'string', default: '8' },
    },
  });
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) {
      console.error(`bots: --${name} must be a number ≥ 0 (got ${v})`);
      process.exit(2);
    }
    return n;
  };
  if (!['play', 'bare', 'idle'].includes(values.mode!)) {
    console.error(`bots: --mode must be play, bare or idle (got ${values.mode})`);
    process.exit(2);
  }
  if (!UPSTREAM_MODES.includes(values.upstream as UpstreamMode)) {
    console.error(`bots: --upstream must be ${UPSTREAM_MODES.join(' or ')} (got ${values.upstream})`);
    process.exit(2);
  }
  return {
    upstream: values.upstream as UpstreamMode,
    ackSampleEvery: num('ack-sample-every', values['ack-sample-every']),
    target: values.target!,
    players: num('players', values.players),
    mode: values.mode as SwarmMode,
    path: values.path,
    tickRate: num('tick-rate', values['tick-rate']),
    decodeEvery: num('decode-every', values['decode-every']),
    connectConcurrency: Math.max(1, num('concurrency', values.concurrency)),
    seconds: num('seconds', values.seconds),
    auth: !values['no-auth'],
  };
}

async function main(): Promise<void> {
  const o = options();
  const swarm = new Swarm(o);
  const send = (e: SwarmEvent) => process.send?.(e);
  const ipc = typeof process.send === 'function';
  if (ipc) {
    process.on('message', (m: SwarmCommand) => {
      if (m.cmd === 'reset') {
        swarm.resetStats();
        send({ event: 'reset' });
      } else if (m.cmd === 'stats') {
        send({ event: 'stats', stats: swarm.stats() });
      } else if (m.cmd === 'stop') {
        void swarm.stop().then(() => {
          send({ event: 'stopped' });
          process.exit(0);
        });
      }
    });
    process.on('disconnect', () => process.exit(0));
  }
  await swarm.start((connected, failed) => send({ event: 'progress', connected, failed }));
  const st = swarm.stats();
  send({ event: 'ready', connected: st.connected, failed: st.failures, lastFailure: st.lastFailure });
  if (ipc) return;

  console.log(`bots: ${st.connected}/${o.players} connected (${st.failures} failed${st.lastFailure ? `: ${st.lastFailure}` : ''})`);
  swarm.resetStats();
  const started = Date.now();
  const report = setInterval(() => {
    const s = swarm.stats();
    const rtt = s.rttMs ? `RTT p50 ${s.rttMs.p50.toFixed(2)} ms p99 ${s.rttMs.p99.toFixed(2)} ms` : 'no RTT yet';
    const ack = s.ackMs ? `, input→ack p50 ${s.ackMs.p50.toFixed(1)} ms p99 ${s.ackMs.p99.toFixed(1)} ms` : '';
    console.log(
      `bots: ${s.connected} connected, in ${(s.bytesIn / s.seconds / Math.max(1, s.connected) / 1024).toFixed(2)} KB/s per bot, ` +
        `${(s.inputsSent / s.seconds).toFixed(0)} inputs/s (${o.upstream}), ${rtt}${ack}, decode errors ${s.decodeErrors}, closes ${JSON.stringify(s.closes)}`,
    );
    swarm.resetStats();
  }, 5000);
  const stop = () => {
    clearInterval(report);
    void swarm.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (o.seconds > 0) setTimeout(stop, o.seconds * 1000 - (Date.now() - started));
}

void main().catch((e: Error) => {
  console.error(`bots: ${e.message}`);
  process.exit(1);
});
