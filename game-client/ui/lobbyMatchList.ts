/**
 * The live public match list in the menu: mode, phase, players (and bots), spectators, and
 * a *Spectate* button per match. Private matches are never listed by the server.
 */
import type { MatchListEntry } from '../../protocol/index.js';
import { h } from './dom.js';

export class LobbyMatchList {
  readonly root: HTMLElement;
  private readonly body = h('tbody', { id: 'match-list-body' });
  private readonly empty = h('p', { id: 'match-list-empty', class: 'muted' });
  private lastKey = '';
  private busy = false;

  constructor(private readonly onSpectate: (matchId: string) => void) {
    const table = h(
      'table',
      { id: 'match-list', class: 'matches' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', { text: 'Mode' }), h('th', { text: 'Phase' }), h('th', { class: 'num', text: 'Players' }), h('th', { class: 'num', text: 'Watching' }), h('th')),
      ),
      this.body,
    );
    this.root = h('section', { id: 'match-list-panel', class: 'card matches-card' }, h('h2', { text: 'Matches' }), table, this.empty);
    this.setMatches(null);
  }

  /** null: not known yet (signed out or before the first list arrived). */
  setMatches(matches: MatchListEntry[] | null): void {
    const key = matches === null ? 'null' : JSON.stringify(matches);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.empty.hidden = matches !== null && matches.length > 0;
    this.empty.textContent = matches === null ? 'Enter the lobby to see live matches.' : 'No public matches right now: Quick play opens one.';
    this.body.replaceChildren(
      ...(matches ?? []).map((m) => {
        const watch = h('button', { type: 'button', class: 'small spectate', 'data-match': m.id, text: 'Spectate' });
        watch.disabled = this.busy;
        watch.addEventListener('click', () => this.onSpectate(m.id));
        const players = `${m.players}/${m.max}${m.bots > 0 ? ` +${m.bots} bots` : ''}`;
        return h(
          'tr',
          { 'data-match': m.id },
          h('td', { text: m.mode }),
          h('td', { text: m.phase }),
          h('td', { class: 'num', text: players }),
          h('td', { class: 'num', text: String(m.spectators) }),
          h('td', {}, watch),
        );
      }),
    );
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    for (const b of this.body.querySelectorAll('button')) b.disabled = busy;
  }
}
