/**
 * What the creator of a match may choose (the host of a private match, mostly): bots on or
 * off, how many seats (2 makes a plain 1v1), and the mode's own fields (GameMode.matchSettings,
 * e.g. the arena's bot level). Parsed from the request body of POST /api/matches; every
 * field is optional and checked, and a bad one is a 400 naming the field and its range,
 * never silently clamped.
 */
import type { GameMode } from '../rooms/gameMode.js';
import type { RoomOptions } from '../rooms/room.js';

export interface MatchOptions {
  /** false: no bots ever fill this match. true/absent: the server's bot policy applies. */
  bots?: boolean;
  /** Seats for humans and bots together, 2 to the mode's (and server's) maximum. */
  seats?: number;
  /** The mode's settings for this match (from its matchSettings hook). */
  settings?: Record<string, unknown>;
}

export type ParsedMatchOptions = { ok: true; options: MatchOptions } | { ok: false; error: string };

/** Fields every mode shares; the rest of the body goes to the mode's matchSettings. */
const GENERIC_FIELDS = new Set(['mode', 'private', 'bots', 'seats', 'name']);

/** Validates the option fields of a request body against the largest match this server runs. */
export function parseMatchOptions(body: Record<string, unknown>, maxSeats: number, mode: Pick<GameMode<unknown>, 'matchSettings'>): ParsedMatchOptions {
  const options: MatchOptions = {};
  if (body.bots !== undefined) {
    if (typeof body.bots !== 'boolean') return { ok: false, error: 'bots must be true or false' };
    options.bots = body.bots;
  }
  if (body.seats !== undefined) {
    const s = body.seats;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 2 || s > maxSeats) return { ok: false, error: `seats must be an integer from 2 to ${maxSeats}` };
    options.seats = s;
  }
  if (mode.matchSettings) {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) if (!GENERIC_FIELDS.has(k)) fields[k] = v;
    const r = mode.matchSettings(fields);
    if (!r.ok) return r;
    if (Object.keys(r.settings).length > 0) options.settings = r.settings;
  }
  return { ok: true, options };
}

/** The room overrides these options mean (settings are merged over the mode's). */
export function roomOverrides(options: MatchOptions): Partial<RoomOptions> {
  const o: Partial<RoomOptions> = {};
  if (options.bots === false) o.botFillDelayMs = -1;
  if (options.seats !== undefined) o.maxPlayers = options.seats;
  if (options.settings !== undefined) o.settings = options.settings;
  return o;
}
