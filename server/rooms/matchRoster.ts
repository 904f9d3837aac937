/**
 * Who is in a match's simulation: the humans' seats (owned by the Room) and the bots that
 * fill the free places. It hands out entity ids (the lowest free one, so ids stay small and
 * a returning slot reuses its number), builds the roster clients see, and remembers when
 * the roster changed so the room re-sends it once per tick at most.
 */
import type { Seat } from './seat.js';

const BOT_NAMES = ['Ada', 'Bolt', 'Cog', 'Dot', 'Echo', 'Flux', 'Gear', 'Hex', 'Ion', 'Jet'];

export interface RosterEntry {
  id: number;
  name: string;
  bot: boolean;
}

/** How the roster adds and removes bots in the simulation (the room's mode and state). */
export interface BotSink {
  addBot(id: number, name: string): void;
  removeBot(id: number): void;
}

export class MatchRoster {
  private readonly bots = new Set<number>();
  /** Set when a player or bot came or went; the room publishes the roster and clears it. */
  dirty = true;

  constructor(
    private readonly seats: ReadonlyMap<string, Seat>,
    private readonly sink: BotSink,
  ) {}

  get botCount(): number {
    return this.bots.size;
  }

  /** Humans with an entity in the simulation (a reserved seat has none yet). */
  humanEntities(): number {
    let n = 0;
    for (const seat of this.seats.values()) if (seat.playerId !== 0) n++;
    return n;
  }

  /** The lowest entity id no human or bot holds. */
  allocatePlayerId(): number {
    const used = new Set<number>(this.bots);
    for (const seat of this.seats.values()) if (seat.playerId !== 0) used.add(seat.playerId);
    let id = 1;
    while (used.has(id)) id++;
    return id;
  }

  /** Adds bots until humans' seats (reserved ones included) and bots fill `maxPlayers`. */
  fill(maxPlayers: number): void {
    const free = maxPlayers - this.seats.size - this.bots.size;
    for (let i = 0; i < free; i++) {
      const id = this.allocatePlayerId();
      this.bots.add(id);
      this.sink.addBot(id, botName(id));
      this.dirty = true;
    }
  }

  /** A human needs a place: the bot with the highest id steps aside. */
  removeOneBot(): void {
    const id = Math.max(...this.bots);
    if (!Number.isFinite(id)) return;
    this.bots.delete(id);
    this.sink.removeBot(id);
    this.dirty = true;
  }

  /** Every entity, humans and bots, by id. */
  list(): RosterEntry[] {
    const out: RosterEntry[] = [];
    for (const seat of this.seats.values()) if (seat.playerId !== 0) out.push({ id: seat.playerId, name: seat.name, bot: false });
    for (const id of this.bots) out.push({ id, name: botName(id), bot: true });
    return out.sort((a, b) => a.id - b.id);
  }
}

function botName(id: number): string {
  return `Bot ${BOT_NAMES[(id - 1) % BOT_NAMES.length]}`;
}
