/**
 * The bots' batch15 sender (loadtest/bots/upstream.ts): its frames decode, through the
 * server's decoder, to consecutive batches that repeat the previous frame's newest input;
 * and input→ack timing counts each newly acked input once.
 */
import { describe, expect, it } from 'vitest';
import { ClientType, decodeClient, type InputMsg } from '../../protocol/index.js';
import { AckLatency, BatchSender } from '../../loadtest/bots/upstream.js';

describe('BatchSender', () => {
  it('holds odd inputs and sends [previous newest, held, current] on even ones', () => {
    const sender = new BatchSender();
    const sent: InputMsg[][] = [];
    for (let seq = 1; seq <= 8; seq++) {
      const frame = sender.next(seq, 100 + seq, seq % 32, 1000 * seq);
      expect(frame === null).toBe(seq % 2 === 1);
      if (!frame) continue;
      const r = decodeClient(frame);
      if (!r.ok || r.value.type !== ClientType.InputBatch) throw new Error(`not a batch: ${JSON.stringify(r)}`);
      sent.push(r.value.inputs);
    }
    expect(sent.map((b) => b.map((i) => i.seq))).toEqual([[1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8]]);
    // Each input keeps its own buttons and aim; the repeat is byte-for-byte the earlier input.
    for (const batch of sent) for (const i of batch) expect([i.buttons, i.aim]).toEqual([i.seq % 32, 1000 * i.seq]);
    expect(sent[3].every((i) => i.ackTick === 108)).toBe(true);
  });
});

describe('AckLatency', () => {
  it('times every newly acked input from when it was made, once', () => {
    const lat = new AckLatency();
    const ring = AckLatency.madeAtRing();
    for (let seq = 1; seq <= 4; seq++) AckLatency.made(ring, seq, 10 * seq);
    lat.acked(ring, 0, 2, 4, 50); // inputs 1 and 2: 40 and 30 ms
    lat.acked(ring, 2, 2, 4, 60); // no progress
    lat.acked(ring, 2, 4, 4, 70); // inputs 3 and 4: 40 and 30 ms
    lat.acked(ring, 4, 9, 4, 80); // an ack beyond the newest input made: ignored
    expect(lat.stats()).toEqual({ p50: 30, p99: 40, mean: 35, count: 4 });
    lat.reset();
    expect(lat.stats()).toBeNull();
  });
});
