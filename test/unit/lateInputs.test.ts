/**
 * The late-input rule at its boundary: an input whose ackTick trails the server by more
 * than `lateInputMs` (default 1 s = 30 ticks at 30 Hz) is late; 0 (no snapshot yet) and
 * ticks from the future never are.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LATE_INPUT_MS, isLateInput, lateInputTicks } from '../../server/rooms/lateInputs.js';

describe('late inputs', () => {
  it('drops only inputs acknowledging a snapshot more than 1 s old', () => {
    expect(DEFAULT_LATE_INPUT_MS).toBe(1000);
    const max = lateInputTicks(DEFAULT_LATE_INPUT_MS, 30);
    expect(max).toBe(30);
    expect(isLateInput(100, 130, max)).toBe(false);
    expect(isLateInput(100, 131, max)).toBe(true);
    expect(isLateInput(0, 10_000, max)).toBe(false);
    expect(isLateInput(200, 130, max)).toBe(false);
    expect(lateInputTicks(250, 60)).toBe(15);
  });
});
