/**
 * The settings panel (⚙ in the game's top bar, *Settings* in the menu): volume and mute,
 * key bindings for the four move directions, the net graph, and render quality. Every
 * change is saved at once (SettingsStore → localStorage) and applied by whoever listens.
 */
import { bindable, MOVE_ACTIONS, type MoveAction, type Quality, type SettingsStore } from '../settings/settings.js';
import { h } from './dom.js';

const LABELS: Record<MoveAction, string> = { up: 'Up', down: 'Down', left: 'Left', right: 'Right' };

/** "KeyW" → "W", "Digit1" → "1", "Space" stays. */
export function keyLabel(code: string): string {
  return code.replace(/^Key/, '').replace(/^Digit/, '');
}

export class SettingsPanel {
  readonly root: HTMLElement;
  private readonly volume = h('input', { id: 'settings-volume', type: 'range', min: '0', max: '100', step: '5', 'aria-label': 'Volume' });
  private readonly mute = h('input', { id: 'settings-mute', type: 'checkbox' });
  private readonly netGraph = h('input', { id: 'settings-netgraph', type: 'checkbox' });
  private readonly quality = h('select', { id: 'settings-quality', 'aria-label': 'Render quality' });
  private readonly bindButtons = new Map<MoveAction, HTMLButtonElement>();
  private readonly hint = h('p', { id: 'settings-hint', class: 'hint' });
  private capturing: MoveAction | null = null;

  constructor(private readonly store: SettingsStore) {
    this.quality.append(h('option', { value: 'high', text: 'High' }), h('option', { value: 'low', text: 'Low (faster)' }));
    const keys = h('div', { class: 'bindings' });
    for (const a of MOVE_ACTIONS) {
      const b = h('button', { id: `bind-${a}`, type: 'button', class: 'small bind' });
      b.addEventListener('click', () => this.capture(a));
      this.bindButtons.set(a, b);
      keys.append(h('label', { class: 'opt' }, `${LABELS[a]} `, b));
    }
    const close = h('button', { id: 'settings-close', type: 'button', text: 'Close' });
    close.addEventListener('click', () => this.setOpen(false));
    this.root = h(
      'div',
      { id: 'settings-panel', class: 'overlay settings-overlay', role: 'dialog', 'aria-label': 'Settings' },
      h(
        'div',
        { class: 'card settings-card' },
        h('h2', { text: 'Settings' }),
        h('label', { class: 'opt' }, 'Volume ', this.volume),
        h('label', { class: 'opt' }, this.mute, ' Mute'),
        h('h3', { text: 'Move keys (arrows always work)' }),
        keys,
        this.hint,
        h('h3', { text: 'Display' }),
        h('label', { class: 'opt' }, this.netGraph, ' Show the net graph (F3)'),
        h('label', { class: 'opt' }, 'Quality ', this.quality),
        h('div', { class: 'actions' }, close),
      ),
    );
    this.root.hidden = true;
    this.volume.addEventListener('input', () => store.update({ volume: Number(this.volume.value) / 100 }));
    this.mute.addEventListener('change', () => store.update({ muted: this.mute.checked }));
    this.netGraph.addEventListener('change', () => store.update({ showNetGraph: this.netGraph.checked }));
    this.quality.addEventListener('change', () => store.update({ quality: this.quality.value as Quality }));
    // Capture phase: the key being bound must not also move the player or close things.
    window.addEventListener('keydown', (e) => this.onKey(e), true);
    store.onChange(() => this.render());
    this.render();
  }

  get open(): boolean {
    return !this.root.hidden;
  }

  setOpen(open: boolean): void {
    this.root.hidden = !open;
    this.capturing = null;
    this.hint.textContent = '';
    this.render();
  }

  private capture(a: MoveAction): void {
    this.capturing = a;
    this.hint.textContent = `Press a key for ${LABELS[a]} (Esc cancels).`;
    this.bindButtons.get(a)!.textContent = '…';
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.open) return;
    if (!this.capturing) {
      if (e.code === 'Escape') {
        e.preventDefault();
        this.setOpen(false);
      }
      return;
    }
    e.preventDefault();
    e.stopPropagation();
    const a = this.capturing;
    this.capturing = null;
    if (e.code === 'Escape') {
      this.hint.textContent = '';
      this.render();
      return;
    }
    if (!bindable(e.code)) {
      this.hint.textContent = `${e.code} cannot be bound: pick a letter or digit key.`;
      this.render();
      return;
    }
    // Taking a key another action had swaps the two, so no action is left without one.
    const keys = { ...this.store.value.keys };
    const other = MOVE_ACTIONS.find((x) => x !== a && keys[x] === e.code);
    if (other) keys[other] = keys[a];
    keys[a] = e.code;
    this.hint.textContent = '';
    this.store.update({ keys });
  }

  private render(): void {
    const s = this.store.value;
    this.volume.value = String(Math.round(s.volume * 100));
    this.mute.checked = s.muted;
    this.netGraph.checked = s.showNetGraph;
    this.quality.value = s.quality;
    for (const [a, b] of this.bindButtons) if (this.capturing !== a) b.textContent = keyLabel(s.keys[a]);
  }
}
