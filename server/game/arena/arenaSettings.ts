/**
 * Arena settings as an operator or a match creator writes them: checked loudly here (the
 * simulation itself falls back to defaults on a bad value; a typo in a flag should fail the
 * start instead of being silently ignored).
 */
import type { MatchSettingsResult } from '../../rooms/gameMode.js';
import { BOT_SKILL_LEVELS, DEFAULT_ARENA_SETTINGS, resolveSettings } from './state.js';

/** null, or a message naming the first unknown or invalid key. */
export function checkArenaSettings(v: Record<string, unknown>): string | null {
  const resolved = resolveSettings(v) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(v)) {
    if (!Object.hasOwn(DEFAULT_ARENA_SETTINGS, key)) return `unknown key "${key}" (known: ${Object.keys(DEFAULT_ARENA_SETTINGS).join(', ')})`;
    if (resolved[key] !== value) return `"${key}" is out of range or of the wrong type (got ${JSON.stringify(value)})`;
  }
  return null;
}

/** POST /api/matches fields the arena understands: `botSkill`. Others are ignored. */
export function arenaMatchSettings(fields: Record<string, unknown>): MatchSettingsResult {
  if (fields.botSkill === undefined) return { ok: true, settings: {} };
  if (typeof fields.botSkill !== 'string' || !(BOT_SKILL_LEVELS as readonly string[]).includes(fields.botSkill)) {
    return { ok: false, error: `botSkill must be one of ${BOT_SKILL_LEVELS.join(', ')}` };
  }
  return { ok: true, settings: { botSkill: fields.botSkill } };
}
