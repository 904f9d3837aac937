/**
 * The in-game HUD: HP, score, ping (coloured by quality), the match timer with the phase,
 * a settings button, the minimap and kill feed, and the banner (waiting, countdown, and on
 * death who killed you and a respawn countdown).
 *
 * Layout: everything flows in flex rows/columns instead of absolute offsets — the top bar,
 * then a middle row (banner; the side column with minimap, kill feed and, during play, the
 * toasts), then a bottom row (match chat; the private match's invite card) — so boxes wrap
 * rather than overlap on 360–640 px screens, and whatever does not fit is clipped.
 */
import { EventKind, Phase, type GameEvent } from '../../protocol/index.js';
import type { FrameView } from '../netcode/views.js';
import { clock, h } from './dom.js';

const FEED_MS = 5000;
const FEED_MAX = 5;

/** good < 80 ms ≤ fair < 150 ms ≤ poor (round trip). */
export function pingQuality(rttMs: number): 'good' | 'fair' | 'poor' | 'unknown' {
  if (!Number.isFinite(rttMs) || rttMs <= 0) return 'unknown';
  return rttMs < 80 ? 'good' : rttMs < 150 ? 'fair' : 'poor';
}

/** What the own player's death looks like from here: who did it and when play resumes. */
export interface DeathInfo {
  killer: string;
  /** performance.now() of the respawn; null when the mode does not say. */
  respawnAt: number | null;
}

export function deathBanner(d: DeathInfo, now: number): string {
  const by = `Eliminated by ${d.killer}`;
  if (d.respawnAt === null) return `${by}: respawning…`;
  return `${by}: respawning in ${Math.max(1, Math.ceil((d.respawnAt - now) / 1000))}`;
}

export class Hud {
  readonly root: HTMLElement;
  private readonly hp = h('span', { id: 'hud-hp', class: 'value' });
  private readonly hpBar = h('div', { class: 'hp-fill' });
  private readonly score = h('span', { id: 'hud-score', class: 'value' });
  private readonly ping = h('span', { id: 'hud-ping', class: 'value ping', 'data-quality': 'unknown' });
  /** Shown only off the default transport: "polling" tells the player why the ping is higher. */
  private readonly transport = h('span', { id: 'hud-transport', class: 'label transport' });
  private readonly timer = h('span', { id: 'hud-timer', class: 'value' });
  private readonly phase = h('span', { id: 'hud-phase', class: 'label' });
  private readonly banner = h('div', { id: 'hud-banner', class: 'banner' });
  private readonly feed = h('ul', { id: 'kill-feed', class: 'kill-feed' });
  /** The right-hand column under the top bar: the minimap goes first. */
  readonly side = h('div', { class: 'hud-side' });
  /** The top bar's right end (the settings button). */
  readonly topRight = h('div', { class: 'hud-top-right' });
  /** Where the page's toasts go while a match is on screen (under the kill feed). */
  readonly toastSlot = h('div', { class: 'hud-toasts' });
  /** The bottom row: match chat on the left, the invite card on the right. */
  readonly bottom = h('div', { class: 'hud-bottom' });
  private readonly feedItems: Array<{ el: HTMLElement; at: number }> = [];
  private last = { hp: '', score: '', timer: '', phase: '', banner: '', ping: '', transport: '' };
  private death: DeathInfo | null = null;

  constructor() {
    this.side.append(this.feed, this.toastSlot);
    this.transport.hidden = true;
    this.root = h(
      'div',
      { id: 'hud', class: 'hud' },
      h(
        'div',
        { class: 'hud-top' },
        h(
          'div',
          { class: 'hud-top-left' },
          h('div', { class: 'hud-box hud-hp', id: 'hud-hp-box' }, h('span', { class: 'label', text: 'HP' }), this.hp, h('div', { class: 'hp-bar' }, this.hpBar)),
          h('div', { class: 'hud-box hud-score', id: 'hud-score-box' }, h('span', { class: 'label', text: 'Score' }), this.score),
          h('div', { class: 'hud-box hud-ping', id: 'hud-ping-box', title: 'Round trip to the server' }, this.ping, this.transport),
        ),
        h('div', { class: 'hud-box hud-timer', id: 'hud-timer-box' }, this.phase, this.timer),
        this.topRight,
      ),
      h('div', { class: 'hud-middle' }, h('div', { class: 'hud-banner-slot' }, this.banner), this.side),
      this.bottom,
    );
  }

  update(view: FrameView, now: number, rttMs = NaN, transport = 'websocket'): void {
    if (this.set('transport', this.transport, transport === 'websocket' ? '' : transport)) this.transport.hidden = transport === 'websocket';
    const self = view.self;
    this.set('hp', this.hp, self ? String(self.alive ? self.hp : 0) : '–');
    this.hpBar.style.width = `${self && self.alive ? Math.max(0, Math.min(100, self.hp)) : 0}%`;
    this.set('score', this.score, self ? String(self.score) : '0');
    const q = pingQuality(rttMs);
    if (this.set('ping', this.ping, q === 'unknown' ? '– ms' : `${Math.round(rttMs)} ms`)) this.ping.dataset.quality = q;
    const phaseLabel = { [Phase.Waiting]: 'Waiting', [Phase.Countdown]: 'Starts in', [Phase.Playing]: 'Time', [Phase.Ended]: 'Match over' }[view.phase];
    this.set('phase', this.phase, phaseLabel);
    this.set('timer', this.timer, view.phase === Phase.Waiting ? '–:––' : clock(view.secondsLeft));
    if (self?.alive) this.death = null;
    const banner =
      view.phase === Phase.Waiting
        ? 'Waiting for players…'
        : view.phase === Phase.Countdown
          ? `Get ready: ${Math.ceil(view.secondsLeft)}`
          : self && !self.alive && view.phase === Phase.Playing
            ? this.death
              ? deathBanner(this.death, now)
              : 'You were eliminated: respawning…'
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

  /**
   * Adds kill-feed lines for released events; the own death also names the killer in the
   * banner with a countdown to the respawn (`respawnSeconds` from the welcome config).
   */
  events(events: GameEvent[], names: (id: number) => string, selfId: number, now: number, respawnSeconds?: number): void {
    for (const ev of events) {
      if (ev[0] !== EventKind.Kill) continue;
      const [, killer, victim] = ev;
      if (victim === selfId && selfId !== 0) {
        this.death = { killer: names(killer), respawnAt: respawnSeconds === undefined ? null : now + respawnSeconds * 1000 };
      }
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
    this.death = null;
  }

  private set(key: keyof Hud['last'], el: HTMLElement, text: string): boolean {
    if (this.last[key] === text) return false;
    this.last[key] = text;
    el.textContent = text;
    return true;
  }
}
