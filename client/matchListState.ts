/**
 * The lobby's copy of the public match list, kept live from `MatchList` frames: `Full`
 * replaces everything (sent on every lobby connect, so a reconnect resyncs), `Upsert` adds or
 * updates entries, `Remove` drops ids. Pure: no socket, no DOM.
 *
 * `list()` is ordered for a player choosing where to look: matches with humans first (most
 * humans on top), then by id so rows do not jump around between updates.
 */
import { MatchListOp, type MatchListEntry, type MatchListMsg } from '../protocol/index.js';

export class MatchListState {
  private readonly byId = new Map<string, MatchListEntry>();
  /** True once a `Full` list arrived (before that the list is unknown, not empty). */
  synced = false;

  apply(msg: Pick<MatchListMsg, 'op' | 'matches' | 'removed'>): void {
    switch (msg.op) {
      case MatchListOp.Full:
        this.byId.clear();
        for (const m of msg.matches) this.byId.set(m.id, { ...m });
        this.synced = true;
        return;
      case MatchListOp.Upsert:
        for (const m of msg.matches) this.byId.set(m.id, { ...m });
        return;
      case MatchListOp.Remove:
        for (const id of msg.removed) this.byId.delete(id);
        return;
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): MatchListEntry | undefined {
    return this.byId.get(id);
  }

  list(): MatchListEntry[] {
    return [...this.byId.values()].sort((a, b) => b.players - a.players || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  clear(): void {
    this.byId.clear();
    this.synced = false;
  }
}
