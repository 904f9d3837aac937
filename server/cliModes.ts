/**
 * The games `tickwire serve` hosts, in order (the first is the default for quick play).
 * The server core names no game; this list is the one place the app picks them.
 */
import { arenaPlugin } from './game/arena/arenaPlugin.js';
import type { ModePlugin } from './modes/modePlugin.js';

export const BUILTIN_MODE_PLUGINS: readonly ModePlugin[] = [arenaPlugin];
