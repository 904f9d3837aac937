/**
 * The browser client's netcode modules (Connection + GameSession) driven from Node:
 * `ws` stands in for the browser's WebSocket and a 60 Hz interval for requestAnimationFrame.
 * Tests script the input and await conditions checked once per frame.
 */
import { Conditions } from './conditions.js';
import WebSocket from 'ws';
import {
  ApiClient,
  Connection,
  socketFactoryOf,
  type ConnectionEvents,
  type GuestSession,
  type LagOptions,
  type MatchTicket,
  type WebSocketCtor,
} from '../../client/index.js';
import { GameSession } from '../../game-client/netcode/session.js';
import type { FrameView } from '../../game-client/netcode/views.js';

export interface HeadlessOptions {
  name: string;
  lag?: LagOptions | null;
  /** Called every frame before update: return [buttons, aim radians]. */
  script?: (elapsedMs: number, h: HeadlessPlayer) => [number, number];
  onFrame?: (view: FrameView | null, h: HeadlessPlayer) => void;
}

export class HeadlessPlayer {
  connection!: Connection;
  session!: GameSession;
  guest!: GuestSession;
  ticket!: MatchTicket;
  readonly events: Array<{ type: keyof ConnectionEvents; at: number; payload: unknown }> = [];
  frames = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private startedAt = 0;
  private readonly conditions = new Conditions();

  constructor(
    readonly api: ApiClient,
    private readonly o: HeadlessOptions,
  ) {}

  static async join(httpBase: string, o: HeadlessOptions): Promise<HeadlessPlayer> {
    const h = new HeadlessPlayer(new ApiClient(httpBase), o);
    h.guest = await h.api.guest(o.name);
    h.ticket = await h.api.quickPlay(h.guest.token, 'arena');
    h.connection = new Connection({
      createSocket: socketFactoryOf(WebSocket as unknown as WebSocketCtor),
      token: h.guest.token,
      endpoint: h.ticket,
      resume: (matchId) => h.api.resume(h.guest.token, matchId),
      lag: o.lag ?? null,
    });
    h.session = new GameSession(h.connection);
    for (const type of ['connect', 'reconnecting', 'reconnected', 'close', 'error'] as const) {
      h.connection.on(type, (payload) => {
        h.events.push({ type, at: performance.now(), payload });
        h.notify();
      });
    }
    h.connection.connect();
    h.startedAt = performance.now();
    h.timer = setInterval(() => h.step(), 1000 / 60);
    return h;
  }

  /** Replaces the input script (elapsed time restarts at 0). */
  setScript(script: HeadlessOptions['script']): void {
    this.o.script = script;
    this.startedAt = performance.now();
  }

  private step(): void {
    const now = performance.now();
    if (this.o.script) {
      const [buttons, aim] = this.o.script(now - this.startedAt, this);
      this.session.setInput(buttons, aim);
    }
    this.session.update(now);
    const view = this.session.frame(now);
    this.frames++;
    this.o.onFrame?.(view, this);
    this.notify();
  }

  private notify(): void {
    this.conditions.notify();
  }

  /** Resolves once `pred` holds (checked every frame and on every connection event). */
  waitFor<T>(pred: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
    return this.conditions.waitFor(pred, what, timeoutMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.session?.dispose();
    this.connection?.close();
  }
}
