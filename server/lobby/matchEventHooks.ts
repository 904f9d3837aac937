/**
 * Room hooks that keep the public match list current and send the built-in notifications:
 * "match found" when a player first joins, "match starting" when play begins, and the
 * results when it ends. Seated players also receive their notifications on the play socket
 * (whichever socket the seat has at that moment), so a notification reaches a player
 * wherever they are connected.
 */
import { encodeServer, Phase, ServerType } from '../../protocol/index.js';
import type { UserInbox } from '../notifications/userInbox.js';
import type { Room, RoomHooks } from '../rooms/room.js';
import type { Seat } from '../rooms/seat.js';
import type { MatchListing } from './matchListing.js';

export function matchEventHooks(listing: MatchListing, inbox: UserInbox): RoomHooks {
  // Per room, per seat: the detach function of the seat's inbox attachment.
  const attached = new Map<Room, Map<Seat, () => void>>();

  const notifyAll = (room: Room, kind: 'match_starting' | 'results', text: string, data: Record<string, unknown>) => {
    for (const userId of room.seatedUserIds()) void inbox.notify(userId, { kind, text, data });
  };

  return {
    onCreate: (room) => listing.update(room),
    onReserve: (room) => listing.update(room),
    onJoin: (room, seat, resumed) => {
      listing.update(room);
      let seats = attached.get(room);
      if (!seats) attached.set(room, (seats = new Map()));
      let subscribed: Promise<void> = Promise.resolve();
      if (!seats.has(seat)) {
        const { detach, ready } = inbox.attach(seat.userId, (n) =>
          seat.conn?.send(encodeServer({ type: ServerType.Notification, kind: n.kind, text: n.text, data: n.data }), 'notification'),
        );
        seats.set(seat, detach);
        subscribed = ready;
      }
      if (!resumed) {
        // Once the play socket's subscription is live (a round trip on Redis), or the
        // notification could overtake it and never reach this socket.
        const found = { kind: 'match_found' as const, text: `Match found (${room.mode.name})`, data: { matchId: room.id, mode: room.mode.name } };
        void subscribed.then(() => inbox.notify(seat.userId, found));
      }
    },
    onLeave: (room, seat) => {
      listing.update(room);
      const seats = attached.get(room);
      seats?.get(seat)?.();
      seats?.delete(seat);
    },
    onSpectators: (room) => listing.update(room),
    onPhase: (room, phase) => {
      listing.update(room);
      if (phase === Phase.Playing) notifyAll(room, 'match_starting', 'Your match is starting', { matchId: room.id });
      if (phase === Phase.Ended) {
        const scores = room.scores();
        const best = scores.slice().sort((a, b) => b.score - a.score)[0];
        notifyAll(room, 'results', best ? `Match over: ${best.name} wins with ${best.score}` : 'Match over', { matchId: room.id, scores });
      }
    },
    onDispose: (room) => {
      listing.remove(room);
      for (const detach of attached.get(room)?.values() ?? []) detach();
      attached.delete(room);
    },
  };
}
