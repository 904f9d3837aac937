/**
 * Keyboard and mouse → the player's intent. Keys are read by physical position
 * (`event.code`), so WASD works on any layout; arrows work too. When the window loses focus
 * or the tab is hidden every key and the button are released: a key lifted in another
 * window never reaches us, and the player must not keep running by itself. Inputs keep
 * flowing (with nothing held) because the game loop keeps sending them.
 */
import { buttonsFrom } from '../netcode/views.js';

type Dir = 'up' | 'down' | 'left' | 'right';
/** Arrows always move, whatever the bindings (settings panel) say. */
const ARROWS: Record<string, Dir> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

/**
 * What the player holds, whichever device fills it: the keyboard and mouse here, the touch
 * sticks (input/touchSticks.ts) on phones. `aim` is set by a device that aims by direction
 * (a stick); null means "aim at the mouse".
 */
export interface InputState {
  held: { up: boolean; down: boolean; left: boolean; right: boolean; fire: boolean };
  aim: number | null;
}

export interface InputHandlers {
  /** Tab held: show the scoreboard. */
  onScoreboard(show: boolean): void;
  /** F3 pressed: toggle the net graph. */
  onNetGraph(): void;
}

export class KeyboardMouse {
  readonly state: InputState = { held: { up: false, down: false, left: false, right: false, fire: false }, aim: null };
  private readonly held = this.state.held;
  private keys: Record<string, Dir> = { KeyW: 'up', KeyS: 'down', KeyA: 'left', KeyD: 'right', ...ARROWS };
  private mouse: { x: number; y: number } | null = null;
  private readonly cleanup: Array<() => void> = [];
  enabled = false;

  constructor(
    canvasHost: HTMLElement,
    private readonly handlers: InputHandlers,
  ) {
    const on = <K extends keyof WindowEventMap>(target: Window | HTMLElement, type: K, fn: (e: WindowEventMap[K]) => void) => {
      target.addEventListener(type, fn as EventListener);
      this.cleanup.push(() => target.removeEventListener(type, fn as EventListener));
    };
    on(window, 'keydown', (e) => this.key(e, true));
    on(window, 'keyup', (e) => this.key(e, false));
    on(window, 'blur', () => this.releaseAll());
    const onVisibility = () => {
      if (document.hidden) this.releaseAll();
    };
    document.addEventListener('visibilitychange', onVisibility);
    this.cleanup.push(() => document.removeEventListener('visibilitychange', onVisibility));
    on(canvasHost, 'mousemove', (e) => {
      const r = canvasHost.getBoundingClientRect();
      this.mouse = { x: e.clientX - r.left, y: e.clientY - r.top };
      this.state.aim = null;
    });
    on(canvasHost, 'mousedown', (e) => {
      if (e.button === 0 && this.enabled) this.held.fire = true;
    });
    on(window, 'mouseup', (e) => {
      if (e.button === 0) this.held.fire = false;
    });
    on(canvasHost, 'contextmenu', (e) => e.preventDefault());
  }

  private key(e: KeyboardEvent, down: boolean): void {
    if (!this.enabled) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
    if (e.code === 'Tab') {
      e.preventDefault();
      this.handlers.onScoreboard(down);
      return;
    }
    if (e.code === 'F3') {
      e.preventDefault();
      if (down && !e.repeat) this.handlers.onNetGraph();
      return;
    }
    const dir = this.keys[e.code];
    if (!dir) return;
    e.preventDefault();
    this.held[dir] = down;
  }

  /** Rebinds the four move directions (KeyboardEvent.code each); arrows keep working. */
  setBindings(b: Record<Dir, string>): void {
    this.releaseAll();
    this.keys = { [b.up]: 'up', [b.down]: 'down', [b.left]: 'left', [b.right]: 'right', ...ARROWS };
  }

  releaseAll(): void {
    this.held.up = this.held.down = this.held.left = this.held.right = this.held.fire = false;
    this.handlers.onScoreboard(false);
  }

  get buttons(): number {
    return buttonsFrom(this.held);
  }

  /** Aim angle (radians) from the player's screen position toward the mouse; null without a mouse. */
  aimFrom(playerScreen: { x: number; y: number }): number | null {
    if (this.state.aim !== null) return this.state.aim;
    if (!this.mouse) return null;
    return Math.atan2(this.mouse.y - playerScreen.y, this.mouse.x - playerScreen.x);
  }

  destroy(): void {
    for (const off of this.cleanup.splice(0)) off();
  }
}
