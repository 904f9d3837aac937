/** WASD / arrow keys → tag's input buttons (shared/tagWire.ts `TagInput`). */
import { TagInput } from '../shared/tagWire.js';

const KEYS: Record<string, keyof typeof TagInput.bits> = {
  KeyW: 'up',
  ArrowUp: 'up',
  KeyS: 'down',
  ArrowDown: 'down',
  KeyA: 'left',
  ArrowLeft: 'left',
  KeyD: 'right',
  ArrowRight: 'right',
};

export class Keyboard {
  private readonly held = new Set<keyof typeof TagInput.bits>();

  constructor(target: Window) {
    target.addEventListener('keydown', (e) => this.set(e.code, true));
    target.addEventListener('keyup', (e) => this.set(e.code, false));
    // Keys released while the tab was in the background never send keyup.
    target.addEventListener('blur', () => this.held.clear());
  }

  private set(code: string, down: boolean): void {
    const button = KEYS[code];
    if (!button) return;
    if (down) this.held.add(button);
    else this.held.delete(button);
  }

  /** The buttons held now, as the wire's bitmask. */
  buttons(): number {
    let m = 0;
    for (const b of this.held) m |= TagInput.bits[b];
    return m;
  }
}
