import { describe, expect, it } from 'vitest';
import {
  ANGLE_STEPS,
  POSITION_MAX,
  POSITION_MIN,
  POSITION_SCALE,
  dequantizeAngle,
  dequantizePosition,
  quantizeAngle,
  quantizePosition,
  snapPosition,
} from '../../protocol/index.js';
import { prng } from '../support/prng.js';


const TWO_PI = 2 * Math.PI;
const POS_TOLERANCE = 1 / 32;
const ANGLE_TOLERANCE = Math.PI / 65536;
/** Float slack for the angle reduction; orders of magnitude below one angle step. */
const EPS = 1e-12;

/** Signed smallest difference between two angles, in (-π, π]. */
function angleDiff(a: number, b: number): number {
  let d = (a - b) % TWO_PI;
  if (d > Math.PI) d -= TWO_PI;
  if (d <= -Math.PI) d += TWO_PI;
  return d;
}

describe('positions', () => {
  it('documented scale: 16 steps per unit, int16 range', () => {
    expect(POSITION_SCALE).toBe(16);
    expect(POSITION_MIN).toBe(-32768);
    expect(POSITION_MAX).toBe(32767);
    expect(quantizePosition(1)).toBe(16);
    expect(quantizePosition(1 / 16)).toBe(1);
    expect(quantizePosition(-1 / 16)).toBe(-1);
    expect(quantizePosition(100.5)).toBe(1608);
    expect(dequantizePosition(1608)).toBe(100.5);
    expect(dequantizePosition(1)).toBe(0.0625);
  });

  it('rounds to the nearest step (error ≤ 1/32 unit) over 20,000 seeded values', () => {
    const rnd = prng(1);
    let worst = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = (rnd() * 2 - 1) * 2047;
      const q = quantizePosition(v);
      expect(Number.isInteger(q)).toBe(true);
      expect(q).toBeGreaterThanOrEqual(POSITION_MIN);
      expect(q).toBeLessThanOrEqual(POSITION_MAX);
      const err = Math.abs(dequantizePosition(q) - v);
      expect(err).toBeLessThanOrEqual(POS_TOLERANCE);
      worst = Math.max(worst, err);
    }
    // Round-to-nearest, not truncation: the worst case is close to half a step.
    expect(worst).toBeGreaterThan(0.9 * POS_TOLERANCE);
  });

  it('every grid value survives quantize ∘ dequantize exactly', () => {
    for (let q = POSITION_MIN; q <= POSITION_MAX; q += 7) expect(quantizePosition(dequantizePosition(q))).toBe(q);
    expect(quantizePosition(dequantizePosition(POSITION_MAX))).toBe(POSITION_MAX);
    expect(quantizePosition(dequantizePosition(POSITION_MIN))).toBe(POSITION_MIN);
  });

  it('snapPosition lands on the grid, is idempotent and moves by ≤ 1/32', () => {
    const rnd = prng(2);
    for (let i = 0; i < 5000; i++) {
      const v = (rnd() * 2 - 1) * 2000;
      const s = snapPosition(v);
      expect(Number.isInteger(s * POSITION_SCALE)).toBe(true);
      expect(snapPosition(s)).toBe(s);
      expect(Math.abs(s - v)).toBeLessThanOrEqual(POS_TOLERANCE);
    }
  });

  it('clamps at the int16 range', () => {
    expect(quantizePosition(2047.9375)).toBe(32767);
    expect(quantizePosition(2048)).toBe(POSITION_MAX);
    expect(quantizePosition(5000)).toBe(POSITION_MAX);
    expect(quantizePosition(1e12)).toBe(POSITION_MAX);
    expect(quantizePosition(Infinity)).toBe(POSITION_MAX);
    expect(quantizePosition(-2048)).toBe(-32768);
    expect(quantizePosition(-2048.5)).toBe(POSITION_MIN);
    expect(quantizePosition(-1e12)).toBe(POSITION_MIN);
    expect(quantizePosition(-Infinity)).toBe(POSITION_MIN);
    expect(snapPosition(9999)).toBe(POSITION_MAX / POSITION_SCALE);
    expect(snapPosition(-9999)).toBe(POSITION_MIN / POSITION_SCALE);
  });

  it('never returns -0 (small negatives round to a plain 0)', () => {
    expect(Object.is(quantizePosition(-0.01), 0)).toBe(true);
    expect(Object.is(quantizePosition(-0), 0)).toBe(true);
    expect(Object.is(snapPosition(-0.02), 0)).toBe(true);
  });

  it('rounds half steps consistently (toward +∞, like Math.round)', () => {
    expect(quantizePosition(1 / 32)).toBe(1);
    expect(quantizePosition(-1 / 32)).toBe(0);
    expect(quantizePosition(3 / 32)).toBe(2);
  });
});

