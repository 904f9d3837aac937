/** The long-polling body format (protocol/pollFraming.ts): round trips and hostile input. */
import { describe, expect, it } from 'vitest';
import { decodePollBody, encodePollBody, POLL_RECORD_HEADER_BYTES } from '../../protocol/index.js';

const LIMITS = { maxRecords: 8, maxRecordBytes: 64, allowClose: true };

describe('poll framing', () => {
  it('round-trips frames and a final close record', () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([9]);
    const body = encodePollBody([a, b], { code: 4016, reason: 'too slow ✓' });
    const r = decodePollBody(body, LIMITS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((x) => x.kind)).toEqual(['frame', 'frame', 'close']);
    expect(r.value[0]).toEqual({ kind: 'frame', frame: a });
    expect(r.value[1]).toEqual({ kind: 'frame', frame: b });
    expect(r.value[2]).toEqual({ kind: 'close', code: 4016, reason: 'too slow ✓' });
  });

  it('an empty body is no records', () => {
    expect(decodePollBody(new Uint8Array(0), LIMITS)).toEqual({ ok: true, value: [] });
  });

  it('refuses truncated headers and payloads', () => {
    const body = encodePollBody([new Uint8Array([1, 2, 3, 4])]);
    expect(decodePollBody(body.subarray(0, 3), LIMITS)).toMatchObject({ ok: false, error: 'truncated record header' });
    expect(decodePollBody(body.subarray(0, body.length - 1), LIMITS)).toMatchObject({ ok: false, error: 'truncated record' });
  });

  it('refuses oversized records, too many records, unknown kinds and empty frames', () => {
    expect(decodePollBody(encodePollBody([new Uint8Array(65)]), LIMITS)).toMatchObject({ ok: false });
    const nine = Array.from({ length: 9 }, () => new Uint8Array([1]));
    expect(decodePollBody(encodePollBody(nine), LIMITS)).toMatchObject({ ok: false, error: 'more than 8 records' });
    expect(decodePollBody(new Uint8Array([7, 0, 0, 0, 1, 0]), LIMITS)).toMatchObject({ ok: false, error: 'unknown record kind 7' });
    expect(decodePollBody(new Uint8Array([1, 0, 0, 0, 0]), LIMITS)).toMatchObject({ ok: false, error: 'empty frame record' });
    // A length near 2^32 is refused by the limit before any allocation.
    expect(decodePollBody(new Uint8Array([1, 0xff, 0xff, 0xff, 0xff]), LIMITS)).toMatchObject({ ok: false });
  });

  it('refuses a close record where none is allowed (client sends), or not last', () => {
    const close = encodePollBody([], { code: 1000, reason: '' });
    expect(decodePollBody(close, { ...LIMITS, allowClose: false })).toMatchObject({ ok: false });
    const both = new Uint8Array([...close, ...encodePollBody([new Uint8Array([1])])]);
    expect(decodePollBody(both, LIMITS)).toMatchObject({ ok: false, error: 'close record is not the last' });
    expect(decodePollBody(new Uint8Array([2, 0, 0, 0, 1, 0]), LIMITS)).toMatchObject({ ok: false, error: 'close record without a code' });
  });

  it('costs five bytes per record', () => {
    expect(encodePollBody([new Uint8Array(10), new Uint8Array(20)]).byteLength).toBe(30 + 2 * POLL_RECORD_HEADER_BYTES);
  });
});
