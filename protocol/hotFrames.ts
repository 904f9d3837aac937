/**
 * The frames of the server's hot path, read and written by hand: Input, InputBatch and Ping
 * in (30 + 1 per player per second), Pong out. The readers fill caller-owned objects and
 * allocate nothing; anything they do not recognise (other encodings, out-of-range values,
 * trailing bytes) makes them return false, and the general decoder in clientCodec.ts —
 * the one place that decides what is valid — answers instead. Tests check both paths
 * agree, and that the Pong writer's bytes equal the general encoder's.
 */
import { BUTTONS_MASK } from './movement.js';
import { ClientType, Limits, ServerType, type InputMsg, type PingMsg } from './messages.js';

/** Where the last readUint stopped (module state: the readers are synchronous). */
let at = 0;

/**
 * Reads one canonically encoded MessagePack unsigned integer (positive fixint, uint8,
 * uint16 or uint32) at `pos`; returns -1 for anything else, so the caller falls back.
 */
function readUint(b: Uint8Array, pos: number): number {
  if (pos >= b.length) return -1;
  const tag = b[pos];
  if (tag <= 0x7f) {
    at = pos + 1;
    return tag;
  }
  if (tag === 0xcc && pos + 1 < b.length) {
    at = pos + 2;
    return b[pos + 1];
  }
  if (tag === 0xcd && pos + 2 < b.length) {
    at = pos + 3;
    return (b[pos + 1] << 8) | b[pos + 2];
  }
  if (tag === 0xce && pos + 4 < b.length) {
    at = pos + 5;
    return ((b[pos + 1] << 24) >>> 0) + ((b[pos + 2] << 16) | (b[pos + 3] << 8) | b[pos + 4]);
  }
  return -1;
}

/** A blank input, with every field present (one object shape for scratch and copies). */
export function blankInput(): InputMsg {
  return { type: ClientType.Input, seq: 0, buttons: 0, aim: 0, ackTick: 0, viewTick: undefined };
}

/**
 * `[1, seq, buttons, aim, ackTick(, viewTick)]` with unsigned integers into `out` (viewTick
 * undefined when absent); false when the frame is anything else.
 */
export function readInputFast(b: Uint8Array, out: InputMsg): boolean {
  const withView = b[0] === 0x96;
  if (b.length < 6 || (b[0] !== 0x95 && !withView) || b[1] !== ClientType.Input) return false;
  const seq = readUint(b, 2);
  if (seq < 0) return false;
  const buttons = readUint(b, at);
  if (buttons < 0 || buttons > BUTTONS_MASK) return false;
  const aim = readUint(b, at);
  if (aim < 0 || aim > 0xffff) return false;
  const ackTick = readUint(b, at);
  if (ackTick < 0) return false;
  let viewTick: number | undefined;
  if (withView) {
    viewTick = readUint(b, at);
    if (viewTick < 0) return false;
  }
  if (at !== b.length) return false;
  out.seq = seq;
  out.buttons = buttons;
  out.aim = aim;
  out.ackTick = ackTick;
  out.viewTick = viewTick;
  return true;
}

/**
 * `[6, firstSeq, ackTick, viewTick, (buttons, aim) × 1–3]` with unsigned integers, expanded
 * into `out[0..n)` (n returned; 0 when the frame is anything else). Input i gets seq
 * firstSeq + i and viewTick its age before the frame's (undefined when the frame's is 0).
 * `out` holds at least Limits.maxBatchInputs inputs; on 0 its contents are unspecified.
 */
export function readInputBatchFast(b: Uint8Array, out: readonly InputMsg[]): number {
  const head = b[0];
  if (b.length < 7 || b.length > Limits.maxBatchFrameBytes || b[1] !== ClientType.InputBatch) return 0;
  if (head !== 0x96 && head !== 0x98 && head !== 0x9a) return 0;
  const count = (head - 0x94) / 2;
  const firstSeq = readUint(b, 2);
  // The last seq must fit too: consecutive numbers never wrap.
  if (firstSeq < 0 || firstSeq > Limits.maxSeq - (count - 1)) return 0;
  const ackTick = readUint(b, at);
  if (ackTick < 0) return 0;
  const viewTick = readUint(b, at);
  if (viewTick < 0) return 0;
  for (let i = 0; i < count; i++) {
    const buttons = readUint(b, at);
    if (buttons < 0 || buttons > BUTTONS_MASK) return 0;
    const aim = readUint(b, at);
    if (aim < 0 || aim > 0xffff) return 0;
    const input = out[i];
    input.seq = firstSeq + i;
    input.buttons = buttons;
    input.aim = aim;
    input.ackTick = ackTick;
    input.viewTick = viewTick === 0 ? undefined : Math.max(0, viewTick - (count - 1 - i));
  }
  return at === b.length ? count : 0;
}

