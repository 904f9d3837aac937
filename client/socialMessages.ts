/**
 * Messages both the play socket and the lobby socket carry — chat, personal notifications,
 * server notices, errors — turned into the same events, so the UI listens to either the
 * same way.
 */
import { cleanName, cleanText, Limits, ServerType, type ServerMessage } from '../protocol/index.js';

/** Server text runs through the shared policy again before display (protocol/text.ts). */
const shown = (text: string, max: number) => cleanText(text, max) ?? '';

export interface SocialEvents extends Record<string, unknown> {
  chat: { from: string; text: string };
  notification: { kind: string; text: string; data: Record<string, unknown> };
  notice: { kind: string; text: string };
  serverError: { code: number; message: string };
}

export type SocialEmit = <K extends keyof SocialEvents>(event: K, payload: SocialEvents[K]) => void;

/** Emits the event for a social message and returns true; false for any other message. */
export function emitSocial(m: ServerMessage, emit: SocialEmit): boolean {
  switch (m.type) {
    case ServerType.Chat:
      emit('chat', { from: cleanName(m.from, '?'), text: shown(m.text, Limits.maxChatLength) });
      return true;
    case ServerType.Notification:
      emit('notification', { kind: m.kind, text: shown(m.text, 500), data: m.data });
      return true;
    case ServerType.Notice:
      emit('notice', { kind: m.kind, text: shown(m.text, 500) });
      return true;
    case ServerType.Error:
      emit('serverError', { code: m.code, message: m.message });
      return true;
    default:
      return false;
  }
}
