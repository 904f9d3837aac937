/** The Results message (final scores of a match the server ends early): round trip and validation. */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { Limits, ServerType, decodeServer, encodeServer, type ResultsMsg } from '../../protocol/index.js';

const sample: ResultsMsg = {
  type: ServerType.Results,
  reason: 'draining',
  players: [
    { id: 1, name: 'Ada', score: 7, deaths: 2, bot: false },
    { id: 2, name: 'Bot Flux', score: -1, deaths: 0, bot: true },
  ],
};

describe('Results message', () => {
  it('round-trips', () => {
    const r = decodeServer(encodeServer(sample));
    expect(r).toEqual({ ok: true, value: sample });
    const empty: ResultsMsg = { type: ServerType.Results, reason: 'draining', players: [] };
    expect(decodeServer(encodeServer(empty))).toEqual({ ok: true, value: empty });
  });

  it('is a compact array on the wire', () => {
    const bytes = encodeServer(sample);
    expect(decodeServer(encode([73, 'draining', [[1, 'Ada', 7, 2, 0], [2, 'Bot Flux', -1, 0, 1]]]))).toEqual({ ok: true, value: sample });
    expect(bytes.byteLength).toBeLessThan(40);
  });

  it.each([
    ['wrong arity', [73, 'draining']],
    ['empty reason', [73, '', []]],
    ['reason too long', [73, 'x'.repeat(33), []]],
    ['players not a list', [73, 'draining', {}]],
    ['too many players', [73, 'draining', Array.from({ length: Limits.maxRosterSize + 1 }, (_, i) => [i + 1, 'P', 0, 0, 0])]],
    ['short entry', [73, 'draining', [[1, 'Ada', 7, 2]]]],
    ['negative id', [73, 'draining', [[-1, 'Ada', 7, 2, 0]]]],
    ['name too long', [73, 'draining', [[1, 'x'.repeat(17), 7, 2, 0]]]],
    ['control char in name', [73, 'draining', [[1, 'A\nda', 7, 2, 0]]]],
    ['fractional score', [73, 'draining', [[1, 'Ada', 1.5, 2, 0]]]],
    ['negative deaths', [73, 'draining', [[1, 'Ada', 1, -2, 0]]]],
    ['bot flag 2', [73, 'draining', [[1, 'Ada', 1, 2, 2]]]],
  ])('refuses %s', (_what, frame) => {
    const r = decodeServer(encode(frame));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^results/);
  });
});