// One float64 in big-endian bytes (MessagePack's order), whatever the machine's.
const f64Bytes = new Uint8Array(8);
const f64View = new DataView(f64Bytes.buffer);

/**
 * `[2, t]` with t an unsigned integer up to uint32 or a float64 (what clients send:
 * `performance.now()`), 0 ≤ t ≤ MAX_SAFE_INTEGER, into `out`; false otherwise.
 */
export function readPingFast(b: Uint8Array, out: PingMsg): boolean {
  if (b.length < 3 || b[0] !== 0x92 || b[1] !== ClientType.Ping) return false;
  let t: number;
  if (b[2] === 0xcb) {
    if (b.length !== 11) return false;
    for (let i = 0; i < 8; i++) f64Bytes[i] = b[3 + i];
    t = f64View.getFloat64(0);
    // The general decoder's range check (NaN fails both comparisons).
    if (!(t >= 0 && t <= Number.MAX_SAFE_INTEGER)) return false;
  } else {
    t = readUint(b, 2);
    if (t < 0 || at !== b.length) return false;
  }
  out.t = t;
  return true;
}

/** Bytes a Pong takes at most: array and type tags, two float64 / uint64 values. */
export const MAX_PONG_BYTES = 2 + 9 + 9;

/**
 * A non-negative number as @msgpack/msgpack's Encoder writes it (safe integers in the
 * smallest unsigned form, everything else float64) at `pos`; returns the end, or -1 for a
 * negative integer (not a Pong's; the caller falls back to the general encoder).
 */
function writeNumber(out: Uint8Array, pos: number, x: number): number {
  if (!Number.isSafeInteger(x)) {
    f64View.setFloat64(0, x);
    out[pos] = 0xcb;
    for (let i = 0; i < 8; i++) out[pos + 1 + i] = f64Bytes[i];
    return pos + 9;
  }
  // -0 is a safe integer ≥ 0: fixint 0, as the Encoder writes it.
  if (x < 0) return -1;
  if (x < 0x80) {
    out[pos] = x;
    return pos + 1;
  }
  if (x < 0x100) {
    out[pos] = 0xcc;
    out[pos + 1] = x;
    return pos + 2;
  }
  if (x < 0x10000) {
    out[pos] = 0xcd;
    out[pos + 1] = x >>> 8;
    out[pos + 2] = x;
    return pos + 3;
  }
  if (x < 0x100000000) {
    out[pos] = 0xce;
    out[pos + 1] = x >>> 24;
    out[pos + 2] = x >>> 16;
    out[pos + 3] = x >>> 8;
    out[pos + 4] = x;
    return pos + 5;
  }
  out[pos] = 0xcf;
  const hi = Math.floor(x / 0x100000000);
  const lo = x >>> 0;
  out[pos + 1] = hi >>> 24;
  out[pos + 2] = hi >>> 16;
  out[pos + 3] = hi >>> 8;
  out[pos + 4] = hi;
  out[pos + 5] = lo >>> 24;
  out[pos + 6] = lo >>> 16;
  out[pos + 7] = lo >>> 8;
  out[pos + 8] = lo;
  return pos + 9;
}

/**
 * Writes `[67, t, serverTime]` into `out` (≥ MAX_PONG_BYTES long) byte for byte as
 * encodeServer does; returns its length, or -1 when a value is negative (then use encodeServer).
 */
export function writePong(out: Uint8Array, t: number, serverTime: number): number {
  out[0] = 0x93;
  out[1] = ServerType.Pong;
  const mid = writeNumber(out, 2, t);
  return mid < 0 ? -1 : writeNumber(out, mid, serverTime);
}
