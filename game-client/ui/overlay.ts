/**
 * The full-screen message over the game: "Reconnecting…" with the attempt count while the
 * connection resumes, or a message with a button back to the menu when it is over.
 */
import { h } from './dom.js';

export class Overlay {
  readonly root: HTMLElement;
  private readonly title = h('h2', { id: 'overlay-title' });
  private readonly detail = h('p', { id: 'overlay-detail' });
  private readonly button = h('button', { id: 'overlay-button', type: 'button', class: 'primary', text: 'Back to menu' });
  private action: (() => void) | null = null;

  constructor() {
    this.root = h('div', { id: 'overlay', class: 'overlay', role: 'alert' }, h('div', { class: 'card' }, this.title, this.detail, this.button));
    this.root.hidden = true;
    this.button.addEventListener('click', () => this.action?.());
  }

  reconnecting(attempt: number, delayMs: number): void {
    this.root.dataset.kind = 'reconnecting';
    this.title.textContent = 'Reconnecting…';
    this.detail.textContent = `Connection lost. Attempt ${attempt} in ${(delayMs / 1000).toFixed(1)} s; your seat and score are kept.`;
    this.button.hidden = true;
    this.root.hidden = false;
  }

  message(title: string, detail: string, buttonText: string, action: () => void): void {
    this.root.dataset.kind = 'message';
    this.title.textContent = title;
    this.detail.textContent = detail;
    this.button.textContent = buttonText;
    this.button.hidden = false;
    this.action = action;
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
    delete this.root.dataset.kind;
  }

  get kind(): string | null {
    return this.root.hidden ? null : (this.root.dataset.kind ?? null);
  }
}
