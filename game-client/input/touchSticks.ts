/**
 * Twin-stick touch controls: a finger on the left half of the game is the move stick, one
 * on the right half the aim-and-fire stick (aims where it points, fires while pushed past
 * a small dead zone). Each stick is centred where its finger lands. They fill the same
 * InputState the keyboard and mouse fill, so the game reads one intent either way.
 *
 * Detected by pointer type: only `pointerType === 'touch'` events drive them, so a mouse
 * on a touch laptop keeps aiming normally; the stick hints show once a touch was seen (or
 * at once on a coarse-pointer device).
 */
import type { InputState } from './keyboardMouse.js';

/** Stick travel, px; a push of this length is "full". */
export const STICK_RADIUS = 56;
/** Below this the aim stick aims but does not fire, px. */
export const FIRE_DEADZONE = 14;
/** A direction counts on an axis beyond ≈ 22.5° (the bots use the same 8-way rule). */
const AXIS = 0.38;

interface Finger {
  id: number;
  side: 'move' | 'aim';
  ox: number;
  oy: number;
}

export class TouchSticks {
  private readonly fingers = new Map<number, Finger>();
  private readonly cleanup: Array<() => void> = [];
  /** A touch was seen: the player is on a touch screen. */
  active = false;
  enabled = false;

  constructor(
    private readonly host: HTMLElement,
    private readonly state: InputState,
    private readonly visuals: { move: HTMLElement; aim: HTMLElement; onActive(): void },
  ) {
    const on = <K extends keyof HTMLElementEventMap>(type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions) => {
      host.addEventListener(type, fn as EventListener, opts);
      this.cleanup.push(() => host.removeEventListener(type, fn as EventListener));
    };
    on('pointerdown', (e) => this.down(e));
    on('pointermove', (e) => this.move(e));
    on('pointerup', (e) => this.up(e));
    on('pointercancel', (e) => this.up(e));
    // No emulated mouse events after a touch: they would press the mouse button (fire).
    // (Only while playing: a spectator's tap stays a click, which follows a player.)
    on('touchstart', (e) => this.enabled && e.preventDefault(), { passive: false });
    if (typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches) this.activate();
  }

  private activate(): void {
    if (this.active) return;
    this.active = true;
    this.visuals.onActive();
  }

  private down(e: PointerEvent): void {
    if (e.pointerType !== 'touch' || !this.enabled) return;
    this.activate();
    const r = this.host.getBoundingClientRect();
    const x = e.clientX - r.left;
    const side: Finger['side'] = x < r.width / 2 ? 'move' : 'aim';
    // One finger per stick: a second finger on the same side is ignored.
    for (const f of this.fingers.values()) if (f.side === side) return;
    this.fingers.set(e.pointerId, { id: e.pointerId, side, ox: e.clientX, oy: e.clientY });
    this.host.setPointerCapture?.(e.pointerId);
    this.place(side, e.clientX - r.left, e.clientY - r.top, 0, 0);
    e.preventDefault();
  }

  private move(e: PointerEvent): void {
    const f = this.fingers.get(e.pointerId);
    if (!f) return;
    let dx = e.clientX - f.ox;
    let dy = e.clientY - f.oy;
    const len = Math.hypot(dx, dy);
    if (len > STICK_RADIUS) {
      dx = (dx / len) * STICK_RADIUS;
      dy = (dy / len) * STICK_RADIUS;
    }
    const r = this.host.getBoundingClientRect();
    this.place(f.side, f.ox - r.left, f.oy - r.top, dx, dy);
    const held = this.state.held;
    if (f.side === 'move') {
      const n = len > 8 ? { x: dx / Math.hypot(dx, dy), y: dy / Math.hypot(dx, dy) } : { x: 0, y: 0 };
      held.right = n.x > AXIS;
      held.left = n.x < -AXIS;
      held.down = n.y > AXIS;
      held.up = n.y < -AXIS;
    } else {
      if (len > 4) this.state.aim = Math.atan2(dy, dx);
      held.fire = len >= FIRE_DEADZONE;
    }
    e.preventDefault();
  }

  private up(e: PointerEvent): void {
    const f = this.fingers.get(e.pointerId);
    if (!f) return;
    this.fingers.delete(e.pointerId);
    const held = this.state.held;
    if (f.side === 'move') held.up = held.down = held.left = held.right = false;
    else held.fire = false;
    (f.side === 'move' ? this.visuals.move : this.visuals.aim).classList.remove('engaged');
  }

  /** Lifts every finger (focus lost, screen changed). */
  releaseAll(): void {
    for (const f of [...this.fingers.values()]) this.up({ pointerId: f.id } as PointerEvent);
  }

  private place(side: Finger['side'], x: number, y: number, dx: number, dy: number): void {
    const el = side === 'move' ? this.visuals.move : this.visuals.aim;
    el.classList.add('engaged');
    el.style.left = `${Math.round(x)}px`;
    el.style.top = `${Math.round(y)}px`;
    const knob = el.firstElementChild as HTMLElement | null;
    if (knob) knob.style.transform = `translate(${Math.round(dx)}px, ${Math.round(dy)}px)`;
  }

  destroy(): void {
    for (const off of this.cleanup.splice(0)) off();
  }
}
