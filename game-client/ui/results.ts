/** The end-of-match screen: the final table, Play again, and back to the menu. */
import type { ScoreRow } from '../netcode/views.js';
import { h } from './dom.js';
import { scoreTable } from './scoreTable.js';

export interface ResultsHandlers {
  onPlayAgain(): void;
  onMenu(): void;
}

export class ResultsScreen {
  readonly root: HTMLElement;
  private readonly title = h('h2', { id: 'results-title' });
  private readonly tableHost = h('div', { class: 'table-host' });

  constructor(handlers: ResultsHandlers) {
    const again = h('button', { id: 'play-again', class: 'primary', type: 'button', text: 'Play again' });
    const menu = h('button', { id: 'results-menu', type: 'button', text: 'Menu' });
    again.addEventListener('click', () => handlers.onPlayAgain());
    menu.addEventListener('click', () => handlers.onMenu());
    this.root = h('section', { id: 'results', class: 'screen results' }, h('div', { class: 'card' }, this.title, this.tableHost, h('div', { class: 'actions' }, again, menu)));
    this.root.hidden = true;
  }

  showResults(rows: ScoreRow[], note = ''): void {
    const winner = rows[0];
    const self = rows.find((r) => r.self);
    this.title.textContent = winner && self && winner.id === self.id ? 'You win!' : winner ? `${winner.name} wins` : 'Match over';
    this.tableHost.replaceChildren(scoreTable(rows, 'results-table'), ...(note ? [h('p', { class: 'status', text: note })] : []));
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
  }
}
