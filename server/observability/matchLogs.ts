/**
 * Pino child loggers per match and per player, so every line a match writes carries its
 * `matchId` (and `playerId`/`userId` for player events) without each call site adding them.
 */
import type { Logger } from './logger.js';

export class MatchLogs {
  private readonly byMatch = new WeakMap<object, Logger>();

  constructor(private readonly log: Logger) {}

  /** The logger of one match (created on first use, dropped with the match object). */
  of(match: { readonly id: string }): Logger {
    let l = this.byMatch.get(match);
    if (!l) {
      l = this.log.child({ matchId: match.id });
      this.byMatch.set(match, l);
    }
    return l;
  }

  player(match: { readonly id: string }, seat: { readonly playerId: number; readonly userId: string }): Logger {
    return this.of(match).child({ playerId: seat.playerId, userId: seat.userId });
  }
}
