/**
 * The games `tickwire serve` hosts, in order (the first is the default for quick play).
 * The server core names no game; this list is the one place the app picks them. Tag is
 * written against the public `tickwire` API only (examples/tag/), like a game outside this
 * repo; the app bundles it from source, so `npm start` serves it without a library build.
 */
import { arenaPlugin } from './game/arena/arenaPlugin.js';
import { tagPlugin } from '../examples/tag/server/tagPlugin.js';
import type { ModePlugin } from './modes/modePlugin.js';

export const BUILTIN_MODE_PLUGINS: readonly ModePlugin[] = [arenaPlugin, tagPlugin];
