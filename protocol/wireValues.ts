/**
 * What the client and server codecs (clientCodec.ts, serverCodec.ts) share: MessagePack
 * in and out — decoding never throws, trailing bytes are an error — and the checks of a
 * decoded value's fields (integer ranges, finite numbers, printable text, arities).
 * Internal to protocol/: the public barrel does not export it.
 */
import { Decoder, Encoder } from '@msgpack/msgpack';
import { fail, ok, type Result } from './result.js';

const encoder = new Encoder({ ignoreUndefined: true });

export function encode(value: unknown): Uint8Array {
  return encoder.encode(value);
}

/** Decodes one MessagePack value with `dec` (whose limits the caller chose); trailing bytes are an error. */
export function decodeRaw(bytes: ArrayBuffer | Uint8Array, dec: Decoder): Result<unknown> {
  try {
    return ok(dec.decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)));
  } catch (e) {
    return fail(`msgpack: ${(e as Error).message}`);
  }
}

// ---- field checks ---------------------------------------------------------------------

export function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

export function isFiniteNum(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}

/** Printable text only: no C0/C1 control characters (newlines and tabs included). */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

export function isText(v: unknown, maxLen: number, minLen = 0): v is string {
  return typeof v === 'string' && v.length >= minLen && v.length <= maxLen && !CONTROL_CHARS.test(v);
}

export function isIntArray(v: unknown, maxLen: number, min: number, max: number): v is number[] {
  if (!Array.isArray(v) || v.length > maxLen) return false;
  for (const x of v) if (!isInt(x, min, max)) return false;
  return true;
}

export function arity(a: unknown[], n: number, name: string): string | null {
  return a.length === n ? null : `${name}: expected ${n} elements, got ${a.length}`;
}

export const U32 = 0xffffffff;
export const I32_MIN = -0x80000000;
export const I32_MAX = 0x7fffffff;
