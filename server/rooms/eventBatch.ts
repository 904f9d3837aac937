/**
 * The events a match produced since its last snapshot, waiting to ride in the next snapshot
 * frame (protocol v2: no frame of their own). Bounded: a snapshot frame carries at most
 * `Limits.maxEventsPerFrame` events, so events past that bound within one snapshot interval
 * are dropped and counted rather than growing a buffer or breaking the client's decoder.
 * The group list is reused from one snapshot to the next (no per-tick arrays).
 */
import { Limits, type GameEvent, type TickEvents } from '../../protocol/index.js';

const NO_EVENTS: GameEvent[] = [];

export class EventBatch {
  private readonly groups: TickEvents[] = [];
  private used = 0;
  private total = 0;
  /**
   * views[n] holds exactly the first n groups, refilled by `pending`: emptying one array
   * (`length = 0`) would free its backing store and the next push allocate a new one, every
   * snapshot (V8's `set length` had ~2 % of the server's busy time in a --cpu-prof profile;
   * this was its per-snapshot caller on the room path).
   */
  private readonly views: TickEvents[][] = [[]];

  constructor(private readonly limit = Limits.maxEventsPerFrame) {}

  /** Number of events waiting. */
  get count(): number {
    return this.total;
  }

  /** Queues one tick's events; returns how many were dropped for lack of room (0 normally). */
  add(tick: number, events: readonly GameEvent[]): number {
    if (events.length === 0) return 0;
    const room = this.limit - this.total;
    if (room <= 0) return events.length;
    const kept = events.length <= room ? (events as GameEvent[]) : events.slice(0, room);
    let g = this.groups[this.used];
    if (!g) this.groups.push((g = { tick: 0, events: NO_EVENTS }));
    g.tick = tick;
    g.events = kept;
    this.used++;
    this.total += kept.length;
    return events.length - kept.length;
  }

  /** The waiting groups, oldest first; valid until the next `clear`. */
  pending(): readonly TickEvents[] {
    const n = this.used;
    while (this.views.length <= n) this.views.push(new Array<TickEvents>(this.views.length));
    const view = this.views[n];
    for (let i = 0; i < n; i++) view[i] = this.groups[i];
    return view;
  }

  clear(): void {
    // The shared empty list, not a new `[]` per group per snapshot.
    for (let i = 0; i < this.used; i++) this.groups[i].events = NO_EVENTS;
    this.used = 0;
    this.total = 0;
  }
}
