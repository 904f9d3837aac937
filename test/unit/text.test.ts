/** The shared text policy (protocol/text.ts) against a table of hostile strings. */
import { describe, expect, it } from 'vitest';
import { checkName, cleanName, cleanText } from '../../protocol/text.js';

const LONE_HIGH = String.fromCharCode(0xd83d);
const LONE_LOW = String.fromCharCode(0xde00);
const TAG_A = String.fromCodePoint(0xe0041);

// [what, input, cleaned chat text (null: dropped)]
const CHAT: Array<[string, string, string | null]> = [
  ['plain', 'gg wp', 'gg wp'],
  ['emoji pair kept', 'nice 😀', 'nice 😀'],
  ['accents kept (NFC)', 'cafe\u0301', 'café'],
  ['NUL', 'a\u0000b', 'a b'],
  ['ESC sequence', '\u001b[31mred', '[31mred'],
  ['newlines and tabs', 'line1\nline2\r\n\tline3', 'line1 line2 line3'],
  ['C1 control', 'a\u0085b\u009bc', 'a b c'],
  ['RLO bidi override', 'abc\u202egnp.exe', 'abc gnp.exe'],
  ['isolates', '\u2066x\u2069\u2067y\u2068', 'x y'],
  ['arabic letter mark', 'a\u061cb', 'a b'],
  ['LRM/RLM', '\u200ehi\u200f', 'hi'],
  ['zero-width space/joiners', 'a\u200bb\u200cc\u200dd', 'a b c d'],
  ['word joiner, BOM', '\u2060x\ufeff', 'x'],
  ['soft hyphen, CGJ', 'a\u00adb\u034fc', 'a b c'],
  ['line/paragraph separators', 'a\u2028b\u2029c', 'a b c'],
  ['hangul filler only', '\u3164\u3164', null],
  ['braille blank only', '\u2800', null],
  ['halfwidth filler', '\uffa0', null],
  ['tag characters', `hi${TAG_A}${String.fromCodePoint(0xe007f)}`, 'hi'],
  ['lone high surrogate', `a${LONE_HIGH}b`, 'a b'],
  ['lone low surrogate', `a${LONE_LOW}`, 'a'],
  ['zalgo capped at 2 marks', 'a\u0301\u0302\u0303\u0304b', 'a\u0301\u0302b'.normalize('NFC')],
  ['only spaces', ' \u3000\u00a0 ', null],
  ['only controls', '\u0000\u0007\u001b', null],
];

describe('cleanText', () => {
  it.each(CHAT)('%s', (_what, input, expected) => {
    expect(cleanText(input, 200)).toBe(expected);
  });

  it('cuts to the limit without splitting a surrogate pair', () => {
    const out = cleanText(`${'x'.repeat(9)}😀`, 10)!;
    expect(out).toBe('x'.repeat(9));
    expect(cleanText('😀😀😀', 4)).toBe('😀😀');
  });
});

// [what, input, ok]
const NAMES: Array<[string, unknown, boolean]> = [
  ['plain', 'Ada', true],
  ['unicode letters', 'Zoë 李', true],
  ['Botany is not a bot', 'Botany', true],
  ['Bot prefix', 'Bot Ada', false],
  ['bot lower case', 'bot', false],
  ['bot with separator', 'BOT_Ada', false],
  ['hangul filler U+3164', '\u3164', false],
  ['hangul filler inside', 'A\u3164', false],
  ['braille blank U+2800', '\u2800\u2800', false],
  ['arabic letter mark U+061C', 'Ada\u061c', false],
  ['lone surrogate', `A${LONE_HIGH}`, false],
  ['tag characters', `Ada${TAG_A}`, false],
  ['RLO', '\u202eAda', false],
  ['zero width', 'A\u200bda', false],
  ['newline', 'bad\nname', false],
  ['too long', 'x'.repeat(17), false],
  ['empty', '   ', false],
  ['zalgo', 'A\u0301\u0302\u0303', false],
  ['not a string', 42, false],
];

describe('checkName', () => {
  it.each(NAMES)('%s', (_what, input, ok) => {
    const r = checkName(input);
    expect(r.ok, JSON.stringify(r)).toBe(ok);
    if (!r.ok) expect(r.error).toMatch(/name/);
  });

  it('trims', () => {
    expect(checkName('  Ada  ')).toEqual({ ok: true, name: 'Ada' });
  });
});

describe('cleanName', () => {
  it('cleans names from elsewhere and falls back when nothing visible is left', () => {
    expect(cleanName('A\u202eda', '?')).toBe('A da');
    expect(cleanName('\u3164', 'Player')).toBe('Player');
    expect(cleanName(7, 'Player')).toBe('Player');
    expect(cleanName('x'.repeat(40), '?')).toBe('x'.repeat(16));
  });
});
