/**
 * A swarm of tag bots against a running server, built only on `tickwire/testing` and
 * `tickwire/protocol`: each bot signs in as a guest, quick-plays `tag`, then sends an input
 * every tick (30 Hz) and a ping every second until the time is up. The report says how
 * many got in, what each received (snapshots and bytes per second) and the ping RTT.
 *
 * Every bot comes from one address: the server must allow that many guest sign-ups and
 * matchmakes per minute (`--load-test` in ../serve.ts raises those limits).
 */
import { ClientType, ServerType } from 'tickwire/protocol';
import { PlayClient, guest, matchmake } from 'tickwire/testing';
import { TagInput, TagWire } from '../shared/tagWire.js';

export interface SwarmOptions {
  /** The server's HTTP base URL. */
  target: string;
  players: number;
  seconds: number;
  /** Inputs per second per bot (the server's tick rate). */
  inputRate?: number;
  /** Spread of the joins, ms (a storm of simultaneous sign-ups is a different test). */
  rampMs?: number;
}

export interface SwarmReport {
  players: number;
  joined: number;
  matches: number;
  /** Per joined bot, over the measured seconds. */
  snapshotsPerSecond: number;
  kbPerSecondDown: number;
  rttP50Ms: number;
  rttP99Ms: number;
  /** Failed sign-ins/joins, decode errors and unexpected closes, with their text. */
  errors: string[];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const DIRECTIONS = [TagInput.bits.up, TagInput.bits.down, TagInput.bits.left, TagInput.bits.right];

export async function runSwarm(o: SwarmOptions): Promise<SwarmReport> {
  const inputRate = o.inputRate ?? 30;
  const rampMs = o.rampMs ?? Math.min(5000, o.players * 20);
  const errors: string[] = [];
  const clients: PlayClient[] = [];
  const matches = new Set<string>();
  const rtts: number[] = [];

  const join = async (i: number) => {
    await new Promise((r) => setTimeout(r, (rampMs * i) / o.players));
    try {
      const g = await guest(o.target, `bot${i}`);
      const seat = await matchmake(o.target, g.token, { mode: 'tag' });
      const client = await PlayClient.connect(seat.url, g.token, seat.ticket, { schema: TagWire.schema, maxMessages: 64, maxSnapshots: 4 });
      client.onMessage((m) => {
        if (m.type === ServerType.Pong) rtts.push(performance.now() - m.t);
      });
      matches.add(seat.matchId);
      clients.push(client);
    } catch (e) {
      errors.push(`bot${i}: ${(e as Error).message}`);
    }
  };
  await Promise.all(Array.from({ length: o.players }, (_, i) => join(i)));

  const start = performance.now();
  const bytesAtStart = clients.reduce((n, c) => n + c.bytesReceived, 0);
  const snapshotsAtStart = clients.reduce((n, c) => n + c.snapshotsReceived, 0);
  let tick = 0;
  const inputs = setInterval(() => {
    tick++;
    for (let i = 0; i < clients.length; i++) {
      const c = clients[i];
      // Wander: a new direction about every second, different per bot.
      if (!c.closed) c.input(DIRECTIONS[(Math.floor(tick / inputRate) + i) % DIRECTIONS.length]);
    }
  }, 1000 / inputRate);
  const pings = setInterval(() => {
    for (const c of clients) if (!c.closed) c.send({ type: ClientType.Ping, t: performance.now() });
  }, 1000);

  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  clearInterval(inputs);
  clearInterval(pings);
  const elapsed = (performance.now() - start) / 1000;
  for (const c of clients) {
    if (c.decodeErrors.length) errors.push(`decode: ${c.decodeErrors[0]}`);
    if (c.closed) errors.push(`closed ${c.closed.code}: ${c.closed.reason}`);
  }
  await Promise.all(clients.map((c) => c.closeAndWait()));
  rtts.sort((a, b) => a - b);
  const n = Math.max(1, clients.length);
  return {
    players: o.players,
    joined: clients.length,
    matches: matches.size,
    snapshotsPerSecond: (clients.reduce((k, c) => k + c.snapshotsReceived, 0) - snapshotsAtStart) / n / elapsed,
    kbPerSecondDown: (clients.reduce((k, c) => k + c.bytesReceived, 0) - bytesAtStart) / 1024 / n / elapsed,
    rttP50Ms: quantile(rtts, 0.5),
    rttP99Ms: quantile(rtts, 0.99),
    errors,
  };
}
