/**
 * A light bot swarm: thousands of protocol-speaking players from one Node process, for loads
 * k6 cannot generate on a small machine (a k6 VU costs a JS runtime; a bot here costs a
 * socket and a few objects). Same protocol and same flow as a real client: guest auth →
 * matchmake → /play with subprotocol and JWT header → an input every tick → a ping every
 * second. What makes it cheap:
 *
 * - Inputs are a pre-encoded 16-byte frame patched in place (inputFrame.ts), replaying a
 *   ring of PlayerPattern intents; no encoder runs per tick.
 * - One drift-free scheduler drives every bot, in `slots` phase groups per tick, so sends
 *   are spread over the tick like real clients instead of one burst.
 * - Frames are classified by peeking two bytes; only every `decodeEvery`-th frame (and
 *   every welcome and pong) goes through the real decoder, to catch wire breakage without
 *   paying for decoding every snapshot.
 *
 * Upstream (`upstream`): `single30` sends one Input frame per tick (30 Hz, the default, as
 * the browser client does); `batch15` makes an input every tick too but sends every second
 * tick an InputBatch of the two new inputs plus the previous frame's newest repeated
 * (Overwatch-style redundancy): half the frames, each input waits 0 or 1 tick before it
 * leaves. Both modes time input → ack on every `ackSampleEvery`-th bot: from the moment
 * the input was made (not sent) to the first snapshot whose ack covers it.
 *
 * Modes: `play` (the above), `bare` (no auth or matchmake: straight to ws://host/play with
 * the subprotocol, for the bare-uWS baseline) and `idle` (authenticated sockets on `path`
 * that send nothing, for memory per idle connection; `auth: false` skips signing in).
 *
 * This file holds the Swarm itself (bots, frames in, the send scheduler); its options are in
 * swarmOptions.ts, how a bot signs in and where it connects in botEndpoint.ts, and the
 * counters and RTT samples behind stats() in swarmStats.ts.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { ClientType, CloseCode, decodeServer, KEYFRAME, resolveAck, encodeClient, ServerType } from '../../protocol/index.js';
import { patternRing, type TickIntent } from '../lib/playerPattern.js';
import { botEndpoint } from './botEndpoint.js';
import { InputFrame, peekType, peekUint } from './inputFrame.js';
import { resolveSwarmOptions, type ResolvedSwarmOptions, type SwarmOptions } from './swarmOptions.js';
import { RttSamples, zeroCounters, type SwarmStats } from './swarmStats.js';
import { AckLatency, BatchSender, newInputsPerFrame } from './upstream.js';

export { UPSTREAM_MODES, type UpstreamMode } from './upstream.js';
export type { SwarmMode, SwarmOptions } from './swarmOptions.js';
export type { SwarmStats } from './swarmStats.js';
export { quantile } from './quantile.js';

const RING = 256;

interface Bot {
  index: number;
  token: string | null;
  ws: WebSocket | null;
  frame: InputFrame;
  batch: BatchSender | null;
  /** Sampled bots: when their recent inputs were made (AckLatency), and the last ack. */
  madeAt: Float64Array | null;
  ack: number | null;
  seq: number;
  lastTick: number;
  ring: TickIntent[];
  ringPos: number;
  sawKeyframe: boolean;
  stopped: boolean;
}

export class Swarm {
  private readonly o: ResolvedSwarmOptions;
  private readonly bots: Bot[] = [];
  private readonly rings: TickIntent[][] = [];
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private tickRate: number;
  private schedulerStart = 0;
  private step = 0;
  private statsSince = performance.now();
  private readonly rtt = new RttSamples();
  private readonly ackLatency = new AckLatency();
  private s = zeroCounters();

  constructor(options: SwarmOptions) {
    this.o = resolveSwarmOptions(options);
    this.tickRate = this.o.tickRate;
    // A handful of distinct rings, shared: enough variety, little memory.
    for (let i = 0; i < 16; i++) this.rings.push(patternRing(this.o.seed * 1000 + i, this.tickRate, RING));
  }

  get connected(): number {
    let n = 0;
    for (const b of this.bots) if (b.ws && b.ws.readyState === WebSocket.OPEN) n++;
    return n;
  }

