/**
 * The lobby card in the menu: who you are (your player id, copyable, so a friend can invite
 * you), how many players are online, the lobby connection's state, and private matches —
 * *Create private* and *Join by code*. Before signing in it offers *Enter lobby*, which uses
 * the name typed in the play card.
 */
import type { ConnectionState as LobbyConnectionState } from '../../client/index.js';
import { h } from './dom.js';
import { PrivateOptions } from './privateOptions.js';

export interface LobbyPanelHandlers {
  onEnter(): void;
  onCreatePrivate(): void;
  onJoinCode(code: string): void;
}

/** Upper-cased, without spaces or dashes (codes are read aloud and pasted); null when empty. */
export function cleanJoinCode(raw: string): string | null {
  const code = raw.replace(/[\s-]+/g, '').toUpperCase();
  return code ? code : null;
}

export class LobbyPanel {
  readonly root: HTMLElement;
  private readonly signedOut: HTMLElement;
  private readonly signedIn: HTMLElement;
  private readonly online = h('span', { id: 'lobby-online', class: 'value', text: '–' });
  private readonly conn = h('span', { id: 'lobby-connection', class: 'muted' });
  private readonly userName = h('strong', { id: 'lobby-user-name' });
  private readonly userId = h('code', { id: 'lobby-user-id', class: 'player-id' });
  private readonly copy = h('button', { id: 'lobby-copy-id', type: 'button', class: 'small', text: 'Copy' });
  private readonly enter = h('button', { id: 'lobby-enter', type: 'button', text: 'Enter lobby' });
  private readonly create = h('button', { id: 'create-private', type: 'button', text: 'Create private' });
  private readonly code: HTMLInputElement;
  private readonly join = h('button', { id: 'join-code', type: 'submit', text: 'Join' });
  private readonly status = h('p', { id: 'lobby-status', class: 'status', role: 'status' });
  /** The host's choices for *Create private* (bots, seats, bot level). */
  readonly privateOptions = new PrivateOptions();

  constructor(handlers: LobbyPanelHandlers) {
    this.code = h('input', {
      id: 'join-code-input',
      type: 'text',
      maxlength: '12',
      placeholder: 'Code (6 letters)',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-label': 'Join code',
    });
    this.signedOut = h(
      'div',
      { class: 'stack' },
      h('p', { class: 'muted', text: 'Enter the lobby to chat, see live matches and receive invites.' }),
      this.enter,
    );
    this.signedIn = h(
      'div',
      { class: 'stack' },
      h('p', { class: 'who' }, this.userName, ' ', this.conn),
      h('div', { class: 'id-row' }, h('span', { class: 'muted', text: 'Your id' }), this.userId, this.copy),
      h('p', { class: 'online' }, this.online, h('span', { class: 'muted', text: ' online' })),
    );
    const joinForm = h('form', { class: 'row', id: 'join-code-form' }, this.code, this.join);
    this.root = h(
      'section',
      { id: 'lobby-panel', class: 'card lobby-card' },
      h('h2', { text: 'Lobby' }),
      this.signedOut,
      this.signedIn,
      h('h3', { text: 'Private match' }),
      this.create,
      this.privateOptions.root,
      joinForm,
      this.status,
    );
    this.signedIn.hidden = true;
    this.enter.addEventListener('click', () => handlers.onEnter());
    this.create.addEventListener('click', () => handlers.onCreatePrivate());
    joinForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const code = cleanJoinCode(this.code.value);
      if (!code) {
        this.setStatus('Type the 6-letter code your friend gave you.', true);
        this.code.focus();
        return;
      }
      handlers.onJoinCode(code);
    });
    this.copy.addEventListener('click', () => void this.copyId());
  }

  /** Shows the signed-in player (null: signed out). */
  setUser(user: { id: string; name: string } | null): void {
    this.signedOut.hidden = user !== null;
    this.signedIn.hidden = user === null;
    this.userName.textContent = user?.name ?? '';
    this.userId.textContent = user?.id ?? '';
    if (!user) this.online.textContent = '–';
  }

  setOnline(n: number): void {
    this.online.textContent = String(n);
  }

  setConnection(state: LobbyConnectionState): void {
    this.root.dataset.connection = state;
    this.conn.textContent = state === 'open' ? '' : state === 'closed' ? '(offline)' : state === 'reconnecting' ? '(reconnecting…)' : '(connecting…)';
  }

  setBusy(busy: boolean): void {
    for (const el of [this.enter, this.create, this.join, this.code]) el.disabled = busy;
  }

  setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }

  private async copyId(): Promise<void> {
    const id = this.userId.textContent ?? '';
    try {
      await navigator.clipboard.writeText(id);
      this.setStatus('Your id is copied: send it to a friend.');
    } catch {
      // No clipboard permission (plain http, or denied): select it for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(this.userId);
      const sel = getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      this.setStatus('Press Ctrl+C to copy your id.');
    }
  }
}
