/**
 * Tag bots: "it" chases the nearest player, everyone else runs from "it". A bot tries the
 * eight WASD directions and keeps the one whose next position is best, so walls (which
 * `movePlayer` slides along) are handled by the same rules players move by. Pure: reads
 * the start-of-tick state, draws nothing from the RNG.
 */
import { movePlayer } from 'tickwire/protocol';
import { TagInput } from '../shared/tagWire.js';
import type { TagPlayer, TagState } from './tagState.js';

const { up, down, left, right } = TagInput.bits;
const DIRECTIONS = [up, down, left, right, up | left, up | right, down | left, down | right];
const scratch = { x: 0, y: 0 };

export function botButtons(state: TagState, bot: TagPlayer): number {
  const it = state.players.find((p) => p.id === state.it);
  if (!it) return 0;
  const chasing = it === bot;
  let target: TagPlayer | undefined;
  if (chasing) {
    let best = Infinity;
    for (const p of state.players) {
      const d = p === bot ? Infinity : (p.x - bot.x) ** 2 + (p.y - bot.y) ** 2;
      if (d < best) [best, target] = [d, p];
    }
  } else target = it;
  if (!target) return 0;
  let bestButtons = 0;
  let bestScore = -Infinity;
  for (const b of DIRECTIONS) {
    movePlayer(bot, b, 1 / state.tickRate, state.map, scratch);
    const d = (target.x - scratch.x) ** 2 + (target.y - scratch.y) ** 2;
    const score = chasing ? -d : d;
    if (score > bestScore) [bestScore, bestButtons] = [score, b];
  }
  return bestButtons;
}
