/**
 * In a private match, a small card in the game screen: the match's join code and *Invite by
 * player id* (the id a friend sees in their lobby card). Keys typed into the field are not
 * game keys (KeyboardMouse ignores input elements); the field gives focus back after sending.
 */
import { h } from './dom.js';

export class InvitePanel {
  readonly root: HTMLElement;
  private readonly code = h('code', { id: 'invite-code', class: 'join-code' });
  private readonly input: HTMLInputElement;
  private readonly send = h('button', { id: 'invite-send', type: 'submit', class: 'small', text: 'Invite' });
  private readonly status = h('p', { id: 'invite-status', class: 'status', role: 'status' });

  /** `onInvite` resolves with the sentence to show (delivered or not), or rejects with one. */
  constructor(onInvite: (playerId: string) => Promise<string>) {
    this.input = h('input', {
      id: 'invite-player-id',
      type: 'text',
      maxlength: '128',
      placeholder: "Friend's player id",
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-label': 'Player id to invite',
    });
    const form = h('form', { class: 'row', id: 'invite-form' }, this.input, this.send);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const id = this.input.value.trim();
      if (!id) {
        this.setStatus('Paste the player id your friend sees in their lobby.', true);
        return;
      }
      this.send.disabled = true;
      onInvite(id).then(
        (msg) => {
          this.setStatus(msg);
          this.input.value = '';
          this.input.blur();
        },
        (e: Error) => this.setStatus(e.message, true),
      ).finally(() => (this.send.disabled = false));
    });
    this.root = h(
      'div',
      { id: 'invite-panel', class: 'invite-panel' },
      h('p', {}, h('span', { class: 'muted', text: 'Private match · code ' }), this.code),
      form,
      this.status,
    );
    this.root.hidden = true;
  }

  /** Shows the panel for a private match's code; null hides it. */
  setCode(code: string | null): void {
    this.root.hidden = code === null;
    this.code.textContent = code ?? '';
    if (code === null) this.setStatus('');
  }

  private setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }
}
