/**
 * The HTTP long-polling transport's body format, shared by server and client: a body is a
 * sequence of records, each `[kind u8][length u32 big-endian][payload]`.
 *
 *   kind 1 (frame)  payload = one protocol frame, byte for byte what a WebSocket message holds
 *   kind 2 (close)  payload = `[code u16 big-endian][reason UTF-8]`: the session is over;
 *                   the in-band equivalent of a WebSocket close frame, always the last record
 *
 * A kind byte (rather than a bare length) is what lets a close travel in the same body as the
 * frames queued before it, in order. Decoding never throws: truncated or oversized input is
 * an error result, since a send body is hostile input like any WebSocket frame.
 */
import { fail, ok, type Result } from './result.js';

export const PollRecord = { Frame: 1, Close: 2 } as const;

/** Bytes of a record's header (kind + length). */
export const POLL_RECORD_HEADER_BYTES = 5;

export type PollRecordValue = { kind: 'frame'; frame: Uint8Array } | { kind: 'close'; code: number; reason: string };

export interface PollDecodeLimits {
  /** Records per body. */
  maxRecords: number;
  /** Payload bytes per record. */
  maxRecordBytes: number;
  /** Whether close records are allowed (server → client only). */
  allowClose: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Encodes frames (and an optional final close) as one body. */
export function encodePollBody(frames: readonly Uint8Array[], close: { code: number; reason: string } | null = null): Uint8Array<ArrayBuffer> {
  const reason = close ? encoder.encode(close.reason) : null;
  let size = 0;
  for (const f of frames) size += POLL_RECORD_HEADER_BYTES + f.byteLength;
  if (reason) size += POLL_RECORD_HEADER_BYTES + 2 + reason.byteLength;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let o = 0;
  for (const f of frames) {
    out[o] = PollRecord.Frame;
    view.setUint32(o + 1, f.byteLength);
    out.set(f, o + POLL_RECORD_HEADER_BYTES);
    o += POLL_RECORD_HEADER_BYTES + f.byteLength;
  }
  if (close && reason) {
    out[o] = PollRecord.Close;
    view.setUint32(o + 1, 2 + reason.byteLength);
    view.setUint16(o + POLL_RECORD_HEADER_BYTES, close.code);
    out.set(reason, o + POLL_RECORD_HEADER_BYTES + 2);
  }
  return out;
}

/**
 * Splits a body into records. Payloads are views into `body` (no copies). Errors: a record
 * cut short, an unknown kind, a payload over the limit, too many records, a close record
 * where none is allowed or not last.
 */
export function decodePollBody(body: Uint8Array, limits: PollDecodeLimits): Result<PollRecordValue[]> {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const records: PollRecordValue[] = [];
  let o = 0;
  while (o < body.byteLength) {
    if (records.length >= limits.maxRecords) return fail(`more than ${limits.maxRecords} records`);
    if (body.byteLength - o < POLL_RECORD_HEADER_BYTES) return fail('truncated record header');
    const kind = body[o];
    const len = view.getUint32(o + 1);
    if (len > limits.maxRecordBytes) return fail(`record of ${len} bytes (at most ${limits.maxRecordBytes})`);
    const start = o + POLL_RECORD_HEADER_BYTES;
    if (body.byteLength - start < len) return fail('truncated record');
    const payload = body.subarray(start, start + len);
    o = start + len;
    if (kind === PollRecord.Frame) {
      if (len === 0) return fail('empty frame record');
      records.push({ kind: 'frame', frame: payload });
    } else if (kind === PollRecord.Close) {
      if (!limits.allowClose) return fail('close record not allowed here');
      if (len < 2) return fail('close record without a code');
      if (o !== body.byteLength) return fail('close record is not the last');
      records.push({ kind: 'close', code: view.getUint16(start), reason: decoder.decode(payload.subarray(2)) });
    } else {
      return fail(`unknown record kind ${kind}`);
    }
  }
  return ok(records);
}
