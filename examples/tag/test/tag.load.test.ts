/**
 * The tag load tool works end to end: a few bots join a real server, play and measure.
 * (Its numbers are for people to read; here only that every bot joined and got data.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { boot, type TestServer } from 'tickwire/testing';
import { runSwarm } from '../load/swarm.js';
import { tagMode } from '../server/tagMode.js';

let t: TestServer;
beforeAll(async () => {
  t = await boot({ modes: { tag: { mode: tagMode, settings: { countdownSeconds: 0 } } } });
});
afterAll(() => t?.close());

it('runs a small swarm: every bot joins tag, receives snapshots and pongs, no errors', async () => {
  const r = await runSwarm({ target: t.http, players: 6, seconds: 2, rampMs: 0 });
  expect(r.errors).toEqual([]);
  expect(r.joined).toBe(6);
  expect(r.matches).toBe(1); // 6 fit one match of 8: the matchmaker fills before opening
  expect(r.snapshotsPerSecond).toBeGreaterThan(0);
  expect(r.kbPerSecondDown).toBeGreaterThan(0);
  expect(Number.isFinite(r.rttP50Ms)).toBe(true);
});
