/**
 * The start screen: name entry and Quick play. Built as panels inside `.menu-panels` so
 * more can sit beside the play card later (lobby: who is online, chat, match list,
 * private matches) without touching this one: `MenuScreen.addPanel(el)`.
 */
import { Limits } from '../../protocol/index.js';
import { h } from './dom.js';

export interface MenuHandlers {
  onQuickPlay(name: string): void;
}

export class MenuScreen {
  readonly root: HTMLElement;
  private readonly name: HTMLInputElement;
  private readonly play: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly panels: HTMLElement;

  constructor(handlers: MenuHandlers, initialName: string) {
    this.name = h('input', {
      id: 'name-input',
      type: 'text',
      maxlength: String(Limits.maxNameLength),
      placeholder: 'Your name',
      autocomplete: 'nickname',
      spellcheck: 'false',
    });
    this.name.value = initialName;
    this.play = h('button', { id: 'quick-play', type: 'submit', class: 'primary', text: 'Quick play' });
    this.status = h('p', { id: 'menu-status', class: 'status', role: 'status' });
    const form = h(
      'form',
      { class: 'card play-card', id: 'play-card' },
      h('label', { for: 'name-input', text: 'Name' }),
      this.name,
      this.play,
      this.status,
      h('p', { class: 'hint', text: 'WASD to move · mouse to aim · click to shoot · Tab scores · F3 net graph' }),
      // The second game `tickwire serve` hosts (its client is built into dist/client/tag/).
      h('p', { class: 'hint' }, h('a', { id: 'play-tag', href: 'tag/', text: 'Play tag →' })),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const name = this.requireName();
      if (name) handlers.onQuickPlay(name);
    });
    this.panels = h('div', { class: 'menu-panels' }, form);
    this.root = h('section', { id: 'menu', class: 'screen menu' }, h('h1', { class: 'logo', text: 'Tickwire' }), this.panels);
  }

  /** The typed name, or null after asking the player to type one (lobby actions need it too). */
  requireName(): string | null {
    const name = this.name.value.trim();
    if (name) return name;
    this.setStatus('Type a name first (1–16 characters).', true);
    this.name.focus();
    return null;
  }

  /** Adds a panel next to the play card (for the lobby). */
  addPanel(el: HTMLElement): void {
    this.panels.append(el);
  }

  setBusy(busy: boolean): void {
    this.play.disabled = busy;
    this.name.disabled = busy;
    this.play.textContent = busy ? 'Finding a match…' : 'Quick play';
  }

  setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }

  focus(): void {
    this.name.focus();
    this.name.select();
  }
}
