/**
 * Chat text policy (lobby and match chat): the shared one in protocol/text.ts. Forbidden
 * characters are stripped rather than refused — a pasted newline should not cost a player
 * their socket. Nothing visible left → the line is dropped.
 */
import { cleanText } from '../../protocol/text.js';

export function sanitizeChat(raw: string, maxLength: number): string | null {
  return cleanText(raw, maxLength);
}
