/**
 * Tag as a `tickwire serve` plugin: the mode and its `--tag <json>` option (env
 * TICKWIRE_TAG). server/cliModes.ts lists it after the arena, so one `tickwire serve`
 * hosts both games; a server of its own (../serve.ts) does not need this file.
 */
import type { ModePlugin } from 'tickwire';
import { tagMode } from './tagMode.js';
import { DEFAULT_TAG_SETTINGS } from './tagState.js';

export const tagPlugin: ModePlugin = {
  tag: 'tag',
  mode: tagMode,
  options: [
    {
      name: 'tag',
      env: ['TICKWIRE_TAG'],
      kind: { type: 'json' },
      placeholder: '<json>',
      help: `Tag match settings as JSON, e.g. '{"matchSeconds":120}'. Keys: ${Object.keys(DEFAULT_TAG_SETTINGS).join(', ')}.`,
      defaultText: '{} (built-in settings)',
    },
  ],
};
