/**
 * Tag as a Tickwire game mode: wires the rules (tagRules.ts) to the room's interface and
 * renders snapshots in the layout declared in shared/tagWire.ts.
 *
 * Settings (`createServer({ modes: { tag: { mode: tagMode, settings } } })`): map 'yard' |
 * 'open' ('yard'), countdownSeconds
 * 3, matchSeconds 90, resultsSeconds 5, freezeSeconds 1, minPlayers 2 — ranges in
 * tagState.ts. A bad value is refused when the server is created (checkSettings); unknown
 * keys are ignored.
 */
import { defineMode } from 'tickwire';
import { Phase, quantizePosition, type SnapshotState } from 'tickwire/protocol';
import { TAG_MAX_PLAYERS, TagFlags, TagWire } from '../shared/tagWire.js';
import { pickIt, spawn, step } from './tagRules.js';
import { checkTagSettings, createTagState, type TagPlayer, type TagState } from './tagState.js';

const Players = TagWire.tables.players;

function flags(p: TagPlayer): number {
  return (p.frozenTicks > 0 ? TagFlags.Frozen : 0) | (p.bot ? TagFlags.Bot : 0) | (p.connected ? TagFlags.Connected : 0);
}

export const tagMode = defineMode<TagState>({
  name: 'tag',
  schema: TagWire.schema,
  maxPlayers: TAG_MAX_PLAYERS,
  create: createTagState,
  checkSettings: checkTagSettings,

  matchConfig: (state) => ({
    mode: 'tag',
    tickRate: state.tickRate,
    snapshotRate: Math.max(1, Math.round(state.tickRate / 2)),
    maxPlayers: TAG_MAX_PLAYERS,
    map: { width: state.map.width, height: state.map.height, walls: state.map.walls.map((w) => ({ ...w })) },
  }),

  addPlayer(state, id, name, bot) {
    if (state.players.some((p) => p.id === id)) return;
    const p: TagPlayer = { id, name, bot, connected: true, x: 0, y: 0, safeTicks: 0, frozenTicks: 0 };
    spawn(state, p);
    state.players.push(p);
    state.players.sort((a, b) => a.id - b.id);
  },

  removePlayer(state, id) {
    state.players = state.players.filter((p) => p.id !== id);
    // The game needs an "it" while it is on: a leaving "it" hands it to a random player.
    if (state.it === id) {
      state.it = 0;
      if (state.phase === Phase.Playing) pickIt(state);
    }
  },

  setConnected(state, id, connected) {
    const p = state.players.find((x) => x.id === id);
    if (p) p.connected = connected;
  },

  step,

  snapshot(state): SnapshotState {
    const s = TagWire.empty();
    s.tick = state.tick;
    s.header[TagWire.header.phase] = state.phase;
    s.header[TagWire.header.ticksLeft] = state.ticksLeft;
    s.header[TagWire.header.it] = state.it;
    const rows = s.tables[Players.index].rows;
    for (const p of state.players) {
      rows.set(
        p.id,
        Players.row({ x: quantizePosition(p.x), y: quantizePosition(p.y), score: Math.floor(p.safeTicks / state.tickRate), flags: flags(p) }),
      );
    }
    return s;
  },

  phase: (state) => ({ phase: state.phase, ticksLeft: state.ticksLeft }),

  /** Ranked by points; `deaths` counts nothing in tag and stays 0. */
  scores: (state) =>
    state.players
      .map((p) => ({ id: p.id, score: Math.floor(p.safeTicks / state.tickRate), deaths: 0 }))
      .sort((a, b) => b.score - a.score || a.id - b.id),
});
