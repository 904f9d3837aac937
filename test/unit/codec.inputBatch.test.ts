/**
 * The InputBatch frame: round trips of 1–3 inputs, the per-input fields the decoder derives
 * (consecutive seqs, shared ackTick, viewTick per input's age), and hostile batches.
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { ClientType, Limits, decodeClient, decodeClientGeneral, encodeClient, type InputMsg } from '../../protocol/index.js';
import { prng, randInt } from '../support/prng.js';

const U32_MAX = 0xffffffff;

function input(seq: number, buttons: number, aim: number, ackTick: number, viewTick?: number): InputMsg {
  return viewTick === undefined ? { type: ClientType.Input, seq, buttons, aim, ackTick } : { type: ClientType.Input, seq, buttons, aim, ackTick, viewTick };
}

function error(value: unknown): string {
  const r = decodeClient(encode(value));
  if (r.ok) throw new Error(`decoded ${JSON.stringify(value)}`);
  return r.error;
}

describe('InputBatch', () => {
  it('round-trips one, two and three consecutive inputs', () => {
    for (const n of [1, 2, 3]) {
      const inputs = Array.from({ length: n }, (_, i) => input(41 + i, (i * 7) % 32, 1000 * i, 900));
      const bytes = encodeClient({ type: ClientType.InputBatch, inputs });
      expect(decodeClient(bytes)).toEqual({ ok: true, value: { type: ClientType.InputBatch, inputs } });
    }
  });

  it('gives the frame viewTick to the newest input and viewTick − age to older ones', () => {
    const bytes = encodeClient({ type: ClientType.InputBatch, inputs: [input(7, 1, 2, 50), input(8, 1, 2, 50), input(9, 1, 2, 50, 48)] });
    const r = decodeClient(bytes);
    expect(r.ok && r.value.type === ClientType.InputBatch && r.value.inputs.map((i) => i.viewTick)).toEqual([46, 47, 48]);
  });

  it('accepts every field at its limit, within the size bound', () => {
    const inputs = [input(U32_MAX - 2, 31, 0xffff, U32_MAX), input(U32_MAX - 1, 31, 0xffff, U32_MAX), input(U32_MAX, 31, 0xffff, U32_MAX, U32_MAX)];
    const bytes = encodeClient({ type: ClientType.InputBatch, inputs });
    expect(bytes.length).toBeLessThanOrEqual(Limits.maxBatchFrameBytes);
    expect(decodeClient(bytes).ok).toBe(true);
  });

  it('refuses hostile batches with a reason naming the field', () => {
    expect(error([6, 1, 0, 0])).toMatch(/pairs/); // no inputs
    expect(error([6, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toMatch(/pairs/); // four inputs
    expect(error([6, 1, 0, 0, 0, 0, 0])).toMatch(/pairs/); // half a pair
    expect(error([6, -1, 0, 0, 0, 0])).toMatch(/seq/);
    expect(error([6, 1.5, 0, 0, 0, 0])).toMatch(/seq/);
    // The third input's seq would be 2^32: consecutive sequence numbers may not wrap.
    expect(error([6, U32_MAX - 1, 0, 0, 0, 0, 0, 0, 0, 0])).toMatch(/seq/);
    expect(error([6, 1, -1, 0, 0, 0])).toMatch(/ackTick/);
    expect(error([6, 1, 0, 'x', 0, 0])).toMatch(/viewTick/);
    expect(error([6, 1, 0, 0, 32, 0])).toMatch(/buttons/);
    expect(error([6, 1, 0, 0, 0, 0, 0, 0x10000])).toMatch(/aim/);
    expect(error([6, 1, 0, 0, null, 0])).toMatch(/buttons/);
  });

  it('refuses a batch over the size bound even when its values are valid', () => {
    // Valid MessagePack, but every integer as a float64 (9 bytes): 6 + 9 × 9 > 40 bytes.
    const b: number[] = [0x9a, 0x06];
    for (let i = 0; i < 9; i++) b.push(0xcb, 0, 0, 0, 0, 0, 0, 0, 0);
    const r = decodeClient(Uint8Array.from(b));
    expect(r).toEqual({ ok: false, error: 'inputBatch: frame too large' });
  });

  it('refuses to encode a batch the decoder would refuse', () => {
    expect(() => encodeClient({ type: ClientType.InputBatch, inputs: [] })).toThrow(/1–3/);
    expect(() => encodeClient({ type: ClientType.InputBatch, inputs: [input(1, 0, 0, 0), input(3, 0, 0, 0)] })).toThrow(/consecutive/);
  });
});

describe('InputBatch fast path', () => {
  it('agrees with the general decoder on random, corrupted, cut and padded batches', () => {
    const rnd = prng(13);
    let fast = 0;
    for (let n = 0; n < 20_000; n++) {
      const count = randInt(rnd, 1, 3);
      const first = rnd() < 0.2 ? U32_MAX - randInt(rnd, 0, 3) : randInt(rnd, 0, U32_MAX - 2);
      const ackTick = randInt(rnd, 0, U32_MAX);
      const viewTick = rnd() < 0.5 ? 0 : randInt(rnd, 0, U32_MAX);
      const values: number[] = [ClientType.InputBatch, first, ackTick, viewTick];
      for (let i = 0; i < count; i++) values.push(randInt(rnd, 0, rnd() < 0.1 ? 40 : 31), randInt(rnd, 0, rnd() < 0.1 ? 70_000 : 0xffff));
      let bytes = encode(values);
      const k = rnd();
      if (k < 0.25) {
        bytes = bytes.slice();
        bytes[randInt(rnd, 0, bytes.length - 1)] = randInt(rnd, 0, 255);
      } else if (k < 0.35) bytes = bytes.slice(0, randInt(rnd, 0, bytes.length - 1));
      else if (k < 0.45) bytes = Uint8Array.from([...bytes, randInt(rnd, 0, 255)]);
      const a = decodeClient(bytes);
      const b = decodeClientGeneral(bytes);
      expect(a.ok).toBe(b.ok);
      if (a.ok && b.ok) {
        expect(a.value).toEqual(b.value);
        fast++;
      }
    }
    expect(fast).toBeGreaterThan(5_000);
  });
});
