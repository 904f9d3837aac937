/**
 * Tag's match state and settings. Plain data (the RNG included), so a state can be cloned
 * and compared, and the same seed and inputs always give the same match.
 */
import { Phase, type GameEvent, type MapGeometry } from 'tickwire/protocol';
import { TAG_MAPS } from '../shared/tagWire.js';
import { createRng, type Rng } from './rng.js';

export interface TagPlayer {
  id: number;
  name: string;
  bot: boolean;
  connected: boolean;
  x: number;
  y: number;
  /** Ticks spent in play while not "it"; the score is this in whole seconds. */
  safeTicks: number;
  /** Ticks left frozen after being tagged. */
  frozenTicks: number;
}

export interface TagSettings {
  /** A key of TAG_MAPS. */
  map: string;
  countdownSeconds: number;
  matchSeconds: number;
  resultsSeconds: number;
  /** How long a freshly tagged player stands still: the tagger's head start. */
  freezeSeconds: number;
  minPlayers: number;
}

export const DEFAULT_TAG_SETTINGS: TagSettings = {
  map: 'yard',
  countdownSeconds: 3,
  matchSeconds: 90,
  resultsSeconds: 5,
  freezeSeconds: 1,
  minPlayers: 2,
};

/** Allowed range per setting; a value outside it (or not a number) falls back to the default. */
const RANGES: Record<Exclude<keyof TagSettings, 'map'>, [number, number]> = {
  countdownSeconds: [0, 30],
  matchSeconds: [5, 3600],
  resultsSeconds: [0, 60],
  freezeSeconds: [0, 10],
  minPlayers: [1, 8],
};

/** The first known setting with a bad value, as a sentence naming it; null when all are fine. */
export function checkTagSettings(raw: Record<string, unknown>): string | null {
  if (raw.map !== undefined && !(typeof raw.map === 'string' && Object.hasOwn(TAG_MAPS, raw.map))) {
    return `map must be one of ${Object.keys(TAG_MAPS).join(', ')} (got ${JSON.stringify(raw.map)})`;
  }
  for (const key of Object.keys(RANGES) as Array<keyof typeof RANGES>) {
    const v = raw[key];
    if (v === undefined) continue;
    const [lo, hi] = RANGES[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) return `${key} must be a number from ${lo} to ${hi} (got ${JSON.stringify(v)})`;
  }
  return null;
}

export function tagSettings(raw: Record<string, unknown> | undefined): TagSettings {
  const s = { ...DEFAULT_TAG_SETTINGS };
  if (typeof raw?.map === 'string' && Object.hasOwn(TAG_MAPS, raw.map)) s.map = raw.map;
  for (const key of Object.keys(RANGES) as Array<keyof typeof RANGES>) {
    const v = raw?.[key];
    const [lo, hi] = RANGES[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi) s[key] = v;
  }
  return s;
}

export interface TagState {
  tick: number;
  tickRate: number;
  rng: Rng;
  settings: TagSettings;
  /** The map of this match (shared, never modified). */
  map: MapGeometry;
  phase: Phase;
  ticksLeft: number;
  /** The id of the player who is "it"; 0 when nobody is. */
  it: number;
  /** Sorted by id: iteration order is part of determinism. */
  players: TagPlayer[];
  /** Events raised outside `step` (joins), delivered with the next step. */
  pendingEvents: GameEvent[];
}

export function createTagState(options: { seed: number; tickRate: number; settings?: Record<string, unknown> }): TagState {
  const settings = tagSettings(options.settings);
  return {
    tick: 0,
    tickRate: options.tickRate,
    rng: createRng(options.seed),
    settings,
    map: TAG_MAPS[settings.map],
    phase: Phase.Waiting,
    ticksLeft: 0,
    it: 0,
    players: [],
    pendingEvents: [],
  };
}

export function seconds(state: TagState, s: number): number {
  return Math.round(s * state.tickRate);
}
