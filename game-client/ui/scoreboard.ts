/** The scoreboard shown while Tab is held. */
import type { ScoreRow } from '../netcode/views.js';
import { h } from './dom.js';
import { scoreTable } from './scoreTable.js';

export class Scoreboard {
  readonly root = h('div', { id: 'scoreboard', class: 'panel scoreboard' });
  private visible = false;
  private lastKey = '';

  constructor() {
    this.root.hidden = true;
  }

  setVisible(v: boolean): void {
    this.visible = v;
    this.root.hidden = !v;
    this.lastKey = '';
  }

  get isVisible(): boolean {
    return this.visible;
  }

  update(rows: ScoreRow[]): void {
    if (!this.visible) return;
    const key = JSON.stringify(rows);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.root.replaceChildren(h('h2', { text: 'Scoreboard' }), scoreTable(rows, 'scoreboard-table'));
  }
}
