/**
 * The receive path's decoder (ClientFrameReader) and the Pong fast path: the reader gives
 * the same messages and errors as decodeClient on valid, mutated and hostile frames; its
 * scratch messages are overwritten by the next read (so callers must copy, and the
 * allocating decodeClient never hands out scratch); Pongs are byte-identical to the
 * general encoder's, and PongWriter reuses one bounded buffer.
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  ClientFrameReader,
  ClientType,
  PongWriter,
  ServerType,
  decodeClient,
  decodeServer,
  encodeClient,
  encodePong,
  encodeServer,
  type ClientMessage,
  type InputMsg,
} from '../../protocol/index.js';
import { MAX_PONG_BYTES, writePong } from '../../protocol/hotFrames.js';
import { prng, randInt } from '../support/prng.js';

const U32_MAX = 0xffffffff;

/** A structural copy (the reader's messages are scratch). */
const snapshot = (m: ClientMessage | null) => (m === null ? null : structuredClone(m));

function randomFrame(rnd: () => number): Uint8Array {
  const edge = (max: number) => [0, 1, 127, 128, 255, 256, 65535, 65536, max][randInt(rnd, 0, 8)];
  const k = rnd();
  let bytes: Uint8Array;
  if (k < 0.4) {
    bytes = encodeClient({
      type: ClientType.Input,
      seq: rnd() < 0.5 ? edge(U32_MAX) : randInt(rnd, 0, U32_MAX),
      buttons: randInt(rnd, 0, 31),
      aim: randInt(rnd, 0, 0xffff),
      ackTick: randInt(rnd, 0, U32_MAX),
      ...(rnd() < 0.5 ? { viewTick: randInt(rnd, 0, U32_MAX) } : {}),
    });
  } else if (k < 0.7) {
    const count = randInt(rnd, 1, 3);
    const values: number[] = [ClientType.InputBatch, rnd() < 0.1 ? U32_MAX - randInt(rnd, 0, 3) : randInt(rnd, 0, U32_MAX), randInt(rnd, 0, U32_MAX), rnd() < 0.5 ? 0 : randInt(rnd, 0, 5)];
    for (let i = 0; i < count; i++) values.push(randInt(rnd, 0, rnd() < 0.1 ? 40 : 31), randInt(rnd, 0, rnd() < 0.1 ? 70_000 : 0xffff));
    bytes = encode(values);
  } else if (k < 0.9) {
    const t = [() => rnd() * 1e7, () => randInt(rnd, 0, U32_MAX), () => 2 ** 40 + randInt(rnd, 0, 1000), () => -rnd(), () => NaN, () => Infinity][randInt(rnd, 0, 5)]();
    bytes = encode([ClientType.Ping, t]);
  } else {
    bytes = encode([[ClientType.Chat, 'hi'], [ClientType.Leave], [ClientType.Request, 1, 'm', null], [9], []][randInt(rnd, 0, 4)]);
  }
  const m = rnd();
  if (m < 0.25) {
    bytes = bytes.slice();
    bytes[randInt(rnd, 0, bytes.length - 1)] = randInt(rnd, 0, 255);
  } else if (m < 0.35) bytes = bytes.slice(0, randInt(rnd, 0, bytes.length - 1));
  else if (m < 0.45) bytes = Uint8Array.from([...bytes, randInt(rnd, 0, 255)]);
  return bytes;
}

