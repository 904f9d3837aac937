/**
 * Match phases, shared by every game mode: the room reads them through GameMode.phase()
 * (joins, bots, results, listing) and every mode's snapshot header starts with them.
 */
export const Phase = {
  Waiting: 0,
  Countdown: 1,
  Playing: 2,
  Ended: 3,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];
export const phaseNames = ['waiting', 'countdown', 'playing', 'ended'] as const;

/** Snapshot header fields every mode writes first: `[phase, ticksLeftInPhase]`. */
export const Header = { Phase: 0, TicksLeft: 1 } as const;
