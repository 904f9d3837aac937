/**
 * Hit feedback, over the canvas: for the shooter a hit marker (an ✕ on the victim, red on a
 * kill) and a floating damage number; for the one hit a red flash at the screen edges and
 * a short screen shake (off at low quality, and for players who ask the OS to reduce
 * motion). Driven by released game events, so the marker shows when the shot is seen to
 * land. Live elements are capped, and everything expires by frame time, not timers.
 */
import { EventKind, type GameEvent } from '../../protocol/index.js';
import type { PlayerView } from '../netcode/views.js';
import { h } from './dom.js';

const MARKER_MS = 300;
const NUMBER_MS = 800;
const FLASH_MS = 350;
const SHAKE_MS = 220;
const SHAKE_PX = 7;
/** Live markers + numbers at most (a burst of hits cannot grow the DOM). */
const MAX_LIVE = 24;

export interface FeedbackCounts {
  hitMarkers: number;
  damageNumbers: number;
  flashes: number;
}

export class HitFeedback {
  readonly root = h('div', { id: 'hit-feedback', class: 'hit-feedback' });
  private readonly flash = h('div', { id: 'damage-flash', class: 'damage-flash' });
  private readonly live: Array<{ el: HTMLElement; until: number }> = [];
  private flashUntil = 0;
  private shakeUntil = 0;
  /** Off at low quality or with prefers-reduced-motion. */
  shakeEnabled = true;
  readonly counts: FeedbackCounts = { hitMarkers: 0, damageNumbers: 0, flashes: 0 };

  constructor(private readonly shakeTarget: HTMLElement) {
    this.root.append(this.flash);
    this.flash.hidden = true;
  }

  /** Reacts to this frame's released events. */
  events(events: readonly GameEvent[], selfId: number, players: readonly PlayerView[], toScreen: (x: number, y: number) => { x: number; y: number }, now: number): void {
    if (selfId === 0) return;
    for (const ev of events) {
      const kind = ev[0];
      if (kind === EventKind.Hit) {
        const [, shooter, victim, dealt] = ev;
        if (shooter === selfId && victim !== selfId) {
          const v = players.find((p) => p.id === victim);
          if (v) {
            const at = toScreen(v.x, v.y);
            this.marker(at, false, now);
            this.number(at, dealt, now);
          }
        }
        if (victim === selfId) this.hurt(now);
      } else if (kind === EventKind.Kill && ev[1] === selfId && ev[2] !== selfId) {
        const v = players.find((p) => p.id === ev[2]);
        if (v) this.marker(toScreen(v.x, v.y), true, now);
      }
    }
  }

  /** Expires markers, fades the flash, moves the shake; call once per frame. */
  tick(now: number): void {
    for (let i = this.live.length - 1; i >= 0; i--) {
      if (now >= this.live[i].until) {
        this.live[i].el.remove();
        this.live.splice(i, 1);
      }
    }
    const f = (this.flashUntil - now) / FLASH_MS;
    this.flash.hidden = f <= 0;
    if (f > 0) this.flash.style.opacity = f.toFixed(2);
    const s = (this.shakeUntil - now) / SHAKE_MS;
    if (s > 0 && this.shakeEnabled) {
      const a = SHAKE_PX * s;
      this.shakeTarget.style.transform = `translate(${((Math.random() * 2 - 1) * a).toFixed(1)}px, ${((Math.random() * 2 - 1) * a).toFixed(1)}px)`;
    } else if (this.shakeTarget.style.transform) {
      this.shakeTarget.style.transform = '';
    }
  }

  clear(): void {
    for (const l of this.live.splice(0)) l.el.remove();
    this.flashUntil = this.shakeUntil = 0;
    this.flash.hidden = true;
    this.shakeTarget.style.transform = '';
  }

  private hurt(now: number): void {
    this.counts.flashes++;
    this.flashUntil = now + FLASH_MS;
    this.shakeUntil = now + SHAKE_MS;
  }

  private marker(at: { x: number; y: number }, kill: boolean, now: number): void {
    this.counts.hitMarkers++;
    this.add(h('div', { class: kill ? 'hit-marker kill' : 'hit-marker' }), at, now + MARKER_MS);
  }

  private number(at: { x: number; y: number }, dealt: number, now: number): void {
    this.counts.damageNumbers++;
    // A little sideways spread so numbers of a quick burst do not stack into one.
    const dx = (this.counts.damageNumbers % 3) * 10 - 10;
    this.add(h('div', { class: 'damage-number', text: String(dealt) }), { x: at.x + dx, y: at.y - 22 }, now + NUMBER_MS);
  }

  private add(el: HTMLElement, at: { x: number; y: number }, until: number): void {
    if (this.live.length >= MAX_LIVE) this.live.shift()!.el.remove();
    el.style.left = `${Math.round(at.x)}px`;
    el.style.top = `${Math.round(at.y)}px`;
    this.root.append(el);
    this.live.push({ el, until });
  }
}