  /** Connects every bot (bounded concurrency); resolves when all have tried once. */
  async start(onProgress?: (connected: number, failed: number) => void): Promise<void> {
    this.running = true;
    for (let i = 0; i < this.o.players; i++) {
      const batch = this.o.upstream === 'batch15' ? new BatchSender() : null;
      const sampled = this.o.mode === 'play' && this.o.ackSampleEvery > 0 && i % this.o.ackSampleEvery === 0;
      this.bots.push({ index: i, token: null, ws: null, frame: new InputFrame(), batch, madeAt: sampled ? AckLatency.madeAtRing() : null, ack: null, seq: 0, lastTick: 0, ring: this.rings[i % this.rings.length], ringPos: (i * 37) % RING, sawKeyframe: false, stopped: false });
    }
    if (this.o.mode !== 'idle') this.startScheduler();
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < this.bots.length && this.running) {
        const bot = this.bots[next++];
        await this.join(bot).catch((e: Error) => this.fail(e.message));
        done++;
        if (onProgress && done % 200 === 0) onProgress(this.connected, this.s.failures);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.connectConcurrency, this.bots.length) }, worker));
  }

  private fail(message: string): void {
    this.s.failures++;
    this.s.lastFailure = message;
  }

  private async join(bot: Bot): Promise<void> {
    const { url, protocols, headers } = await botEndpoint(this.o, bot);
    if (!this.running) return;
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url, protocols, { headers, perMessageDeflate: false, skipUTF8Validation: true });
      bot.ws = ws;
      bot.seq = 0;
      bot.ack = null;
      bot.lastTick = 0;
      bot.sawKeyframe = false;
      ws.binaryType = 'nodebuffer';
      let opened = false;
      ws.once('open', () => {
        opened = true;
        resolve();
      });
      // ws reports a refused upgrade as an error ("Unexpected server response: 403").
      ws.once('error', (e) => reject(new Error(`${url.split('?')[0]}: ${e.message}`)));
      ws.on('message', (data: Buffer) => this.onFrame(bot, data));
      ws.on('close', (code) => {
        if (opened) this.onClose(bot, ws, code);
        else if (bot.ws === ws) bot.ws = null;
      });
    });
  }

  private onFrame(bot: Bot, data: Buffer): void {
    const s = this.s;
    s.framesIn++;
    s.bytesIn += data.length;
    const type = peekType(data);
    let decode = false;
    switch (type) {
      case ServerType.Snapshot: {
        s.snapshots++;
        const tick = peekUint(data, 2);
        if (tick > 0) bot.lastTick = tick;
        // baselineTick 0 after the first snapshot: the server dropped snapshots for this bot.
        if (this.o.mode === 'play') {
          const tickLen = data[2] < 0x80 ? 1 : data[2] === 0xcc ? 2 : data[2] === 0xcd ? 3 : 5;
          if (data[2 + tickLen] === 0) {
            if (bot.sawKeyframe) s.keyframes++;
            bot.sawKeyframe = true;
          }
        }
        if (bot.madeAt) return this.timeAck(bot, data);
        decode = this.o.mode !== 'bare' && this.o.decodeEvery > 0 && s.snapshots % this.o.decodeEvery === 0;
        break;
      }
      case ServerType.Welcome:
      case ServerType.Pong:
        decode = true;
        break;
      default:
        decode = this.o.mode !== 'bare' && this.o.decodeEvery > 0 && s.framesIn % this.o.decodeEvery === 0;
    }
    if (!decode) return;
    if (this.o.mode === 'bare' && type === ServerType.Pong) {
      // The baseline's pong carries the ping's float64 `t` right after the type byte.
      if (data[2] === 0xcb) this.rtt.add(performance.now() - data.readDoubleBE(3));
      return;
    }
    const r = decodeServer(data);
    s.decoded++;
    if (!r.ok) {
      s.decodeErrors++;
      return;
    }
    if (r.value.type === ServerType.Welcome) {
      this.tickRate = r.value.config.tickRate;
    } else if (r.value.type === ServerType.Pong) {
      this.rtt.add(performance.now() - r.value.t);
    }
  }

  /** A sampled bot's snapshot: fully decoded, to time every input its ack newly covers. */
  private timeAck(bot: Bot, data: Buffer): void {
    const r = decodeServer(data);
    this.s.decoded++;
    if (!r.ok || r.value.type !== ServerType.Snapshot) {
      this.s.decodeErrors++;
      return;
    }
    const prev = bot.ack;
    const ack = resolveAck(prev, r.value.delta.baselineTick === KEYFRAME, r.value.ack);
    bot.ack = ack;
    if (ack !== null && prev !== null) this.ackLatency.acked(bot.madeAt!, prev, ack, bot.seq, performance.now());
  }

  private onClose(bot: Bot, ws: WebSocket, code: number): void {
    if (bot.ws === ws) bot.ws = null;
    if (!this.running || bot.stopped) return;
    this.s.closes[String(code)] = (this.s.closes[String(code)] ?? 0) + 1;
    // Keep the player count steady: a finished match (or a lost socket) means matchmaking again.
    this.s.rejoins++;
    const delay = code === CloseCode.MatchEnded ? 50 + Math.random() * 500 : 1000;
    setTimeout(() => {
      if (this.running && !bot.stopped) this.join(bot).catch((e: Error) => this.fail(e.message));
    }, delay);
  }

  private startScheduler(): void {
    this.schedulerStart = performance.now();
    this.step = 0;
    const run = () => {
      if (!this.running) return;
      const interval = 1000 / this.tickRate / this.o.slots;
      // Catch up at most a few steps if the process stalled, then skip (as the server's loop does).
      let budget = 4;
      while (performance.now() >= this.schedulerStart + this.step * interval && budget-- > 0) this.runSlot(this.step++);
      if (performance.now() >= this.schedulerStart + this.step * interval) {
        this.step = Math.ceil((performance.now() - this.schedulerStart) / interval);
      }
      const wait = this.schedulerStart + this.step * interval - performance.now();
      this.timer = setTimeout(run, Math.max(0, wait));
    };
    run();
  }

  private runSlot(step: number): void {
    const slots = this.o.slots;
    const slot = step % slots;
    const tick = Math.floor(step / slots);
    const rate = this.tickRate;
    const pingNow = performance.now();
    for (let i = slot; i < this.bots.length; i += slots) {
      const bot = this.bots[i];
      const ws = bot.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) continue;
      const intent = bot.ring[bot.ringPos];
      bot.ringPos = (bot.ringPos + 1) % RING;
      bot.seq++;
      if (bot.madeAt) AckLatency.made(bot.madeAt, bot.seq, pingNow);
      const frame = bot.batch ? bot.batch.next(bot.seq, bot.lastTick, intent.buttons, intent.aim) : bot.frame.set(bot.seq, intent.buttons, intent.aim, bot.lastTick);
      if (frame) {
        ws.send(frame);
        this.s.inputsSent += newInputsPerFrame(this.o.upstream);
        this.s.framesOut++;
        this.s.bytesOut += frame.length;
      }
      // One ping a second per bot, spread over the second by bot index.
      if ((tick + i) % rate === 0) {
        const ping = encodeClient({ type: ClientType.Ping, t: pingNow + 1e-6 });
        ws.send(ping);
        this.s.framesOut++;
        this.s.bytesOut += ping.length;
      }
    }
  }

  resetStats(): void {
    this.s = zeroCounters();
    this.rtt.reset();
    this.ackLatency.reset();
    this.statsSince = performance.now();
  }

  stats(): SwarmStats {
    return {
      connected: this.connected,
      ...this.s,
      closes: { ...this.s.closes },
      rttMs: this.rtt.stats(),
      ackMs: this.ackLatency.stats(),
      seconds: (performance.now() - this.statsSince) / 1000,
    };
  }

  /** Closes every socket; resolves once they are closed (or after 5 s). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    const closing: Promise<void>[] = [];
    for (const bot of this.bots) {
      bot.stopped = true;
      const ws = bot.ws;
      if (!ws) continue;
      if (ws.readyState === WebSocket.CLOSED) continue;
      closing.push(new Promise((resolve) => ws.once('close', () => resolve())));
      ws.terminate();
    }
    await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 5000))]);
  }
}
