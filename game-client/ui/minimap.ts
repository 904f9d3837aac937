/**
 * The minimap: the whole map scaled into a small canvas — walls, every player in the
 * latest frame (the own player gold, others red, bots grey, the dead not at all) and the
 * rectangle the screen shows. Redrawn at most 10 times a second: it is a glance, not a view.
 */
import type { MapGeometry } from '../../protocol/index.js';
import type { PlayerView } from '../netcode/views.js';
import { h } from './dom.js';

const WIDTH = 160;
const REDRAW_MS = 100;

export class Minimap {
  readonly root: HTMLCanvasElement;
  private map: MapGeometry | null = null;
  private scale = 1;
  private lastAt = -Infinity;
  /** How many player dots the last redraw drew (tests). */
  dots = 0;

  constructor() {
    this.root = h('canvas', { id: 'minimap', class: 'minimap', width: String(WIDTH), height: '100' });
    this.root.hidden = true;
  }

  setMap(map: MapGeometry): void {
    this.map = map;
    this.scale = WIDTH / map.width;
    this.root.width = WIDTH;
    this.root.height = Math.max(1, Math.round(map.height * this.scale));
    this.root.hidden = false;
    this.lastAt = -Infinity;
  }

  clear(): void {
    this.map = null;
    this.root.hidden = true;
  }

  /** `view`: the world rectangle on screen. */
  update(players: readonly PlayerView[], view: { x: number; y: number; w: number; h: number }, now: number): void {
    const map = this.map;
    if (!map || now - this.lastAt < REDRAW_MS) return;
    this.lastAt = now;
    const ctx = this.root.getContext('2d');
    if (!ctx) return;
    const k = this.scale;
    ctx.clearRect(0, 0, this.root.width, this.root.height);
    ctx.fillStyle = 'rgba(15, 20, 32, 0.85)';
    ctx.fillRect(0, 0, this.root.width, this.root.height);
    ctx.fillStyle = '#3b4660';
    for (const w of map.walls) ctx.fillRect(w.x * k, w.y * k, Math.max(1, w.w * k), Math.max(1, w.h * k));
    ctx.strokeStyle = 'rgba(229, 233, 240, 0.5)';
    ctx.lineWidth = 1;
    ctx.strokeRect(view.x * k + 0.5, view.y * k + 0.5, view.w * k, view.h * k);
    let dots = 0;
    for (const p of players) {
      if (!p.alive) continue;
      ctx.fillStyle = p.self ? '#ffc940' : p.bot ? '#9aa3b5' : '#f87171';
      ctx.beginPath();
      ctx.arc(p.x * k, p.y * k, p.self ? 3.5 : 2.5, 0, Math.PI * 2);
      ctx.fill();
      dots++;
    }
    this.dots = dots;
  }
}
