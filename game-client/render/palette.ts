/**
 * Colours of the arena, in one place: the renderer draws with them and the browser test
 * looks for them in the screenshot's pixels.
 */
export const Palette = {
  background: 0x0b0e14,
  floor: 0x1a2030,
  grid: 0x232b3e,
  wall: 0x5a6b8c,
  wallEdge: 0x8a9cc0,
  self: 0xffc940,
  selfRing: 0xfff3c4,
  other: 0x4fa3ff,
  bot: 0xb07cff,
  disconnected: 0x6b7280,
  protectedRing: 0x7dffb0,
  projectile: 0xffe08a,
  ownProjectile: 0xfff6d0,
  hpBack: 0x2a1b1b,
  hpGood: 0x4ade80,
  hpLow: 0xf87171,
  flash: 0xffffff,
  death: 0xff5a5a,
} as const;
