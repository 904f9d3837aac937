/**
 * A game mode packaged for `tickwire serve`: the mode, its tag, and the command-line
 * options that set its settings (`--arena '{"matchSeconds":300}'`). The serve app turns
 * every plugin option into a flag and an environment variable beside the core ones, and
 * registers the plugins' modes in order (the first is the default). A library user does
 * not need plugins: `createServer({ modes })` takes the modes and settings directly.
 */
import type { GameMode } from '../rooms/gameMode.js';

/** How an option's text is parsed (the same kinds the core options use). */
export type OptionKind =
  | { type: 'int'; min: number; max: number }
  /** Written `500ms`, `30s`, `5m`, `1h`, `2d`; a bare number is seconds. Parsed to ms. */
  | { type: 'duration'; minMs: number; maxMs: number; offValue?: number }
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  /** Present on the command line → true; env accepts true/false, 1/0, yes/no, on/off. */
  | { type: 'boolean' }
  /** A path; the value used is the file's contents. */
  | { type: 'file' }
  /** A JSON object. */
  | { type: 'json' }
  /** An integer, or `auto` for this machine's core count. */
  | { type: 'cores'; min: number; max: number };

export interface ModeOptionSpec {
  /** Flag name without the leading dashes; must not clash with a core option. */
  name: string;
  env: readonly string[];
  kind: OptionKind;
  /**
   * The settings key this option sets. Absent: the option is a JSON object (kind json)
   * whose keys are merged into the mode's settings.
   */
  setting?: string;
  placeholder: string;
  help: string;
  defaultText: string;
}

export interface ModePlugin {
  /** The mode's tag in URLs and request bodies (`"mode": "arena"`). */
  tag: string;
  // `any`: plugins of different state types sit in one list.
  mode: GameMode<any>;
  options?: readonly ModeOptionSpec[];
}
