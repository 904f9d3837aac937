/**
 * UTF-8 TextEncoder/TextDecoder for k6, which has neither (checked on k6 v1.8.1), while
 * @msgpack/msgpack constructs both when its module loads. The loadtest build injects this
 * file (esbuild `inject`), so the bundle's references to the two globals resolve to these
 * classes and nothing global is patched. Only what msgpack calls is implemented.
 */

export class TextEncoder {
  readonly encoding = 'utf-8';

  encode(input = ''): Uint8Array {
    const out = new Uint8Array(input.length * 3);
    return out.subarray(0, this.encodeInto(input, out).written);
  }

  encodeInto(input: string, dest: Uint8Array): { read: number; written: number } {
    let w = 0;
    let i = 0;
    for (; i < input.length; i++) {
      let c = input.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < input.length) {
        const lo = input.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
          if (w + 4 > dest.length) break;
          dest[w++] = 0xf0 | (c >> 18);
          dest[w++] = 0x80 | ((c >> 12) & 0x3f);
          dest[w++] = 0x80 | ((c >> 6) & 0x3f);
          dest[w++] = 0x80 | (c & 0x3f);
          i++;
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
      if (c < 0x80) {
        if (w + 1 > dest.length) break;
        dest[w++] = c;
      } else if (c < 0x800) {
        if (w + 2 > dest.length) break;
        dest[w++] = 0xc0 | (c >> 6);
        dest[w++] = 0x80 | (c & 0x3f);
      } else {
        if (w + 3 > dest.length) break;
        dest[w++] = 0xe0 | (c >> 12);
        dest[w++] = 0x80 | ((c >> 6) & 0x3f);
        dest[w++] = 0x80 | (c & 0x3f);
      }
    }
    return { read: i, written: w };
  }
}

export class TextDecoder {
  readonly encoding = 'utf-8';

  decode(input?: ArrayBuffer | ArrayBufferView): string {
    if (!input) return '';
    const b = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    const units: number[] = [];
    let out = '';
    let i = 0;
    while (i < b.length) {
      const b1 = b[i++];
      let cp: number;
      if (b1 < 0x80) cp = b1;
      else if ((b1 & 0xe0) === 0xc0 && i < b.length) cp = ((b1 & 0x1f) << 6) | (b[i++] & 0x3f);
      else if ((b1 & 0xf0) === 0xe0 && i + 1 < b.length) cp = ((b1 & 0x0f) << 12) | ((b[i++] & 0x3f) << 6) | (b[i++] & 0x3f);
      else if ((b1 & 0xf8) === 0xf0 && i + 2 < b.length) {
        cp = ((b1 & 0x07) << 18) | ((b[i++] & 0x3f) << 12) | ((b[i++] & 0x3f) << 6) | (b[i++] & 0x3f);
      } else cp = 0xfffd;
      if (cp > 0xffff) {
        cp -= 0x10000;
        units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
      } else units.push(cp);
      if (units.length >= 4096) {
        out += String.fromCharCode(...units);
        units.length = 0;
      }
    }
    return out + String.fromCharCode(...units);
  }
}
