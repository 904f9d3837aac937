/**
 * The one text policy for every user-visible string — player names, lobby chat, match chat,
 * admin broadcasts — used by the server (which enforces it) and the client (which applies it
 * again before display, so an older or foreign server cannot smuggle anything in).
 *
 * Removed from free text (chat, broadcasts), refused in names:
 *  - C0/C1 control characters (NUL, ESC, newlines, tabs…) and U+2028/U+2029 separators;
 *  - bidi controls that reorder what others see (U+061C, U+200E/F, U+202A–E, U+2066–9);
 *  - zero-width and invisible format characters (U+200B–D, U+2060–4, U+FEFF, U+180E, U+00AD,
 *    U+034F, U+206A–F) and invisible "filler" letters that render as blank (Hangul fillers
 *    U+115F, U+1160, U+3164, U+FFA0; Braille blank U+2800; Khmer U+17B4/5);
 *  - tag characters (U+E0000–E007F) and unpaired surrogates (not valid text at all).
 * Other whitespace collapses to one space; more than two combining marks on one character
 * are cut to two ("Zalgo" text that paints over neighbouring lines).
 * Names must also contain a visible character and must not pose as a server bot ("Bot …").
 */
import { Limits } from './messages.js';

const CONTROL = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
const BIDI = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const INVISIBLE = '\\u00ad\\u034f\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200d\\u2060-\\u2064\\u206a-\\u206f\\u2800\\u3164\\ufeff\\uffa0';
const TAGS = '\\u{e0000}-\\u{e007f}';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

/** Anything the policy removes (free text) or refuses (names). */
const FORBIDDEN = new RegExp(`[${CONTROL}${BIDI}${INVISIBLE}${TAGS}]|${LONE_SURROGATE}`, 'gu');
const FORBIDDEN_ONE = new RegExp(FORBIDDEN.source, 'u');
const SPACES = /[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/gu;
const MARK_RUN = /(\p{M}{2})\p{M}+/gu;
const MARK_RUN_ONE = /\p{M}{3}/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** Server bots are named "Bot <name>"; players may not be (any case, any separator). */
const BOT_PREFIX = /^bot(?![\p{L}\p{N}])/iu;

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const end = /[\ud800-\udbff]/.test(s[max - 1]) ? max - 1 : max;
  return s.slice(0, end);
}

/**
 * Free text (chat, broadcasts): forbidden characters become spaces, whitespace runs collapse,
 * the result is trimmed and cut to `maxLength`. Null when nothing visible is left.
 */
export function cleanText(raw: string, maxLength: number): string | null {
  // A lone surrogate breaks String.prototype.normalize; it is removed first.
  const text = cut(raw.replace(FORBIDDEN, ' ').replace(MARK_RUN, '$1').normalize('NFC').replace(SPACES, ' ').trim(), maxLength).trim();
  return VISIBLE.test(text) ? text : null;
}

export type NameCheck = { ok: true; name: string } | { ok: false; error: string };

/** A display name as a player chose it: refused (with the reason) rather than silently changed. */
export function checkName(raw: unknown): NameCheck {
  if (typeof raw !== 'string') return { ok: false, error: 'name must be a string' };
  // Checked before whitespace is normalized: a newline or tab is a control character here.
  if (FORBIDDEN_ONE.test(raw)) return { ok: false, error: 'name contains invisible or control characters' };
  if (MARK_RUN_ONE.test(raw)) return { ok: false, error: 'name stacks too many accents on one letter' };
  const name = raw.replace(SPACES, ' ').trim().normalize('NFC');
  if (name.length < 1 || name.length > Limits.maxNameLength) return { ok: false, error: `name must be 1–${Limits.maxNameLength} characters` };
  if (!VISIBLE.test(name)) return { ok: false, error: 'name needs a visible letter, digit or symbol' };
  if (BOT_PREFIX.test(name)) return { ok: false, error: 'names starting with "Bot" are reserved for server bots' };
  return { ok: true, name };
}

/**
 * A name from elsewhere (an identity provider's claim, a message from the server) made
 * displayable: cleaned like free text and cut to the name limit; `fallback` when nothing is
 * left. Bot names pass here: the server's own roster marks bots separately.
 */
export function cleanName(raw: unknown, fallback: string): string {
  return (typeof raw === 'string' && cleanText(raw, Limits.maxNameLength)) || fallback;
}
