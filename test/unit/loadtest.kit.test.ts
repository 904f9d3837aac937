/**
 * The load-testing kit's own pieces: the bots' patched input frame must be a valid Input to
 * the server's decoder, frame peeking must agree with the codec, k6's text-coding stand-ins
 * must match the platform's, and the benchmark's histogram quantiles must be right.
 */
import { describe, expect, it } from 'vitest';
import { BUTTONS_MASK, Buttons, ClientType, decodeClient, encodeServer, ServerType, quantizeAngle } from '../../protocol/index.js';
import { InputFrame, peekType, peekUint } from '../../loadtest/bots/inputFrame.js';
import { parseDurationMs } from '../../loadtest/lib/env.js';
import { PlayerPattern } from '../../loadtest/lib/playerPattern.js';
import { TextDecoder as K6TextDecoder, TextEncoder as K6TextEncoder } from '../../loadtest/lib/textCoding.js';
import { histogramQuantile, parseProm } from '../../bench/support/promText.js';

describe('bot input frame', () => {
  it('decodes as the Input it was patched with, for small and extreme values', () => {
    const frame = new InputFrame();
    for (const [seq, buttons, aim, ackTick] of [
      [1, 0, 0, 0],
      [200, Buttons.Up | Buttons.Fire, 1234, 77],
      [70_000, BUTTONS_MASK, 0xffff, 5_000_000],
      [0xffffffff, Buttons.Left, 32768, 0xffffffff],
    ]) {
      const r = decodeClient(frame.set(seq, buttons, aim, ackTick));
      expect(r).toEqual({ ok: true, value: { type: ClientType.Input, seq, buttons, aim, ackTick } });
    }
  });
});

describe('frame peeking', () => {
  it('reads type and tick of real server frames without decoding', () => {
    for (const tick of [1, 127, 128, 255, 256, 65535, 65536, 4_000_000_000]) {
      const bytes = encodeServer({ type: ServerType.Snapshot, delta: { tick, baselineTick: 0, header: [2, 10], tables: [{ removed: [], changed: [] }] }, events: [], ack: 0 });
      expect(peekType(bytes)).toBe(ServerType.Snapshot);
      expect(peekUint(bytes, 2)).toBe(tick);
    }
    expect(peekType(encodeServer({ type: ServerType.Pong, t: 1.5, serverTime: 2 }))).toBe(ServerType.Pong);
    expect(peekType(new Uint8Array([0x01]))).toBe(-1);
    expect(peekUint(new Uint8Array([0xcd, 1]), 0)).toBe(-1);
  });
});

describe("k6's TextEncoder/TextDecoder stand-ins", () => {
  it('encode and decode like the platform for ASCII, accents, CJK, emoji and lone surrogates', () => {
    for (const text of ['', 'hello', 'Ünïcødé', '漢字かな', 'GG 🎮🔥 wp', 'lone \ud800 surrogate', 'x'.repeat(300)]) {
      const ours = new K6TextEncoder().encode(text);
      expect(Array.from(ours)).toEqual(Array.from(new TextEncoder().encode(text)));
      expect(new K6TextDecoder().decode(ours)).toBe(new TextDecoder().decode(ours));
    }
  });

  it('encodeInto stops before a character that does not fit', () => {
    const dest = new Uint8Array(5);
    expect(new K6TextEncoder().encodeInto('ab€c', dest)).toEqual({ read: 3, written: 5 });
    expect(new TextDecoder().decode(dest)).toBe('ab€');
  });
});

describe('player pattern', () => {
  it('is deterministic per seed and stays inside the wire ranges', () => {
    const a = new PlayerPattern(42, 30);
    const b = new PlayerPattern(42, 30);
    const seen = new Set<number>();
    for (let i = 0; i < 600; i++) {
      const x = a.next();
      expect(b.next()).toEqual(x);
      expect(x.buttons & ~BUTTONS_MASK).toBe(0);
      expect(x.aim).toBeGreaterThanOrEqual(0);
      expect(x.aim).toBeLessThan(65536);
      seen.add(x.buttons & ~Buttons.Fire);
    }
    // It actually moves around: several directions in 20 s.
    expect(seen.size).toBeGreaterThan(3);
  });

  it('aims at the target it is given, within a small error', () => {
    const p = new PlayerPattern(7, 30);
    const want = quantizeAngle(Math.atan2(100, 0));
    for (let i = 0; i < 50; i++) {
      const { aim } = p.next({ x: 500, y: 500 }, { x: 500, y: 600 });
      const diff = Math.min(Math.abs(aim - want), 65536 - Math.abs(aim - want));
      expect(diff).toBeLessThan(65536 * (0.08 / (2 * Math.PI)));
    }
  });
});

describe('k6 option parsing', () => {
  it('reads durations the way k6 writes them', () => {
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('1m30s')).toBe(90_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('2h')).toBe(7_200_000);
    expect(parseDurationMs('12')).toBe(12_000);
    expect(parseDurationMs('soon')).toBeNull();
    expect(parseDurationMs('10x')).toBeNull();
  });
});

describe('histogram quantiles from /metrics', () => {
  const scrape = (counts: number[]) =>
    parseProm(
      [1, 2, 4, '+Inf']
        .map((le, i) => `tickwire_tick_lateness_ms_bucket{le="${le}"} ${counts[i]}`)
        .concat(`tickwire_tick_lateness_ms_count ${counts[3]}`)
        .join('\n'),
    );

  it('interpolates inside the bucket of the observations between two scrapes', () => {
    const before = scrape([10, 10, 10, 10]);
    // 100 new observations: 50 in (0,1], 40 in (1,2], 10 in (2,4].
    const after = scrape([60, 100, 110, 110]);
    expect(histogramQuantile(before, after, 'tickwire_tick_lateness_ms', 0.5)).toBeCloseTo(1, 6);
    expect(histogramQuantile(before, after, 'tickwire_tick_lateness_ms', 0.7)).toBeCloseTo(1.5, 6);
    expect(histogramQuantile(before, after, 'tickwire_tick_lateness_ms', 0.95)).toBeCloseTo(3, 6);
    expect(histogramQuantile(after, after, 'tickwire_tick_lateness_ms', 0.5)).toBeNaN();
  });
});
