/**
 * Client → server messages: encode, decode and validate. Decoding never throws past this
 * module: MessagePack errors, wrong shapes, out-of-range numbers, oversize strings/arrays
 * and trailing bytes all come back as `{ ok: false, error }` (ClientFrameReader: null and
 * `error`). Input frames as every client encodes them take the fast paths in hotFrames.ts;
 * decodeClientGeneral decides everything else. Runs unchanged in Node, browsers and k6.
 *
 * Wire shapes (all MessagePack arrays; server → client ones: serverCodec.ts):
 *   Input    [1, seq u32, buttons u8(≤31), aim u16, ackTick u32]
 *   Ping     [2, t float ≥ 0]
 *   Chat     [3, text 1–200 chars (control, bidi and invisible characters are stripped by the server, not refused: protocol/text.ts)]
 *   Leave    [4]
 *   Request  [5, id u32, method ≤32 chars, body any]
 *   InputBatch [6, firstSeq u32, ackTick u32, viewTick u32 (0 unknown), buttons u8(≤31), aim u16, ...]
 *             1–3 (buttons, aim) pairs, oldest first, seqs firstSeq, firstSeq+1, …;
 *             at most Limits.maxBatchFrameBytes
 */
import { Decoder } from '@msgpack/msgpack';
import { BUTTONS_MASK } from './movement.js';
import { ClientType, Limits, type ClientMessage, type InputBatchMsg, type InputMsg, type PingMsg } from './messages.js';
import { blankInput, readInputBatchFast, readInputFast, readPingFast } from './hotFrames.js';
import { fail, ok, type Result } from './result.js';
import { arity, decodeRaw, encode, isFiniteNum, isInt, isText, U32 } from './wireValues.js';

// Hard limits so a hostile frame cannot make the decoder allocate much before we validate.
const clientDecoder = new Decoder({
  maxStrLength: 4096,
  maxBinLength: 0,
  maxArrayLength: 4096,
  maxMapLength: 64,
  maxExtLength: 0,
});

export function encodeClient(msg: ClientMessage): Uint8Array {
  switch (msg.type) {
    case ClientType.Input:
      return encode(
        msg.viewTick === undefined
          ? [msg.type, msg.seq, msg.buttons, msg.aim, msg.ackTick]
          : [msg.type, msg.seq, msg.buttons, msg.aim, msg.ackTick, msg.viewTick],
      );
    case ClientType.Ping:
      return encode([msg.type, msg.t]);
    case ClientType.Chat:
      return encode([msg.type, msg.text]);
    case ClientType.Leave:
      return encode([msg.type]);
    case ClientType.Request:
      return encode([msg.type, msg.id, msg.method, msg.body ?? null]);
    case ClientType.InputBatch:
      return encodeInputBatch(msg);
  }
}

/** Throws on a batch the decoder would refuse: a client bug, not a wire condition. */
function encodeInputBatch(msg: InputBatchMsg): Uint8Array {
  const inputs = msg.inputs;
  if (inputs.length < 1 || inputs.length > Limits.maxBatchInputs) throw new Error(`input batch: 1–${Limits.maxBatchInputs} inputs`);
  const newest = inputs[inputs.length - 1];
  const out: number[] = [msg.type, inputs[0].seq, newest.ackTick, newest.viewTick ?? 0];
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i].seq !== inputs[0].seq + i) throw new Error('input batch: sequence numbers must be consecutive');
    out.push(inputs[i].buttons, inputs[i].aim);
  }
  return encode(out);
}