describe('angles', () => {
  it('documented steps: 65536 per turn', () => {
    expect(ANGLE_STEPS).toBe(65536);
    expect(quantizeAngle(0)).toBe(0);
    expect(quantizeAngle(Math.PI / 2)).toBe(16384);
    expect(quantizeAngle(Math.PI)).toBe(32768);
    expect(quantizeAngle((3 * Math.PI) / 2)).toBe(49152);
    expect(dequantizeAngle(0)).toBe(0);
    expect(dequantizeAngle(16384)).toBeCloseTo(Math.PI / 2, 15);
    expect(dequantizeAngle(32768)).toBeCloseTo(Math.PI, 15);
  });

  it('error ≤ π/65536 for 20,000 seeded angles in [0, 2π), always a uint16', () => {
    const rnd = prng(3);
    let worst = 0;
    for (let i = 0; i < 20_000; i++) {
      const rad = rnd() * TWO_PI;
      const q = quantizeAngle(rad);
      expect(Number.isInteger(q)).toBe(true);
      expect(q).toBeGreaterThanOrEqual(0);
      expect(q).toBeLessThan(ANGLE_STEPS);
      const err = Math.abs(angleDiff(dequantizeAngle(q), rad));
      expect(err).toBeLessThanOrEqual(ANGLE_TOLERANCE + EPS);
      worst = Math.max(worst, err);
    }
    expect(worst).toBeGreaterThan(0.9 * ANGLE_TOLERANCE);
  });

  it('wraps negative angles and angles above 2π', () => {
    expect(quantizeAngle(-Math.PI / 2)).toBe(49152);
    expect(quantizeAngle(-Math.PI)).toBe(32768);
    expect(quantizeAngle(-TWO_PI)).toBe(0);
    expect(quantizeAngle(TWO_PI)).toBe(0);
    expect(quantizeAngle(TWO_PI + Math.PI / 2)).toBe(16384);
    expect(quantizeAngle(5 * TWO_PI + Math.PI)).toBe(32768);
    expect(quantizeAngle(-3 * TWO_PI - Math.PI / 2)).toBe(49152);
    // Just below a full turn rounds up to 65536, which must wrap to 0, not escape uint16.
    expect(quantizeAngle(TWO_PI - 1e-9)).toBe(0);
    expect(quantizeAngle(-1e-9)).toBe(0);
  });

  it('wrapped angles keep the precision bound (20,000 seeded values in [-50π, 50π])', () => {
    const rnd = prng(4);
    for (let i = 0; i < 20_000; i++) {
      const rad = (rnd() * 2 - 1) * 50 * Math.PI;
      const q = quantizeAngle(rad);
      expect(q).toBeGreaterThanOrEqual(0);
      expect(q).toBeLessThan(ANGLE_STEPS);
      expect(Math.abs(angleDiff(dequantizeAngle(q), rad))).toBeLessThanOrEqual(ANGLE_TOLERANCE + 1e-9);
    }
  });

  it('dequantized angles lie in [0, 2π) and requantize to themselves', () => {
    for (let q = 0; q < ANGLE_STEPS; q += 13) {
      const rad = dequantizeAngle(q);
      expect(rad).toBeGreaterThanOrEqual(0);
      expect(rad).toBeLessThan(TWO_PI);
      expect(quantizeAngle(rad)).toBe(q);
    }
    expect(quantizeAngle(dequantizeAngle(ANGLE_STEPS - 1))).toBe(ANGLE_STEPS - 1);
  });
});
