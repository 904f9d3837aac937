/**
 * The spectator's card over the game screen: what the camera does (free or following whom),
 * the players with their scores — each row follows that player on click, and rows 1–9 have
 * the number key that does the same — plus *Free camera* and *Leave*. The header's ▾/▸
 * button collapses it to its title and camera line (the view is what a spectator came
 * for); it starts collapsed on screens 640 px wide or less.
 */
import type { ScoreRow } from '../netcode/views.js';
import { h } from './dom.js';

export interface SpectatorPanelHandlers {
  onFollow(playerId: number): void;
  onFree(): void;
  onLeave(): void;
}

/** Spectator rows in a stable order (by id), so number keys keep meaning the same player. */
export function spectatorOrder(rows: readonly ScoreRow[]): ScoreRow[] {
  return [...rows].sort((a, b) => a.id - b.id);
}

export class SpectatorPanel {
  readonly root: HTMLElement;
  private readonly mode = h('p', { id: 'spectate-mode', class: 'mode' });
  private readonly body = h('tbody', { id: 'spectate-players' });
  private lastKey = '';
  private readonly collapse = h('button', { id: 'spectate-collapse', type: 'button', class: 'small collapse', 'aria-expanded': 'true', title: 'Collapse' });

  constructor(private readonly handlers: SpectatorPanelHandlers) {
    const free = h('button', { id: 'spectate-free', type: 'button', class: 'small', text: 'Free camera' });
    const leave = h('button', { id: 'spectate-leave', type: 'button', class: 'small', text: 'Leave' });
    free.addEventListener('click', () => handlers.onFree());
    leave.addEventListener('click', () => handlers.onLeave());
    this.root = h(
      'div',
      { id: 'spectator-panel', class: 'spectator-panel' },
      h('div', { class: 'panel-head' }, h('h2', { text: 'Spectating' }), this.collapse),
      this.mode,
      h(
        'table',
        { class: 'scores spectate-table' },
        h('thead', {}, h('tr', {}, h('th', { text: 'Key' }), h('th', { text: 'Player' }), h('th', { class: 'num', text: 'Kills' }), h('th', { class: 'num', text: 'Deaths' }))),
        this.body,
      ),
      h('p', { class: 'hint', text: 'WASD/arrows pan · 1–9 or click a player to follow · 0 free camera · Tab scores' }),
      h('div', { class: 'actions' }, free, leave),
    );
    this.root.hidden = true;
    this.collapse.addEventListener('click', () => this.setCollapsed(!this.collapsed));
    this.setCollapsed(typeof matchMedia === 'function' && matchMedia('(max-width: 640px)').matches);
  }

  get collapsed(): boolean {
    return this.root.classList.contains('collapsed');
  }

  setCollapsed(collapsed: boolean): void {
    this.root.classList.toggle('collapsed', collapsed);
    this.collapse.textContent = collapsed ? '▸' : '▾';
    this.collapse.setAttribute('aria-expanded', String(!collapsed));
    this.collapse.title = collapsed ? 'Show players' : 'Collapse';
  }

  /** Redraws when something changed; `followed` is the followed player's id (null: free camera). */
  update(rows: readonly ScoreRow[], followed: number | null): void {
    const ordered = spectatorOrder(rows);
    const name = ordered.find((r) => r.id === followed)?.name;
    const key = JSON.stringify([ordered, followed]);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.mode.textContent = followed !== null && name ? `Following ${name}` : 'Free camera';
    this.root.dataset.follow = followed === null ? '' : String(followed);
    this.body.replaceChildren(
      ...ordered.map((r, i) => {
        const tr = h(
          'tr',
          { class: r.id === followed ? 'followed' : '', 'data-player': String(r.id), title: `Follow ${r.name}` },
          h('td', { class: 'rank', text: i < 9 ? String(i + 1) : '' }),
          h('td', { class: 'name', text: `${r.name}${r.bot ? ' (bot)' : ''}` }),
          h('td', { class: 'num', text: String(r.score) }),
          h('td', { class: 'num', text: String(r.deaths) }),
        );
        tr.addEventListener('click', () => this.handlers.onFollow(r.id));
        return tr;
      }),
    );
  }

  reset(): void {
    this.lastKey = '';
  }
}
