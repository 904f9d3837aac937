/**
 * Quantization: what travels on the wire and what the simulation stores.
 *
 * Positions are fixed-point integers with POSITION_SCALE steps per world unit, so the
 * precision is 1/16 unit (0.0625 px at 1 unit = 1 px) and the largest coordinate is
 * 32767 / 16 ≈ 2047 units (int16 range, which MessagePack encodes in ≤ 3 bytes).
 * The simulation snaps positions to this grid after every step (as Quake 3 snaps to
 * integers), so server state, snapshot and client prediction agree bit for bit.
 *
 * Angles are uint16: 65536 steps per turn, precision 2π/65536 ≈ 0.0055°.
 */
export const POSITION_SCALE = 16;
export const POSITION_MIN = -32768;
export const POSITION_MAX = 32767;
export const ANGLE_STEPS = 65536;

export function quantizePosition(v: number): number {
  const q = Math.round(v * POSITION_SCALE);
  // `q + 0` turns the -0 that Math.round gives for small negatives (e.g. -0.01) into 0.
  return q < POSITION_MIN ? POSITION_MIN : q > POSITION_MAX ? POSITION_MAX : q + 0;
}

export function dequantizePosition(q: number): number {
  return q / POSITION_SCALE;
}

/** Snaps a world coordinate onto the fixed-point grid. */
export function snapPosition(v: number): number {
  return dequantizePosition(quantizePosition(v));
}

/** Radians (any value) → uint16. */
export function quantizeAngle(rad: number): number {
  const turns = rad / (2 * Math.PI);
  const frac = turns - Math.floor(turns);
  return Math.round(frac * ANGLE_STEPS) % ANGLE_STEPS;
}

/** uint16 → radians in [0, 2π). */
export function dequantizeAngle(q: number): number {
  return (q / ANGLE_STEPS) * 2 * Math.PI;
}