describe('ClientFrameReader', () => {
  it('gives the same message or error as decodeClient, for ArrayBuffers and views', () => {
    const rnd = prng(0x4ead);
    const reader = new ClientFrameReader();
    let ok = 0;
    for (let i = 0; i < 30_000; i++) {
      const bytes = randomFrame(rnd);
      const expected = decodeClient(bytes);
      // An ArrayBuffer as uWS hands it, or a view at an offset (long-polling bodies).
      const input = i % 2 === 0 ? bytes.slice().buffer : Uint8Array.from([0, ...bytes]).subarray(1);
      const got = reader.read(input);
      if (expected.ok) {
        expect(got).toEqual(expected.value);
        ok++;
      } else {
        expect(got).toBeNull();
        expect(reader.error).toBe(expected.error);
      }
    }
    expect(ok).toBeGreaterThan(10_000);
  });

  it('refuses an oversize frame before reading it', () => {
    const reader = new ClientFrameReader();
    expect(reader.read(new Uint8Array(2000))).toBeNull();
    expect(reader.error).toBe('frame too large');
  });

  it('reuses its Input, InputBatch and Ping messages: the next read overwrites them', () => {
    const reader = new ClientFrameReader();
    const a = reader.read(encodeClient({ type: ClientType.Input, seq: 1, buttons: 1, aim: 10, ackTick: 5, viewTick: 4 })) as InputMsg;
    const kept = { ...a };
    const b = reader.read(encodeClient({ type: ClientType.Input, seq: 2, buttons: 2, aim: 20, ackTick: 6 })) as InputMsg;
    expect(b).toBe(a);
    expect(a).not.toEqual(kept);
    expect(b).toEqual({ type: ClientType.Input, seq: 2, buttons: 2, aim: 20, ackTick: 6 });
    // The optional viewTick of an earlier frame does not survive into one without it.
    expect(b.viewTick).toBeUndefined();

    const batch = (first: number, viewTick: number) => encode([ClientType.InputBatch, first, 7, viewTick, 1, 100, 2, 200]);
    const x = reader.read(batch(10, 50));
    const y = reader.read(batch(20, 0));
    expect(y).toBe(x);
    expect(y).toEqual({ type: ClientType.InputBatch, inputs: [
      { type: ClientType.Input, seq: 20, buttons: 1, aim: 100, ackTick: 7 },
      { type: ClientType.Input, seq: 21, buttons: 2, aim: 200, ackTick: 7 },
    ] });

    const p = reader.read(encodeClient({ type: ClientType.Ping, t: 12.5 }));
    const q = reader.read(encodeClient({ type: ClientType.Ping, t: 99 }));
    expect(q).toBe(p);
    expect(q).toEqual({ type: ClientType.Ping, t: 99 });
  });

  it('a batch of n inputs is exactly n long, whatever the batch before it held', () => {
    const reader = new ClientFrameReader();
    const lens: number[] = [];
    for (const n of [3, 1, 2, 3, 1]) {
      const values = [ClientType.InputBatch, 100, 1, 0];
      for (let i = 0; i < n; i++) values.push(0, i);
      const m = reader.read(encode(values));
      lens.push(m && m.type === ClientType.InputBatch ? m.inputs.length : -1);
    }
    expect(lens).toEqual([3, 1, 2, 3, 1]);
  });

  it('leaves decodeClient allocating: its messages stay valid across reads of either', () => {
    const reader = new ClientFrameReader();
    const frame = (seq: number) => encodeClient({ type: ClientType.Input, seq, buttons: 0, aim: 0, ackTick: 0 });
    const kept = decodeClient(frame(1));
    reader.read(frame(2));
    decodeClient(frame(3));
    expect(kept).toEqual({ ok: true, value: { type: ClientType.Input, seq: 1, buttons: 0, aim: 0, ackTick: 0 } });
    expect(snapshot(reader.read(frame(4)))).toEqual({ type: ClientType.Input, seq: 4, buttons: 0, aim: 0, ackTick: 0 });
  });
});

describe('Pong fast path', () => {
  const values = [0, -0, 1, 127, 128, 255, 256, 65535, 65536, U32_MAX, U32_MAX + 1, 2 ** 40 + 3, 1_700_000_000_123, Number.MAX_SAFE_INTEGER, 2 ** 53, 0.5, 1234.5678, 1e300, NaN, Infinity];

  it('writes the bytes the general encoder writes', () => {
    const rnd = prng(0x9017);
    const pairs: Array<[number, number]> = [];
    for (const t of values) for (const s of values) pairs.push([t, s]);
    for (let i = 0; i < 2000; i++) pairs.push([rnd() * 10 ** randInt(rnd, 0, 12), randInt(rnd, 0, 2 ** 31) * 2 ** randInt(rnd, 0, 22)]);
    const writer = new PongWriter();
    for (const [t, serverTime] of pairs) {
      const expected = encode([ServerType.Pong, t, serverTime]);
      expect(encodePong(t, serverTime)).toEqual(expected);
      expect(encodeServer({ type: ServerType.Pong, t, serverTime })).toEqual(expected);
      expect(writer.encode(t, serverTime)).toEqual(expected);
      expect(expected.length).toBeLessThanOrEqual(MAX_PONG_BYTES);
    }
  });

  it('falls back to the general encoder for a negative integer', () => {
    expect(writePong(new Uint8Array(MAX_PONG_BYTES), -5, 1)).toBe(-1);
    expect(encodePong(-5, 1)).toEqual(encode([ServerType.Pong, -5, 1]));
    expect(new PongWriter().encode(3, -70_000)).toEqual(encode([ServerType.Pong, 3, -70_000]));
  });

  it('PongWriter overwrites one buffer; encodePong gives an array of its own', () => {
    const writer = new PongWriter();
    const a = writer.encode(1.5, 1_700_000_000_000);
    const b = writer.encode(2, 3);
    expect(b.buffer).toBe(a.buffer);
    expect(a.buffer.byteLength).toBe(MAX_PONG_BYTES);
    const kept = encodePong(7.25, 8);
    encodePong(9, 10);
    expect(decodeServer(kept)).toEqual({ ok: true, value: { type: ServerType.Pong, t: 7.25, serverTime: 8 } });
  });
});
