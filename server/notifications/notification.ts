/** What a notification is, whatever carries it (play socket, lobby socket, SSE). */
export type NotificationKind = 'match_found' | 'match_starting' | 'invite' | 'results' | 'server';

export interface Notification {
  kind: NotificationKind;
  /** One line a client can show as is. */
  text: string;
  /** Machine-readable details (match id, invite code, scores…). JSON-serializable. */
  data: Record<string, unknown>;
}

declare module '../presence/presence.js' {
  interface PresenceChannels {
    [channel: `user:${string}`]: Notification;
  }
}

export function userChannel(userId: string): `user:${string}` {
  return `user:${userId}`;
}
