/**
 * Lobby chat in the menu: the last lines (from everyone in the lobby, on every node) and a
 * line to type into. The server strips control characters and limits the rate (a line over
 * it is refused with an error, shown here as a system line); the field stops at 200.
 */
import { Limits } from '../../protocol/index.js';
import { h } from './dom.js';

const MAX_LINES = 100;

export class LobbyChat {
  readonly root: HTMLElement;
  private readonly log = h('ul', { id: 'chat-log', class: 'chat-log', 'aria-live': 'polite' });
  private readonly input: HTMLInputElement;
  private readonly send = h('button', { id: 'chat-send', type: 'submit', text: 'Send' });

  /** `onSend` returns false when the line could not be sent (not connected). */
  constructor(onSend: (text: string) => boolean) {
    this.input = h('input', {
      id: 'chat-input',
      type: 'text',
      maxlength: String(Limits.maxChatLength),
      placeholder: 'Say something',
      autocomplete: 'off',
      'aria-label': 'Chat message',
    });
    const form = h('form', { class: 'row', id: 'chat-form' }, this.input, this.send);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      if (onSend(text)) this.input.value = '';
      else this.system('Not connected to the lobby: the line was not sent.');
    });
    this.root = h('section', { id: 'chat-panel', class: 'card chat-card' }, h('h2', { text: 'Chat' }), this.log, form);
    this.setEnabled(false);
  }

  line(from: string, text: string): void {
    this.append(h('li', {}, h('span', { class: 'from', text: from }), h('span', { class: 'text', text: ` ${text}` })));
  }

  /** A line from the client itself (rate limited, not connected…). */
  system(text: string): void {
    this.append(h('li', { class: 'system', text }));
  }

  setEnabled(enabled: boolean): void {
    this.input.disabled = !enabled;
    this.send.disabled = !enabled;
  }

  /** The lines shown, for the debug hook. */
  lines(): string[] {
    return [...this.log.children].map((li) => li.textContent ?? '');
  }

  private append(li: HTMLElement): void {
    const atBottom = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 4;
    this.log.append(li);
    while (this.log.children.length > MAX_LINES) this.log.firstElementChild?.remove();
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }
}
