/**
 * Tag drawn with Pixi v8: the yard and its blocks, a circle per player (red for "it",
 * blue for runners, grey while frozen), a white ring around the own player and a name
 * under each. The whole yard fits the window (scaled), so there is no camera to follow.
 */
import { Application, Container, Graphics, Text } from 'pixi.js';
import { PLAYER_RADIUS, type MapGeometry } from 'tickwire/protocol';
import { TagColours } from './colours.js';


export interface PlayerDraw {
  id: number;
  name: string;
  x: number;
  y: number;
  it: boolean;
  frozen: boolean;
  self: boolean;
}

interface Sprite {
  root: Container;
  body: Graphics;
  label: Text;
  /** What `body` was last drawn as, so it is redrawn only on a change. */
  look: string;
}

export class TagScene {
  readonly app = new Application();
  private readonly world = new Container();
  private readonly floor = new Graphics();
  private readonly sprites = new Map<number, Sprite>();
  private map: MapGeometry | null = null;
  frames = 0;

  async init(parent: HTMLElement): Promise<void> {
    // WebGL explicitly: what headless Chromium renders with SwiftShader in the e2e test.
    // autoStart off: the client's frame loop renders once per frame after updating.
    await this.app.init({ preference: 'webgl', resizeTo: parent, background: TagColours.background, antialias: true, autoStart: false });
    this.app.canvas.id = 'tag-canvas';
    parent.appendChild(this.app.canvas);
    this.world.addChild(this.floor);
    this.app.stage.addChild(this.world);
  }

  setMap(map: MapGeometry): void {
    this.map = map;
    this.floor.clear();
    this.floor.rect(0, 0, map.width, map.height).fill(TagColours.floor);
    for (const w of map.walls) this.floor.rect(w.x, w.y, w.w, w.h).fill(TagColours.wall);
  }

  /** Draws one frame with these players; sprites of players not listed are removed. */
  render(players: readonly PlayerDraw[]): void {
    this.fit();
    const seen = new Set<number>();
    for (const p of players) {
      seen.add(p.id);
      const s = this.sprites.get(p.id) ?? this.addSprite(p);
      const look = `${p.it}|${p.frozen}|${p.self}`;
      if (s.look !== look) {
        s.look = look;
        const colour = p.frozen ? TagColours.frozen : p.it ? TagColours.it : TagColours.runner;
        s.body.clear().circle(0, 0, PLAYER_RADIUS).fill(colour);
        if (p.self) s.body.circle(0, 0, PLAYER_RADIUS + 3).stroke({ width: 3, color: TagColours.self });
      }
      s.root.position.set(p.x, p.y);
    }
    for (const [id, s] of this.sprites) {
      if (seen.has(id)) continue;
      s.root.destroy({ children: true });
      this.sprites.delete(id);
    }
    this.app.render();
    this.frames++;
  }

  private addSprite(p: PlayerDraw): Sprite {
    const root = new Container();
    const body = new Graphics();
    const label = new Text({ text: p.name, style: { fill: 0xffffff, fontSize: 14, fontFamily: 'sans-serif' } });
    label.anchor.set(0.5, 0);
    label.position.set(0, PLAYER_RADIUS + 4);
    root.addChild(body, label);
    this.world.addChild(root);
    const s: Sprite = { root, body, label, look: '' };
    this.sprites.set(p.id, s);
    return s;
  }

  /** Scales and centres the yard in the window. */
  private fit(): void {
    if (!this.map) return;
    const { width, height } = this.app.screen;
    const scale = Math.min(width / this.map.width, height / this.map.height);
    this.world.scale.set(scale);
    this.world.position.set((width - this.map.width * scale) / 2, (height - this.map.height * scale) / 2);
  }
}
