/**
 * Seat tickets: short-lived, single-use, bound to one user and one match. The matchmaker
 * issues one with a seat reservation; the WebSocket upgrade redeems it. A ticket that is
 * never redeemed expires and its seat is released (onExpire).
 */
import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.js';

export interface Ticket {
  id: string;
  userId: string;
  matchId: string;
  expiresAt: number;
}

export type RedeemResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; reason: 'unknown' | 'expired' | 'foreign' };

export interface TicketStoreOptions {
  /**
   * At most one live ticket per user: issuing a new one revokes the old. For seat tickets
   * this is "one live reservation per user": a second matchmake for the same match hands
   * the reservation over to the new ticket (the old one's expiry no longer releases it); a
   * ticket for another match releases the old reservation (onExpire) — after the caller
   * reserved the new seat, so the swap is atomic.
   */
  onePerUser?: boolean;
}

export class TicketStore {
  private readonly tickets = new Map<string, { ticket: Ticket; timer: TimerHandle }>();
  private readonly byUser = new Map<string, string>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly onExpire: (ticket: Ticket) => void = () => {},
    private readonly options: TicketStoreOptions = {},
  ) {}

  issue(userId: string, matchId: string): Ticket {
    if (this.options.onePerUser) {
      const previous = this.tickets.get(this.byUser.get(userId) ?? '');
      if (previous) {
        this.forget(previous.ticket.id);
        if (previous.ticket.matchId !== matchId) this.onExpire(previous.ticket);
      }
    }
    const ticket: Ticket = {
      id: randomBytes(18).toString('base64url'),
      userId,
      matchId,
      expiresAt: this.clock.now() + this.ttlMs,
    };
    const timer = this.clock.setTimeout(() => this.expire(ticket.id), this.ttlMs);
    this.tickets.set(ticket.id, { ticket, timer });
    if (this.options.onePerUser) this.byUser.set(userId, ticket.id);
    return ticket;
  }

  /**
   * Single use: once its owner redeems it, it is gone. A foreign user's attempt is refused
   * without burning it, so a leaked ticket URL cannot be used to deny the owner their seat.
   */
  redeem(id: string, userId: string): RedeemResult {
    const entry = this.tickets.get(id);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.ticket.userId !== userId) return { ok: false, reason: 'foreign' };
    this.forget(id);
    if (this.clock.now() >= entry.ticket.expiresAt) {
      this.onExpire(entry.ticket);
      return { ok: false, reason: 'expired' };
    }
    return { ok: true, ticket: entry.ticket };
  }

  /**
   * Single use, for tickets whose holder cannot prove who they are any other way (an
   * EventSource cannot send an Authorization header): the ticket itself names the user.
   */
  take(id: string): RedeemResult {
    const entry = this.tickets.get(id);
    if (!entry) return { ok: false, reason: 'unknown' };
    return this.redeem(id, entry.ticket.userId);
  }

  get size(): number {
    return this.tickets.size;
  }

  clear(): void {
    for (const { timer } of this.tickets.values()) timer.cancel();
    this.tickets.clear();
    this.byUser.clear();
  }

  /** Drops a ticket and its timer without releasing anything. */
  private forget(id: string): void {
    const entry = this.tickets.get(id);
    if (!entry) return;
    entry.timer.cancel();
    this.tickets.delete(id);
    if (this.byUser.get(entry.ticket.userId) === id) this.byUser.delete(entry.ticket.userId);
  }

  private expire(id: string): void {
    const entry = this.tickets.get(id);
    if (!entry) return;
    this.forget(id);
    this.onExpire(entry.ticket);
  }
}
