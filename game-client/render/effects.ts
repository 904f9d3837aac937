/**
 * Short-lived effects: a death burst (an expanding ring and fragments flying apart) and a
 * spark where a shot hits. Each owns one Graphics redrawn per frame until it expires.
 */
import { Container, Graphics } from 'pixi.js';
import { Palette } from './palette.js';

interface Effect {
  g: Graphics;
  age: number;
  life: number;
  draw(g: Graphics, t: number): void;
}

export class Effects {
  readonly root = new Container();
  private readonly live: Effect[] = [];

  death(x: number, y: number, color: number): void {
    const shards = Array.from({ length: 10 }, (_, i) => {
      const a = (i / 10) * Math.PI * 2 + Math.random() * 0.4;
      return { c: Math.cos(a), s: Math.sin(a), v: 60 + Math.random() * 80 };
    });
    this.add(x, y, 600, (g, t) => {
      g.circle(0, 0, 16 + 40 * t).stroke({ width: 3 * (1 - t) + 0.5, color: Palette.death, alpha: 1 - t });
      for (const sh of shards) g.circle(sh.c * sh.v * t, sh.s * sh.v * t, 4 * (1 - t) + 1).fill({ color, alpha: 1 - t });
    });
  }

  spark(x: number, y: number): void {
    this.add(x, y, 200, (g, t) => {
      g.circle(0, 0, 4 + 10 * t).fill({ color: Palette.flash, alpha: 0.8 * (1 - t) });
    });
  }

  private add(x: number, y: number, life: number, draw: Effect['draw']): void {
    const g = new Graphics();
    g.position.set(x, y);
    this.root.addChild(g);
    this.live.push({ g, age: 0, life, draw });
  }

  tick(dtMs: number): void {
    for (let i = this.live.length - 1; i >= 0; i--) {
      const e = this.live[i];
      e.age += dtMs;
      if (e.age >= e.life) {
        e.g.destroy();
        this.live.splice(i, 1);
        continue;
      }
      e.g.clear();
      e.draw(e.g, e.age / e.life);
    }
  }

  get count(): number {
    return this.live.length;
  }
}
