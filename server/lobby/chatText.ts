/**
 * Lobby chat text policy: control characters (C0, C1, bidi overrides, zero-width) are
 * stripped rather than refused — a pasted newline should not cost a player their socket —
 * then whitespace runs collapse and the result is trimmed. Empty after that → dropped.
 */
// eslint-disable-next-line no-control-regex
const STRIP = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;

export function sanitizeChat(raw: string, maxLength: number): string | null {
  const text = raw.replace(STRIP, ' ').replace(/\s+/g, ' ').trim().slice(0, maxLength);
  return text.length > 0 ? text : null;
}
