import { describe, expect, it } from 'vitest';
import { combineHooks } from '../../server/rooms/combineHooks.js';
import type { RoomHooks } from '../../server/rooms/room.js';

describe('combineHooks', () => {
  it('hands a hook only one object has over as that function; several run in registration order with every argument', () => {
    const calls: string[] = [];
    const onInputs: RoomHooks['onInputs'] = (applied, rejected, reason) => void calls.push(`inputs ${applied} ${rejected} ${reason}`);
    const first: RoomHooks = { onInputs, onTicksSkipped: (_room, n) => void calls.push(`a ${n}`) };
    const second: RoomHooks = { onTicksSkipped: (_room, n) => void calls.push(`b ${n}`) };
    const hooks = combineHooks(first, {}, second);
    // No wrapper on the per-tick path: the hook is the function itself.
    expect(hooks.onInputs).toBe(onInputs);
    hooks.onInputs!(3, 1, 'late');
    hooks.onTicksSkipped!(null as never, 2);
    expect(calls).toEqual(['inputs 3 1 late', 'a 2', 'b 2']);
    expect(hooks.onJoin).toBeUndefined();
  });
});
