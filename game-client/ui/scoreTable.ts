/** The score table shared by the Tab scoreboard and the results screen. */
import type { ScoreRow } from '../netcode/views.js';
import { h } from './dom.js';

export function scoreTable(rows: ScoreRow[], id: string): HTMLTableElement {
  const body = h('tbody');
  rows.forEach((r, i) => {
    const name = `${r.name}${r.bot ? ' (bot)' : ''}${!r.bot && !r.connected ? ' (offline)' : ''}`;
    body.append(
      h(
        'tr',
        { class: r.self ? 'self' : '' },
        h('td', { class: 'rank', text: String(i + 1) }),
        h('td', { class: 'name', text: name }),
        h('td', { class: 'num', text: String(r.score) }),
        h('td', { class: 'num', text: String(r.deaths) }),
      ),
    );
  });
  return h(
    'table',
    { id, class: 'scores' },
    h('thead', {}, h('tr', {}, h('th', { text: '#' }), h('th', { text: 'Player' }), h('th', { class: 'num', text: 'Kills' }), h('th', { class: 'num', text: 'Deaths' }))),
    body,
  );
}
