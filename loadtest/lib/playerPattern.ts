/**
 * What a load-test player does each tick: hold a movement direction for a while, then pick
 * another (sometimes stand still); aim at the nearest opponent when the snapshot says where
 * one is, otherwise sweep the aim like someone looking around; fire in bursts. Deterministic
 * for a seed, so two runs with the same seeds send the same inputs. Shared by the k6
 * scripts (which feed it decoded snapshots) and the Node bot swarm (which pre-computes a
 * ring of it without targets).
 */
import { Buttons, quantizeAngle } from '../../protocol/index.js';

export interface Point {
  x: number;
  y: number;
}

export interface TickIntent {
  buttons: number;
  /** uint16 angle, as on the wire. */
  aim: number;
}

/** Small, fast, seedable PRNG (mulberry32): plenty for picking directions. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Eight directions plus standing still (index 8), as WASD bit combinations.
const DIRECTIONS = [
  Buttons.Up,
  Buttons.Up | Buttons.Right,
  Buttons.Right,
  Buttons.Down | Buttons.Right,
  Buttons.Down,
  Buttons.Down | Buttons.Left,
  Buttons.Left,
  Buttons.Up | Buttons.Left,
  0,
];

/** Opponents farther than this are not worth shooting at (world units). */
const FIRE_RANGE = 700;

export class PlayerPattern {
  private readonly rnd: () => number;
  private readonly ticksPerSecond: number;
  private move = 0;
  private moveTicksLeft = 0;
  private firing = false;
  private fireTicksLeft = 0;
  private sweep: number;
  private sweepSpeed: number;

  constructor(seed: number, tickRate: number) {
    this.rnd = seededRandom(seed);
    this.ticksPerSecond = tickRate;
    this.sweep = this.rnd() * 2 * Math.PI;
    this.sweepSpeed = (0.5 + this.rnd()) * (this.rnd() < 0.5 ? -1 : 1) * (Math.PI / tickRate);
  }

  private seconds(min: number, max: number): number {
    return Math.max(1, Math.round((min + this.rnd() * (max - min)) * this.ticksPerSecond));
  }

  /** The next tick's input. `me` and `target` come from the latest snapshot when known. */
  next(me?: Point | null, target?: Point | null): TickIntent {
    if (this.moveTicksLeft-- <= 0) {
      // Standing still one time in ten; otherwise one of eight directions.
      this.move = this.rnd() < 0.1 ? DIRECTIONS[8] : DIRECTIONS[Math.floor(this.rnd() * 8)];
      this.moveTicksLeft = this.seconds(0.4, 1.6);
    }
    if (this.fireTicksLeft-- <= 0) {
      this.firing = !this.firing;
      this.fireTicksLeft = this.firing ? this.seconds(0.3, 1) : this.seconds(0.5, 2);
    }
    let angle: number;
    let inRange = true;
    if (me && target) {
      const dx = target.x - me.x;
      const dy = target.y - me.y;
      // A little aim error, as a human has.
      angle = Math.atan2(dy, dx) + (this.rnd() - 0.5) * 0.15;
      inRange = dx * dx + dy * dy <= FIRE_RANGE * FIRE_RANGE;
    } else {
      if (this.rnd() < 0.01) this.sweepSpeed = -this.sweepSpeed;
      this.sweep += this.sweepSpeed;
      angle = this.sweep;
    }
    const fire = this.firing && inRange ? Buttons.Fire : 0;
    return { buttons: this.move | fire, aim: quantizeAngle(angle) };
  }
}

/** `length` consecutive intents without targets: what the bot swarm replays in a loop. */
export function patternRing(seed: number, tickRate: number, length: number): TickIntent[] {
  const p = new PlayerPattern(seed, tickRate);
  const out: TickIntent[] = [];
  for (let i = 0; i < length; i++) out.push(p.next());
  return out;
}
