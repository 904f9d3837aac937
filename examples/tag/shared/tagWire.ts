/**
 * Tag's wire contract, shared by its server mode and its browser client: what the snapshot
 * header and player rows mean, the input buttons, the event kinds and the map. Declared
 * with `tickwire/protocol` helpers, so nothing in Tickwire's own protocol/ was edited.
 */
import { MOVEMENT_BUTTONS, defineInputShape, defineSnapshotSchema, type MapGeometry } from 'tickwire/protocol';

/**
 * Header: the match phase and ticks left in it (every mode starts its header so), then the
 * id of the player who is "it" (0 before play starts).
 * Players: fixed-point position, whole seconds survived un-tagged, and flags.
 */
export const TagWire = defineSnapshotSchema({
  header: ['phase', 'ticksLeft', 'it'],
  tables: { players: ['x', 'y', 'score', 'flags'] },
});

export const TagFlags = {
  /** Frozen right after being tagged: cannot move or tag yet. */
  Frozen: 1,
  Bot: 2,
  Connected: 4,
} as const;

/** WASD only: tag needs no aim and no fire button. */
export const TagInput = defineInputShape({ buttons: [...MOVEMENT_BUTTONS], aim: false });

export const TagEvent = {
  /** [Tagged, taggerId, newItId] */
  Tagged: 1,
  /** [PhaseChange, phase] — the same kind number as the arena's, so generic tools read both. */
  PhaseChange: 3,
} as const;

/** `yard` (default): 1200×800 with a few blocks to run around (+y is down). */
export const TAG_MAP: MapGeometry = {
  width: 1200,
  height: 800,
  walls: [
    { x: 560, y: 340, w: 80, h: 120 },
    { x: 240, y: 160, w: 160, h: 32 },
    { x: 800, y: 608, w: 160, h: 32 },
    { x: 240, y: 520, w: 32, h: 160 },
    { x: 928, y: 120, w: 32, h: 160 },
  ],
};

/** The maps a match can be played on (setting `map`); `open` has no blocks. */
export const TAG_MAPS: Readonly<Record<string, MapGeometry>> = {
  yard: TAG_MAP,
  open: { width: TAG_MAP.width, height: TAG_MAP.height, walls: [] },
};

export const TAG_MAX_PLAYERS = 8;
