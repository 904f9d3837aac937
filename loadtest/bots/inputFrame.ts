/**
 * A pre-encoded Input frame that is patched in place each tick instead of re-encoded.
 *
 * MessagePack lets an integer use a wider encoding than it needs, so the frame is laid out
 * with fixed-width fields and every tick only overwrites bytes:
 *
 *   95            fixarray(5)
 *   01            type = Input
 *   ce ss ss ss ss  seq      (uint32, big-endian)
 *   bb            buttons  (positive fixint, ≤ 31)
 *   cd aa aa      aim      (uint16)
 *   ce tt tt tt tt  ackTick  (uint32)
 *
 * 16 bytes, where encodeClient's minimal encoding of the same message takes 9–16 (12 for
 * typical values once seq and ticks pass 255): up bytes per player measured with the bots
 * are a few bytes per input higher than a real client's. The server's decoder accepts both.
 */
export const INPUT_FRAME_BYTES = 16;

export class InputFrame {
  readonly bytes = Buffer.alloc(INPUT_FRAME_BYTES);

  constructor() {
    const b = this.bytes;
    b[0] = 0x95;
    b[1] = 0x01;
    b[2] = 0xce;
    b[8] = 0xcd;
    b[11] = 0xce;
  }

  /** Writes one tick's input; the returned buffer is this frame (send it before the next set). */
  set(seq: number, buttons: number, aim: number, ackTick: number): Buffer {
    const b = this.bytes;
    b.writeUInt32BE(seq >>> 0, 3);
    b[7] = buttons & 0x1f;
    b.writeUInt16BE(aim & 0xffff, 9);
    b.writeUInt32BE(ackTick >>> 0, 12);
    return b;
  }
}

/**
 * A pre-encoded InputBatch frame (protocol/clientCodec.ts), patched in place like InputFrame:
 *
 *   9a / 98       fixarray(10 or 8): three inputs, or two (the first frame, nothing to repeat)
 *   06            type = InputBatch
 *   ce ss ss ss ss  first seq (uint32)
 *   ce tt tt tt tt  ackTick   (uint32)
 *   00            viewTick = 0 (unknown, as the single frame leaves it out)
 *   bb cd aa aa   buttons, aim — per input, oldest first
 *
 * 25 bytes with three inputs (21 with two).
 */
export const INPUT_BATCH_FRAME_BYTES = 25;

export class InputBatchFrame {
  private readonly bytes = Buffer.alloc(INPUT_BATCH_FRAME_BYTES);

  constructor() {
    const b = this.bytes;
    b[1] = 0x06;
    b[2] = 0xce;
    b[7] = 0xce;
    b[12] = 0x00;
    for (let i = 0; i < 3; i++) b[14 + 4 * i] = 0xcd;
  }

  /**
   * Writes a frame of `count` (2 or 3) inputs with seqs firstSeq…, the (buttons, aim) pairs
   * taken from `buttons`/`aims` (oldest first); the returned buffer is a view of this frame.
   */
  set(firstSeq: number, ackTick: number, count: 2 | 3, buttons: ArrayLike<number>, aims: ArrayLike<number>): Buffer {
    const b = this.bytes;
    b[0] = count === 3 ? 0x9a : 0x98;
    b.writeUInt32BE(firstSeq >>> 0, 3);
    b.writeUInt32BE(ackTick >>> 0, 8);
    for (let i = 0; i < count; i++) {
      b[13 + 4 * i] = buttons[i] & 0x1f;
      b.writeUInt16BE(aims[i] & 0xffff, 15 + 4 * i);
    }
    return count === 3 ? b : b.subarray(0, 13 + 4 * count);
  }
}

/**
 * Reads a MessagePack unsigned integer at `offset` (the encodings the server produces for
 * ticks), or -1. Lets the bots learn a snapshot's tick without decoding the frame.
 */
export function peekUint(b: Uint8Array, offset: number): number {
  const t = b[offset];
  if (t === undefined) return -1;
  if (t < 0x80) return t;
  if (t === 0xcc) return b[offset + 1] ?? -1;
  if (t === 0xcd && offset + 2 < b.length) return (b[offset + 1] << 8) | b[offset + 2];
  if (t === 0xce && offset + 4 < b.length) return ((b[offset + 1] << 24) >>> 0) + ((b[offset + 2] << 16) | (b[offset + 3] << 8) | b[offset + 4]);
  return -1;
}

/** The message type of a server frame (`[type, ...]` with a fixarray header), or -1. */
export function peekType(b: Uint8Array): number {
  return b.length >= 2 && (b[0] & 0xf0) === 0x90 && b[1] < 0x80 ? b[1] : -1;
}
