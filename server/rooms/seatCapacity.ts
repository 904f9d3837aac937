/**
 * How many human seats this process holds and how many a new player could still get:
 * reserved (a ticket was issued, the player has not connected yet), seated (connected or
 * within the reconnection grace) and free (open seats in public matches that take joiners,
 * plus whole matches not opened yet). Ghost reservations count as taken: they are exactly
 * what leaves a real player with "server full", so readiness must see them.
 */
import type { RoomManager } from './roomManager.js';

export interface SeatCounts {
  reserved: number;
  seated: number;
  /** Seats a quick-play player could be given right now. */
  free: number;
}

export function countSeats(rooms: RoomManager, maxMatches: number, seatsPerNewMatch: number): SeatCounts {
  let reserved = 0;
  let seated = 0;
  let free = 0;
  for (const room of rooms.list()) {
    for (const seat of room.seatList()) {
      if (seat.status === 'reserved') reserved++;
      else seated++;
    }
    if (!room.isPrivate && room.joinable) free += room.maxPlayers - room.seatCount;
  }
  if (rooms.acceptingNewRooms) free += Math.max(0, maxMatches - rooms.size) * seatsPerNewMatch;
  return { reserved, seated, free };
}
