/**
 * One player on screen: a circle (own player gold with a ring), the aim direction, the
 * name above and an HP bar under the name. Hit flashes are a white overlay that fades.
 */
import { Container, Graphics, Text } from 'pixi.js';
import { PLAYER_RADIUS } from '../../protocol/index.js';
import type { PlayerView } from '../netcode/views.js';
import { Palette } from './palette.js';

const HP_W = 36;
const HP_H = 5;

export class PlayerSprite {
  readonly root = new Container();
  private readonly body = new Graphics();
  private readonly aim = new Graphics();
  private readonly flashG = new Graphics();
  private readonly hp = new Graphics();
  private readonly label: Text;
  private drawnKey = '';
  private drawnHp = -1;
  private flashLeft = 0;

  constructor(name: string) {
    this.label = new Text({
      text: name,
      style: { fontFamily: 'system-ui, sans-serif', fontSize: 12, fill: 0xe5e9f0, fontWeight: '600' },
    });
    this.label.anchor.set(0.5, 1);
    this.label.y = -PLAYER_RADIUS - 10;
    this.hp.y = -PLAYER_RADIUS - 8;
    this.flashG.circle(0, 0, PLAYER_RADIUS).fill(Palette.flash);
    this.flashG.alpha = 0;
    this.root.addChild(this.aim, this.body, this.flashG, this.hp, this.label);
  }

  update(p: PlayerView): void {
    this.root.position.set(p.x, p.y);
    this.root.visible = p.alive;
    if (this.label.text !== p.name) this.label.text = p.name;
    const color = p.self ? Palette.self : !p.connected && !p.bot ? Palette.disconnected : p.bot ? Palette.bot : Palette.other;
    const key = `${color}|${p.self}|${p.protected}`;
    if (key !== this.drawnKey) {
      this.drawnKey = key;
      this.body.clear();
      if (p.self) this.body.circle(0, 0, PLAYER_RADIUS + 4).stroke({ width: 2, color: Palette.selfRing, alpha: 0.9 });
      this.body.circle(0, 0, PLAYER_RADIUS).fill(color);
      if (p.protected) this.body.circle(0, 0, PLAYER_RADIUS + 7).stroke({ width: 2, color: Palette.protectedRing, alpha: 0.7 });
      this.aim.clear();
      this.aim.moveTo(PLAYER_RADIUS - 4, 0).lineTo(PLAYER_RADIUS + 12, 0).stroke({ width: 4, color, cap: 'round' });
    }
    this.aim.rotation = p.aim;
    if (p.hp !== this.drawnHp) {
      this.drawnHp = p.hp;
      const f = Math.max(0, Math.min(1, p.hp / 100));
      this.hp.clear();
      this.hp.rect(-HP_W / 2, 0, HP_W, HP_H).fill(Palette.hpBack);
      if (f > 0) this.hp.rect(-HP_W / 2, 0, HP_W * f, HP_H).fill(f > 0.35 ? Palette.hpGood : Palette.hpLow);
    }
  }

  flash(): void {
    this.flashLeft = 140;
  }

  tick(dtMs: number): void {
    if (this.flashLeft <= 0) return;
    this.flashLeft = Math.max(0, this.flashLeft - dtMs);
    this.flashG.alpha = (this.flashLeft / 140) * 0.85;
  }

  destroy(): void {
    this.root.destroy({ children: true });
  }
}
