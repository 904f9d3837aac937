/**
 * The live public match list in the menu: mode, phase, time left, players (and bots),
 * spectators, and a *Spectate* button per match. Private matches are never listed by the
 * server. Time left counts down from the entry's `endsAt` (the server's wall clock) with
 * this browser's clock, once a second; a clock that is off shifts it by as much.
 */
import type { MatchListEntry } from '../../protocol/index.js';
import { clock, h } from './dom.js';

/** "2:31" while playing, "full match" before it starts, "–" when over or unknown. */
export function timeLeftText(m: MatchListEntry, nowMs: number): string {
  if (m.phase === 'waiting' || m.phase === 'countdown') return 'full match';
  if (!m.endsAt || m.phase !== 'playing') return '–';
  return clock(Math.max(0, (m.endsAt - nowMs) / 1000));
}

export class LobbyMatchList {
  readonly root: HTMLElement;
  private readonly body = h('tbody', { id: 'match-list-body' });
  private readonly empty = h('p', { id: 'match-list-empty', class: 'muted' });
  private lastKey = '';
  private busy = false;
  private shown: Array<{ m: MatchListEntry; cell: HTMLElement }> = [];

  constructor(private readonly onSpectate: (matchId: string) => void) {
    const table = h(
      'table',
      { id: 'match-list', class: 'matches' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', { text: 'Mode' }), h('th', { text: 'Phase' }), h('th', { class: 'num', text: 'Left' }), h('th', { class: 'num', text: 'Players' }), h('th', { class: 'num', text: 'Watching' }), h('th')),
      ),
      this.body,
    );
    this.root = h('section', { id: 'match-list-panel', class: 'card matches-card' }, h('h2', { text: 'Matches' }), table, this.empty);
    this.setMatches(null);
    setInterval(() => this.tickTimes(), 1000);
  }

  private tickTimes(): void {
    const now = Date.now();
    for (const { m, cell } of this.shown) {
      const text = timeLeftText(m, now);
      if (cell.textContent !== text) cell.textContent = text;
    }
  }

  /** null: not known yet (signed out or before the first list arrived). */
  setMatches(matches: MatchListEntry[] | null): void {
    const key = matches === null ? 'null' : JSON.stringify(matches);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.empty.hidden = matches !== null && matches.length > 0;
    this.empty.textContent = matches === null ? 'Enter the lobby to see live matches.' : 'No public matches right now: Quick play opens one.';
    this.shown = [];
    this.body.replaceChildren(
      ...(matches ?? []).map((m) => {
        const watch = h('button', { type: 'button', class: 'small spectate', 'data-match': m.id, text: 'Spectate' });
        watch.disabled = this.busy;
        watch.addEventListener('click', () => this.onSpectate(m.id));
        const players = `${m.players}/${m.max}${m.bots > 0 ? ` +${m.bots} bots` : ''}`;
        const left = h('td', { class: 'num time-left', text: timeLeftText(m, Date.now()) });
        this.shown.push({ m, cell: left });
        return h(
          'tr',
          { 'data-match': m.id },
          h('td', { text: m.mode }),
          h('td', { text: m.phase }),
          left,
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