/** Checks and expands a decoded InputBatch array (see the wire shape at the top). */
function decodeInputBatch(a: unknown[], byteLength: number): Result<InputBatchMsg> {
  if (byteLength > Limits.maxBatchFrameBytes) return fail('inputBatch: frame too large');
  const count = (a.length - 4) / 2;
  if (!Number.isInteger(count) || count < 1 || count > Limits.maxBatchInputs) {
    return fail(`inputBatch: expected 1–${Limits.maxBatchInputs} (buttons, aim) pairs`);
  }
  const [, firstSeq, ackTick, viewTick] = a;
  // The last seq must fit too: consecutive numbers never wrap.
  if (!isInt(firstSeq, 0, Limits.maxSeq - (count - 1))) return fail('inputBatch.seq: expected uint32');
  if (!isInt(ackTick, 0, Limits.maxTick)) return fail('inputBatch.ackTick: expected uint32');
  if (!isInt(viewTick, 0, Limits.maxTick)) return fail('inputBatch.viewTick: expected uint32');
  const inputs: InputMsg[] = [];
  for (let i = 0; i < count; i++) {
    const buttons = a[4 + 2 * i];
    const aim = a[5 + 2 * i];
    if (!isInt(buttons, 0, BUTTONS_MASK)) return fail('inputBatch.buttons: unknown bits');
    if (!isInt(aim, 0, 0xffff)) return fail('inputBatch.aim: expected uint16');
    inputs.push(batchInput(firstSeq, i, count, buttons, aim, ackTick, viewTick));
  }
  return ok({ type: ClientType.InputBatch, inputs });
}

/** Input `i` of a `count`-input batch: seq firstSeq + i, viewTick its age before the frame's. */
function batchInput(firstSeq: number, i: number, count: number, buttons: number, aim: number, ackTick: number, viewTick: number): InputMsg {
  const input: InputMsg = { type: ClientType.Input, seq: firstSeq + i, buttons, aim, ackTick };
  if (viewTick !== 0) input.viewTick = Math.max(0, viewTick - (count - 1 - i));
  return input;
}

/** Scratch for decodeClient's fast paths, copied into fresh messages (its callers keep them). */
const fastInputs = [blankInput(), blankInput(), blankInput()];

/** A fresh InputMsg of `s`, shaped as the general decoder's (no viewTick key when absent). */
function freshInput(s: InputMsg): InputMsg {
  const input: InputMsg = { type: ClientType.Input, seq: s.seq, buttons: s.buttons, aim: s.aim, ackTick: s.ackTick };
  if (s.viewTick !== undefined) input.viewTick = s.viewTick;
  return input;
}

/**
 * Any client frame, into fresh objects the caller may keep. Input frames as every client
 * encodes them take the fast paths in hotFrames.ts (no general decoder's allocations);
 * the server's receive path uses ClientFrameReader below, which does not allocate for them.
 */
export function decodeClient(bytes: ArrayBuffer | Uint8Array): Result<ClientMessage> {
  if (bytes.byteLength > Limits.maxFrameBytes) return fail('frame too large');
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (view[1] === ClientType.InputBatch) {
    const n = readInputBatchFast(view, fastInputs);
    if (n > 0) {
      const inputs: InputMsg[] = [];
      for (let i = 0; i < n; i++) inputs.push(freshInput(fastInputs[i]));
      return ok({ type: ClientType.InputBatch, inputs });
    }
  } else if (readInputFast(view, fastInputs[0])) return ok(freshInput(fastInputs[0]));
  return decodeClientGeneral(view);
}

/**
 * The server's per-frame decoder. Input, InputBatch and Ping frames (31 of a player's 31
 * frames a second) decode into objects this reader owns and overwrites on the next `read`,
 * so a frame allocates nothing: whoever keeps one must copy it (the room copies inputs into
 * its seat's ring, a Pong is answered at once). Other messages are fresh objects, from the
 * general decoder, which also decides every frame the fast paths do not recognise — the
 * same messages and the same errors as decodeClient.
 */
export class ClientFrameReader {
  /** Why the last `read` returned null. */
  error = '';
  private readonly input = blankInput();
  private readonly batchInputs = [blankInput(), blankInput(), blankInput()];
  /** batches[n]: a batch of n inputs (sharing batchInputs), n = 1…Limits.maxBatchInputs. */
  private readonly batches: InputBatchMsg[] = [];
  private readonly ping: PingMsg = { type: ClientType.Ping, t: 0 };

