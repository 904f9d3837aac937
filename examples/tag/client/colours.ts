/** Tag's palette (its own file so tests can read it without loading Pixi). */
export const TagColours = {
  background: 0x101418,
  floor: 0x1e2a30,
  wall: 0x5a6870,
  it: 0xe04040,
  runner: 0x3a8ee6,
  frozen: 0x8a8a8a,
  self: 0xffffff,
} as const;
