/**
 * How game modes are registered with a server. The core names no game: `createServer`
 * takes `modes: { tag: tagMode, arena: { mode: arenaMode, settings } }`, and the first
 * entry is the default (quick play and POST /api/matches without a `mode`). Each mode gets
 * its own settings; no mode sees another's.
 */
import type { GameMode } from '../rooms/gameMode.js';

/** A mode with the settings every match of it starts from. */
export interface ModeRegistration<S = unknown> {
  mode: GameMode<S>;
  /** Mode-specific settings (durations, map…) handed to `mode.create`; per-match options refine them. */
  settings?: Record<string, unknown>;
}

/** What `createServer({ modes })` accepts per tag: a bare mode or a mode with settings. */
// `any`: a registry holds modes of different state types side by side.
export type ModeEntry = GameMode<any> | ModeRegistration<any>;

/** A registered mode as the rooms see it. */
export interface RegisteredMode {
  readonly tag: string;
  readonly mode: GameMode<unknown>;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Mode tags appear in URLs and request bodies: short, lower-case, URL-safe. */
const TAG = /^[a-z][a-z0-9-]{0,31}$/;

export class ModeRegistryError extends Error {}

/** Validates and normalizes `createServer`'s `modes`; the first one is the default. */
export function registerModes(entries: Readonly<Record<string, ModeEntry>> | undefined): { modes: Map<string, RegisteredMode>; defaultMode: string } {
  const modes = new Map<string, RegisteredMode>();
  for (const [tag, entry] of Object.entries(entries ?? {})) {
    if (!TAG.test(tag)) throw new ModeRegistryError(`modes: "${tag}" is not a valid mode tag: use 1-32 lower-case letters, digits or dashes, starting with a letter`);
    const reg: ModeRegistration<unknown> = 'mode' in entry && typeof (entry as ModeRegistration).mode === 'object' ? (entry as ModeRegistration<unknown>) : { mode: entry as GameMode<unknown> };
    if (typeof reg.mode?.create !== 'function' || typeof reg.mode.step !== 'function') {
      throw new ModeRegistryError(`modes: "${tag}" is not a GameMode (define it with defineMode({ … }))`);
    }
    const settings = reg.settings ?? {};
    const bad = reg.mode.checkSettings?.(settings);
    if (bad) throw new ModeRegistryError(`modes.${tag}.settings: ${bad}`);
    modes.set(tag, { tag, mode: reg.mode, settings: { ...settings } });
  }
  const defaultMode = modes.keys().next().value;
  if (defaultMode === undefined) throw new ModeRegistryError('modes: register at least one game mode, e.g. createServer({ modes: { mygame: myMode } })');
  return { modes, defaultMode };
}