  constructor() {
    for (let n = 0; n <= Limits.maxBatchInputs; n++) this.batches.push({ type: ClientType.InputBatch, inputs: this.batchInputs.slice(0, n) });
  }

  /** The frame's message (valid until the next `read` for Input, InputBatch, Ping), or null with `error` set. */
  read(bytes: ArrayBuffer | Uint8Array): ClientMessage | null {
    if (bytes.byteLength > Limits.maxFrameBytes) return this.refuse('frame too large');
    const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const type = view[1];
    if (type === ClientType.Input) {
      if (readInputFast(view, this.input)) return this.input;
    } else if (type === ClientType.InputBatch) {
      const n = readInputBatchFast(view, this.batchInputs);
      if (n > 0) return this.batches[n];
    } else if (type === ClientType.Ping) {
      if (readPingFast(view, this.ping)) return this.ping;
    }
    const r = decodeClientGeneral(view);
    return r.ok ? r.value : this.refuse(r.error);
  }

  private refuse(error: string): null {
    this.error = error;
    return null;
  }
}

/** The general client decoder, without the input fast paths (exported so a test can check both agree). */
export function decodeClientGeneral(bytes: ArrayBuffer | Uint8Array): Result<ClientMessage> {
  if (bytes.byteLength > Limits.maxFrameBytes) return fail('frame too large');
  const raw = decodeRaw(bytes, clientDecoder);
  if (!raw.ok) return raw;
  const a = raw.value;
  if (!Array.isArray(a) || a.length === 0) return fail('frame is not a non-empty array');
  const type = a[0];
  let err: string | null;
  switch (type) {
    case ClientType.Input:
      if (a.length !== 6 && (err = arity(a, 5, 'input'))) return fail(err);
      if (!isInt(a[1], 0, Limits.maxSeq)) return fail('input.seq: expected uint32');
      if (!isInt(a[2], 0, BUTTONS_MASK)) return fail('input.buttons: unknown bits');
      if (!isInt(a[3], 0, 0xffff)) return fail('input.aim: expected uint16');
      if (!isInt(a[4], 0, Limits.maxTick)) return fail('input.ackTick: expected uint32');
      if (a.length === 5) return ok({ type, seq: a[1], buttons: a[2], aim: a[3], ackTick: a[4] });
      if (!isInt(a[5], 0, Limits.maxTick)) return fail('input.viewTick: expected uint32');
      return ok({ type, seq: a[1], buttons: a[2], aim: a[3], ackTick: a[4], viewTick: a[5] });
    case ClientType.Ping:
      if ((err = arity(a, 2, 'ping'))) return fail(err);
      if (!isFiniteNum(a[1], 0, Number.MAX_SAFE_INTEGER)) return fail('ping.t: expected a finite number ≥ 0');
      return ok({ type, t: a[1] });
    case ClientType.Chat:
      if ((err = arity(a, 2, 'chat'))) return fail(err);
      if (typeof a[1] !== 'string' || a[1].length < 1 || a[1].length > Limits.maxChatLength) {
        return fail(`chat.text: 1–${Limits.maxChatLength} characters`);
      }
      return ok({ type, text: a[1] });
    case ClientType.Leave:
      if ((err = arity(a, 1, 'leave'))) return fail(err);
      return ok({ type });
    case ClientType.InputBatch:
      return decodeInputBatch(a, bytes.byteLength);
    case ClientType.Request:
      if ((err = arity(a, 4, 'request'))) return fail(err);
      if (!isInt(a[1], 0, U32)) return fail('request.id: expected uint32');
      if (!isText(a[2], Limits.maxRequestMethodLength, 1)) return fail('request.method: expected a short name');
      return ok({ type, id: a[1], method: a[2], body: a[3] });
    default:
      return fail(`unknown client message type ${JSON.stringify(type)}`);
  }
}
