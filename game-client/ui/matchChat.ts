/**
 * In-match chat: the last lines over the game (each fades after 10 s) and a field opened
 * with Enter (or the *Chat* button on touch screens), sent with Enter, closed with Esc. The
 * server applies the lobby's rules (control characters stripped, 1 line/s with bursts of
 * 3; a refused line comes back as an error, shown here as a system line).
 */
import { Limits } from '../../protocol/index.js';
import { h } from './dom.js';

const SHOW_MS = 10_000;
const MAX_LINES = 6;

export class MatchChat {
  readonly root: HTMLElement;
  private readonly log = h('ul', { id: 'match-chat-log', class: 'match-chat-log', 'aria-live': 'polite' });
  private readonly input: HTMLInputElement;
  private readonly form: HTMLFormElement;
  private readonly open = h('button', { id: 'match-chat-open', type: 'button', class: 'small chat-open', text: 'Chat', title: 'Chat (Enter)' });
  private readonly lines: Array<{ el: HTMLElement; at: number }> = [];
  /** Whether keys go to the chat field (the game must not read them as moves). */
  typing = false;

  constructor(private readonly send: (text: string) => boolean) {
    this.input = h('input', {
      id: 'match-chat-input',
      type: 'text',
      maxlength: String(Limits.maxChatLength),
      placeholder: 'Say something (Enter sends, Esc closes)',
      autocomplete: 'off',
      'aria-label': 'Match chat message',
    });
    this.form = h('form', { id: 'match-chat-form', class: 'match-chat-form' }, this.input);
    this.form.hidden = true;
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (text && !this.send(text)) this.system('Not connected: the line was not sent.');
      this.input.value = '';
      this.close();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      }
      e.stopPropagation();
    });
    this.input.addEventListener('blur', () => this.close());
    this.open.addEventListener('click', () => this.openField());
    this.root = h('div', { id: 'match-chat', class: 'match-chat' }, this.log, this.form, this.open);
  }

  /** Spectators read the match's chat but have no field (their socket may not send). */
  setReadOnly(readOnly: boolean): void {
    this.root.classList.toggle('read-only', readOnly);
    if (readOnly) this.close();
  }

  /** Enter in the game opens the field. */
  openField(): void {
    this.form.hidden = false;
    this.typing = true;
    this.input.focus();
  }

  close(): void {
    this.form.hidden = true;
    this.typing = false;
    if (document.activeElement === this.input) this.input.blur();
  }

  line(from: string, text: string, now: number): void {
    this.append(h('li', {}, h('span', { class: 'from', text: from }), h('span', { text: ` ${text}` })), now);
  }

  system(text: string, now = performance.now()): void {
    this.append(h('li', { class: 'system', text }), now);
  }

  tick(now: number): void {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      if (now - this.lines[i].at > SHOW_MS) {
        this.lines[i].el.remove();
        this.lines.splice(i, 1);
      }
    }
    this.log.hidden = this.lines.length === 0;
  }

  clear(): void {
    for (const l of this.lines.splice(0)) l.el.remove();
    this.close();
    this.log.hidden = true;
  }

  texts(): string[] {
    return this.lines.map((l) => l.el.textContent ?? '').reverse();
  }

  private append(el: HTMLElement, now: number): void {
    this.log.append(el);
    this.lines.unshift({ el, at: now });
    while (this.lines.length > MAX_LINES) this.lines.pop()!.el.remove();
    this.log.hidden = false;
  }
}
