/** The arena as a `tickwire serve` plugin: the mode and its `--arena <json>` option. */
import type { ModePlugin } from '../../modes/modePlugin.js';
import { arenaMode } from './arenaMode.js';
import { DEFAULT_ARENA_SETTINGS } from './state.js';

export const arenaPlugin: ModePlugin = {
  tag: 'arena',
  mode: arenaMode,
  options: [
    {
      name: 'arena',
      env: ['TICKWIRE_ARENA'],
      kind: { type: 'json' },
      placeholder: '<json>',
      help: `Arena match settings as JSON, e.g. '{"matchSeconds":300}'. Keys: ${Object.keys(DEFAULT_ARENA_SETTINGS).join(', ')}.`,
      defaultText: '{} (built-in settings)',
    },
  ],
};
