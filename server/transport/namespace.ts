/**
 * One WebSocket namespace (`/lobby`, `/spectate`, `/admin`, …) over uWS, with the checks
 * every namespace shares done once here: subprotocol + JWT before the upgrade (plus the
 * namespace's own `authorize`), then per frame: binary only, size, a per-socket rate limit,
 * and validated decoding. A handler only ever sees a well-formed ClientMessage, and a bad
 * frame closes only its own socket with a code from protocol/closeCodes.ts.
 */
import { ClientFrameReader, ClientType, CloseCode, closeMessage, SUBPROTOCOL, type ClientMessage } from '../../protocol/index.js';
import type { AuthUser, TokenService } from '../auth/tokens.js';
import type { Clock, TimerHandle } from '../clock.js';
import { statusLine } from '../statusLine.js';
import type { Metrics } from '../observability/metrics.js';
import type { Connection } from '../rooms/connection.js';
import type { InputSlotRef } from '../rooms/tickInputs.js';
import type { HttpRequest, HttpResponse, TemplatedApp, WebSocket } from '../uws.js';
import { COMPRESSION_DISABLED } from '../uwsTypes.js';
import { SocketRates, type RateLimit } from './rateLimit.js';
import { checkUpgrade, type TokenVerifier } from './upgradeAuth.js';
import { CONCURRENCY_RETRY_AFTER_SECONDS, type AbuseGuards } from '../limits/abuseGuards.js';
import { DEFAULT_SEND_LIMITS, type SendLimits } from './socketSender.js';
import { UwsConnection } from './uwsConnection.js';

export interface SocketContext<S> extends InputSlotRef {
  // InputSlotRef: where the socket's inputs go, set by a namespace that takes them (/play)
  // once its seat is attached, null elsewhere. Here and not in `state`: an input frame then
  // reads the one object uWS's callback loads anyway (one cache miss fewer per frame live).
  user: AuthUser;
  conn: UwsConnection;
  /** Namespace-specific state, from `authorize`. */
  state: S;
}

export type Authorization<S> =
  | { ok: true; state: S }
  | { ok: false; status: number; error: string; reason: string; headers?: Record<string, string> };

export interface NamespaceOptions<S> {
  path: string;
  /** Metrics label. */
  name: string;
  /** Token check; default: player tokens. */
  verify?: TokenVerifier;
  /** Extra checks after the JWT, still before the upgrade (roles, match ids…). Synchronous. */
  authorize(user: AuthUser, req: HttpRequest): Authorization<S>;
  open(ctx: SocketContext<S>): void;
  /**
   * A valid message, synchronously. `msg` is valid during the call only: Input, InputBatch
   * and Ping messages are the namespace decoder's reused objects (ClientFrameReader), so
   * copy whatever is kept.
   */
  message(ctx: SocketContext<S>, msg: ClientMessage): void;
  close(ctx: SocketContext<S>, code: number): void;
  /** Frames per second per socket before it is closed as rate limited. Default 10 (burst 20). */
  framesPerSecond?: number;
  /**
   * Per-message-class limits instead: each socket has one bucket per class, and a (decoded)
   * message draws from its class's, e.g. inputs at the tick rate and everything else at a
   * few per second. Replaces the single `framesPerSecond` bucket, so each frame is
   * rate-checked exactly once.
   */
  rateClasses?: RateClasses;
  idleTimeoutSeconds: number;
  maxFrameBytes: number;
  /**
   * Close a socket that sent no frame for this long with the idle-timeout code (4017).
   * uWS's own idle timeout only catches dead peers (browsers answer its pings by themselves),
   * so a connected but silent client needs this. Off when omitted.
   */
  closeIdleAfterMs?: number;
  /**
   * Count a pong (a client's answer to uWS's automatic pings, sent every idleTimeout/2) as
   * activity for `closeIdleAfterMs`: an idle but alive client (a lobby page left open)
   * stays, while bytes trickled into a frame that never completes count for nothing.
   */
  pongKeepsAlive?: boolean;
}

/** Per-message-class rate limits (NamespaceOptions.rateClasses). */
export interface RateClasses {
  limits: readonly RateLimit[];
  /** The index in `limits` of the bucket this message draws from. */
  classOf(msg: ClientMessage): number;
}

/** Idle window for namespaces kept alive by pongs: two of uWS's ping intervals. */
export function keepaliveIdleMs(idleTimeoutSeconds: number): number {
  return idleTimeoutSeconds * 1000;
}

export interface NamespaceDeps {
  app: TemplatedApp;
  tokens: TokenService;
  clock: Clock;
  metrics: Metrics;
  /** Send-buffer bounds of every socket (server/transport/socketSender.ts). */
  sendLimits?: SendLimits;
  /** Per-user connection limits (server/limits/); none → unlimited (unit tests). */
  guards?: AbuseGuards;
  /**
   * Called after every frame a socket handler took, with the clock reading taken for it:
   * the rooms run the match ticks that fell due meanwhile (RoomManager.runDueTicks), so a
   * busy receive path does not hold ticks back until the timer phase.
   */
  afterFrame?: (now: number) => void;
}

