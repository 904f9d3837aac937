/** The in-game HUD: HP, score, the match timer with the phase, and the kill feed. */
import { EventKind, Phase, type GameEvent } from '../../protocol/index.js';
import type { FrameView } from '../netcode/session.js';
import { clock, h } from './dom.js';

const FEED_MS = 5000;
const FEED_MAX = 5;

export class Hud {
  readonly root: HTMLElement;
  private readonly hp = h('span', { id: 'hud-hp', class: 'value' });
  private readonly hpBar = h('div', { class: 'hp-fill' });
  private readonly score = h('span', { id: 'hud-score', class: 'value' });
  private readonly timer = h('span', { id: 'hud-timer', class: 'value' });
  private readonly phase = h('span', { id: 'hud-phase', class: 'label' });
  private readonly banner = h('div', { id: 'hud-banner', class: 'banner' });
  private readonly feed = h('ul', { id: 'kill-feed', class: 'kill-feed' });
  private readonly feedItems: Array<{ el: HTMLElement; at: number }> = [];
  private last = { hp: '', score: '', timer: '', phase: '', banner: '' };

  constructor() {
    this.root = h(
      'div',
      { id: 'hud', class: 'hud' },
      h('div', { class: 'hud-box hud-hp' }, h('span', { class: 'label', text: 'HP' }), this.hp, h('div', { class: 'hp-bar' }, this.hpBar)),
      h('div', { class: 'hud-box hud-score' }, h('span', { class: 'label', text: 'Score' }), this.score),
      h('div', { class: 'hud-box hud-timer' }, this.phase, this.timer),
      this.feed,
      this.banner,
    );
  }

  update(view: FrameView, now: number): void {
    const self = view.self;
    this.set('hp', this.hp, self ? String(self.alive ? self.hp : 0) : '–');
    this.hpBar.style.width = `${self && self.alive ? Math.max(0, Math.min(100, self.hp)) : 0}%`;
    this.set('score', this.score, self ? String(self.score) : '0');
    const phaseLabel = { [Phase.Waiting]: 'Waiting', [Phase.Countdown]: 'Starts in', [Phase.Playing]: 'Time', [Phase.Ended]: 'Match over' }[view.phase];
    this.set('phase', this.phase, phaseLabel);
    this.set('timer', this.timer, view.phase === Phase.Waiting ? '–:––' : clock(view.secondsLeft));
    const banner =
      view.phase === Phase.Waiting
        ? 'Waiting for players…'
        : view.phase === Phase.Countdown
          ? `Get ready: ${Math.ceil(view.secondsLeft)}`
          : self && !self.alive && view.phase === Phase.Playing
            ? 'You were eliminated: respawning…'
            : '';
    this.set('banner', this.banner, banner);
    this.banner.hidden = banner === '';
    for (let i = this.feedItems.length - 1; i >= 0; i--) {
      if (now - this.feedItems[i].at > FEED_MS) {
        this.feedItems[i].el.remove();
        this.feedItems.splice(i, 1);
      }
    }
  }

  /** Adds kill-feed lines for released events. */
  events(events: GameEvent[], names: (id: number) => string, selfId: number, now: number): void {
    for (const ev of events) {
      if (ev[0] !== EventKind.Kill) continue;
      const [, killer, victim] = ev;
      const el = h(
        'li',
        { class: killer === selfId || victim === selfId ? 'mine' : '' },
        h('span', { class: 'killer', text: names(killer) }),
        h('span', { class: 'sep', text: ' ✕ ' }),
        h('span', { class: 'victim', text: names(victim) }),
      );
      this.feed.prepend(el);
      this.feedItems.unshift({ el, at: now });
      while (this.feedItems.length > FEED_MAX) this.feedItems.pop()!.el.remove();
    }
  }

  clear(): void {
    for (const f of this.feedItems.splice(0)) f.el.remove();
  }

  private set(key: keyof Hud['last'], el: HTMLElement, text: string): void {
    if (this.last[key] === text) return;
    this.last[key] = text;
    el.textContent = text;
  }
}