/** The largest frame uWS accepts and hands to us (see `maxPayloadLength` below). */
export function uwsPayloadLimit(maxFrameBytes: number): number {
  return Math.max(maxFrameBytes * 4, 16 * 1024);
}

/**
 * Rate limits count inputs, not frames: a batch of n inputs costs n tokens (its repeated
 * input included), so batching can never carry more inputs than single frames could.
 */
export function rateTokens(msg: ClientMessage): number {
  return msg.type === ClientType.InputBatch ? msg.inputs.length : 1;
}

/** How often every open socket's send buffer is checked against the hard bound, ms. */
const BACKPRESSURE_SWEEP_MS = 1000;

/**
 * uWS's user data of a socket, and once open (`conn` set) also its SocketContext: a frame
 * loads one object for both (each hop to another object is a cache miss live). The rate
 * buckets and the last frame's time are the socket's row in the namespace's SocketRates.
 */
interface SocketData<S> extends InputSlotRef {
  // An input frame reads `slot` and the input slot fields: `upgrade` creates the object
  // with them first, so they share its first cache line (fields are laid out in that order).
  /**
   * Its row in the namespace's SocketRates; -1 until open and after close. The receive
   * path's "is it open" check, instead of `conn.closed` (one more object): uWS runs the
   * close handler from inside `end()` and `close()` (its docs: "Immediately calls the close
   * handler"), so a socket our side closed already has -1 here.
   */
  slot: number;
  user: AuthUser;
  state: S;
  conn: UwsConnection | null;
}

type OpenSocket<S> = SocketData<S> & SocketContext<S>;

export interface NamespaceHandle {
  /** Stops the namespace's timers (server shutdown). */
  stop(): void;
}

export function refuseUpgrade(res: HttpResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.cork(() => {
    res.writeStatus(statusLine(status)).writeHeader('content-type', 'application/json');
    for (const [k, v] of Object.entries(headers)) res.writeHeader(k, v);
    res.end(JSON.stringify(body));
  });
}

/** Closes a socket for a protocol violation, counting it. */
export function closeForViolation(metrics: Metrics, conn: Connection, code: CloseCode, detail?: string): void {
  metrics.badFrames.inc({ reason: String(code) });
  conn.close(code, detail ? `${closeMessage(code)}: ${detail}` : closeMessage(code));
}

export function registerNamespace<S>(d: NamespaceDeps, o: NamespaceOptions<S>): NamespaceHandle {
  const rate = o.framesPerSecond ?? 10;
  const counters = d.metrics.inbound(o.name);
  const perUser = d.guards?.connectionsIn(o.name) ?? null;
  // Class 0 alone is the single per-frame bucket when there are no message classes.
  const classes = o.rateClasses ?? null;
  const rates = new SocketRates(classes ? classes.limits : [{ ratePerSecond: rate, burst: rate * 2 }]);
  const open = new Set<SocketData<S>>();
  let sweep: TimerHandle | null = null;
  const sendLimits = d.sendLimits ?? DEFAULT_SEND_LIMITS;
  // Topic publishes (match snapshots/events, lobby chat) bypass the per-socket send path,
  // so a sweep bounds what they can pile up on a socket that stopped reading: O(sockets)
  // native calls once a second, not per frame.
  let backpressureSweep: TimerHandle | null = null;
  const checkBackpressure = () => {
    for (const data of open) data.conn?.enforceSendLimit();
    backpressureSweep = d.clock.setTimeout(checkBackpressure, BACKPRESSURE_SWEEP_MS);
  };
  backpressureSweep = d.clock.setTimeout(checkBackpressure, BACKPRESSURE_SWEEP_MS);
  if (o.closeIdleAfterMs !== undefined) {
    const idleMs = o.closeIdleAfterMs;
    // A sweep a few times per window, not a timer per socket: O(sockets) every idleMs/4.
    const run = () => {
      const now = d.clock.now();
      for (const data of open) {
        if (data.conn !== null && !data.conn.closed && now - rates.lastFrameAt(data.slot) > idleMs) {
          data.conn.close(CloseCode.IdleTimeout, closeMessage(CloseCode.IdleTimeout));
        }
      }
      sweep = d.clock.setTimeout(run, idleMs / 4);
    };
    sweep = d.clock.setTimeout(run, idleMs / 4);
  }
  // The per-frame path reads these once here, not through `o` and `d` on every frame.
  const metrics = d.metrics;
  const clock = d.clock;
  const maxFrameBytes = o.maxFrameBytes;
  const afterFrame = d.afterFrame;
  // One decoder per namespace: Input, InputBatch and Ping frames decode into its reused
  // messages (no allocation per frame), valid until the next frame. Handlers run
  // synchronously and copy what they keep (the room copies inputs into the seat's ring).
  const reader = new ClientFrameReader();
  /** Checks and dispatches one frame; a bad one closes only its own socket. `now`: the frame's one clock reading. */
  const handleFrame = (ctx: OpenSocket<S>, message: ArrayBuffer, isBinary: boolean, now: number): void => {
    if (!isBinary) return closeForViolation(metrics, ctx.conn, CloseCode.MalformedFrame, 'binary frames only');
    if (message.byteLength > maxFrameBytes) return closeForViolation(metrics, ctx.conn, CloseCode.FrameTooLarge);
    if (classes === null && !rates.take(ctx.slot, 0, 1, now)) return closeForViolation(metrics, ctx.conn, CloseCode.RateLimited);
    const msg = reader.read(message);
    if (msg === null) return closeForViolation(metrics, ctx.conn, CloseCode.MalformedFrame, reader.error.slice(0, 60));
    if (classes !== null && !rates.take(ctx.slot, classes.classOf(msg), rateTokens(msg), now)) return closeForViolation(metrics, ctx.conn, CloseCode.RateLimited);
    o.message(ctx, msg);
  };

  d.app.ws<SocketData<S>>(o.path, {
    compression: COMPRESSION_DISABLED,
    // Frames up to this reach our handler, which closes anything over maxFrameBytes with
    // 4010. Past it uWS drops the TCP connection itself, without a close frame (the client
    // sees 1006; counted as bad_frames_total{reason="too_big"}): it is also what uWS may
    // hold per socket for a frame still arriving, so it stays a small multiple of the limit.
    maxPayloadLength: uwsPayloadLimit(o.maxFrameBytes),
    idleTimeout: o.idleTimeoutSeconds,
    sendPingsAutomatically: true,
    // Above our own hard bound, so uWS never silently drops a frame of a delta chain: the
    // socket is closed with 4016 first.
    maxBackpressure: sendLimits.hardBytes + 64 * 1024,
    closeOnBackpressureLimit: false,

    upgrade: (res, req, context) => {
      const key = req.getHeader('sec-websocket-key');
      const extensions = req.getHeader('sec-websocket-extensions');
      const check = checkUpgrade(d.tokens, req.getHeader('sec-websocket-protocol'), req.getHeader('authorization'), o.verify);
      if (!check.ok) {
        d.metrics.authFailures.inc({ reason: check.reason });
        return refuseUpgrade(res, check.status, check.body);
      }
      // Before `authorize`, which may redeem a single-use ticket.
      if (perUser && !perUser.allows(check.user.id)) {
        d.guards!.refused(`connections_${o.name}`);
        return refuseUpgrade(
          res,
          429,
          { error: `too many open ${o.path} connections for your account (at most ${perUser.max}): close one first` },
          { 'retry-after': String(CONCURRENCY_RETRY_AFTER_SECONDS) },
        );
      }
      const auth = o.authorize(check.user, req);
      if (!auth.ok) {
        d.metrics.authFailures.inc({ reason: auth.reason });
        return refuseUpgrade(res, auth.status, { error: auth.error }, auth.headers);
      }
      const data: SocketData<S> = { slot: -1, inputWords: null, inputAt: -1, inputGen: 0, user: check.user, state: auth.state, conn: null };
      res.upgrade(data, key, SUBPROTOCOL, extensions, context);
    },

    open: (ws: WebSocket<SocketData<S>>) => {
      const data = ws.getUserData();
      data.conn = new UwsConnection(ws as WebSocket<unknown>, d.metrics, sendLimits);
      data.slot = rates.open(d.clock.now());
      open.add(data);
      perUser?.acquire(data.user.id);
      d.metrics.connections.inc({ namespace: o.name });
      o.open(data as OpenSocket<S>);
    },

    message: (ws: WebSocket<SocketData<S>>, message: ArrayBuffer, isBinary: boolean) => {
      const data = ws.getUserData();
      counters.frames++;
      counters.bytes += message.byteLength;
      const slot = data.slot;
      if (slot < 0) return;
      const now = clock.now();
      rates.touch(slot, now);
      handleFrame(data as OpenSocket<S>, message, isBinary, now);
      // After the frame, never inside it: a tick run here may close this very socket.
      if (afterFrame !== undefined) afterFrame(now);
    },

    pong: (ws: WebSocket<SocketData<S>>) => {
      const data = ws.getUserData();
      if (o.pongKeepsAlive && data.slot >= 0) rates.touch(data.slot, d.clock.now());
    },

    close: (ws: WebSocket<SocketData<S>>, code: number, message: ArrayBuffer) => {
      const data = ws.getUserData();
      // uWS's own refusal of a frame over maxPayloadLength (no close frame is sent).
      if (code === 1006 && Buffer.from(message).toString() === 'Received too big message') d.metrics.badFrames.inc({ reason: 'too_big' });
      d.metrics.connections.dec({ namespace: o.name });
      d.metrics.closes.inc({ code: String(code) });
      open.delete(data);
      if (data.conn === null) return;
      perUser?.release(data.user.id);
      data.conn.closed = true;
      rates.close(data.slot);
      data.slot = -1;
      o.close(data as OpenSocket<S>, code);
    },
  });
  return {
    stop() {
      sweep?.cancel();
      sweep = null;
      backpressureSweep?.cancel();
      backpressureSweep = null;
    },
  };
}
