/**
 * The real game in Debian Chromium (headless, WebGL on SwiftShader) against a real server
 * serving a fresh client build: menu → quick play → the arena is drawn (checked in the
 * screenshot's pixels) → holding D moves the own player right → HUD → the server drops the
 * socket → "Reconnecting…" → the same player resumes with the same score. A second tab
 * then replaces the first one's connection. No console errors are allowed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Palette } from '../../game-client/render/palette.js';
import { ARTIFACTS, startBrowserGame, type BrowserGame } from '../support/browserGame.js';
import { colourCounts, openPage as openUrl } from '../support/chromium.js';

type Server = BrowserGame['server'];

interface Hook {
  screen: string;
  userId: string | null;
  matchId: string | null;
  playerId: number | null;
  connection: string | null;
  reconnects: number;
  overlay: string | null;
  renderer: string | null;
  frames: number;
  self(): { x: number; y: number; score: number; hp: number; alive: boolean; lastSeq: number; predicted: { x: number; y: number } | null } | null;
}
declare global {
  interface Window {
    __tickwire: Hook;
  }
}

let game: BrowserGame;
let server: Server;

beforeAll(async () => {
  game = await startBrowserGame();
  server = game.server;
});
afterEach(() => game.closeContexts());
afterAll(() => game?.close());

/** A page whose console errors and uncaught exceptions are collected. */
async function openPage(context?: BrowserContext): Promise<{ page: Page; errors: string[]; context: BrowserContext }> {
  const ctx = context ?? (await game.newContext());
  return openUrl(ctx, `${server.http}/`);
}

async function quickPlay(page: Page, name: string): Promise<void> {
  await page.fill('#name-input', name);
  await page.click('#quick-play');
  await page.waitForFunction(() => window.__tickwire.screen === 'game' && window.__tickwire.self() !== null, null, { timeout: 15_000 });
}

describe('the browser game', () => {
  it('plays: arena drawn, D moves right, HUD, and a dropped socket resumes the same player', async () => {
    const { page, errors } = await openPage();
    await expect(page.title()).resolves.toBe('Tickwire');
    await quickPlay(page, 'Ada E2E');
    expect(await page.evaluate(() => window.__tickwire.renderer)).toBe('webgl');

    // The arena is on the canvas: floor, walls and the own (gold) player, in real pixels.
    await page.waitForFunction(() => window.__tickwire.frames > 15);
    const canvas = page.locator('#game-canvas');
    const counts = await colourCounts(page, await canvas.screenshot(), { floor: Palette.floor, wall: Palette.wall, self: Palette.self });
    expect(counts.floor / counts.total).toBeGreaterThan(0.2);
    expect(counts.wall).toBeGreaterThan(500);
    expect(counts.self).toBeGreaterThan(300); // a 16-unit circle is ~800 px

    // Bots joined; holding D moves the own player right (authoritative position).
    await page.waitForFunction(() => (window as Window).__tickwire.frames > 0 && document.querySelectorAll('#hud').length === 1);
    const before = (await page.evaluate(() => window.__tickwire.self()))!;
    await page.keyboard.down('d');
    await page.waitForFunction((x0) => window.__tickwire.self()!.x >= x0 + 40, before.x, { timeout: 10_000 });
    await page.keyboard.up('d');
    const moved = (await page.evaluate(() => window.__tickwire.self()))!;
    expect(moved.y).toBe(before.y);
    expect(moved.predicted!.x).toBeGreaterThanOrEqual(moved.x);

    // Losing focus while D is held releases it; inputs keep flowing (acknowledged), the player stops.
    await page.keyboard.down('d');
    await page.evaluate(() => window.dispatchEvent(new Event('blur')));
    const seq0 = (await page.evaluate(() => window.__tickwire.self()))!.lastSeq;
    await page.waitForFunction((s) => window.__tickwire.self()!.lastSeq >= s + 20, seq0, { timeout: 10_000 });
    const still = (await page.evaluate(() => window.__tickwire.self()))!;
    await page.waitForFunction((s) => window.__tickwire.self()!.lastSeq >= s + 10, still.lastSeq, { timeout: 10_000 });
    expect((await page.evaluate(() => window.__tickwire.self()))!.x).toBe(still.x);
    await page.keyboard.up('d');

    // The HUD shows score, HP and the match timer.
    await expect(page.textContent('#hud-score')).resolves.toMatch(/^\d+$/);
    await expect(page.textContent('#hud-hp')).resolves.toBe('100');
    await expect(page.textContent('#hud-timer')).resolves.toMatch(/^\d+:\d\d$/);
    await expect(page.textContent('#hud-phase')).resolves.toMatch(/Starts in|Waiting|Time/);

    // The server drops the socket (no close frame, like a dead network).
    const ids = await page.evaluate(() => ({ matchId: window.__tickwire.matchId!, userId: window.__tickwire.userId!, playerId: window.__tickwire.playerId!, score: window.__tickwire.self()!.score }));
    const seat = server.rooms.get(ids.matchId)!.seatOf(ids.userId)!;
    expect(seat.playerId).toBe(ids.playerId);
    seat.conn!.terminate();
    await page.waitForSelector('#overlay[data-kind="reconnecting"]', { state: 'visible', timeout: 5000 });
    await expect(page.textContent('#overlay-title')).resolves.toBe('Reconnecting…');
    await page.waitForFunction(
      () => window.__tickwire.reconnects >= 1 && window.__tickwire.connection === 'open' && window.__tickwire.overlay === null && window.__tickwire.self() !== null,
      null,
      { timeout: 15_000 },
    );
    const after = await page.evaluate(() => ({ playerId: window.__tickwire.playerId, score: window.__tickwire.self()!.score, matchId: window.__tickwire.matchId }));
    expect(after).toEqual({ playerId: ids.playerId, score: ids.score, matchId: ids.matchId });
    expect(server.rooms.get(ids.matchId)!.seatOf(ids.userId)!.status).toBe('connected');
    // Still playable after the resume.
    const x1 = (await page.evaluate(() => window.__tickwire.self()))!.x;
    await page.keyboard.down('a');
    await page.waitForFunction((x) => window.__tickwire.self()!.x <= x - 20, x1, { timeout: 10_000 });
    await page.keyboard.up('a');

    await page.keyboard.press('F3');
    await page.waitForSelector('#net-graph', { state: 'visible' });
    await page.waitForFunction(() => (document.querySelector('#net-graph pre')?.textContent ?? '').includes('rtt'));
    writeFileSync(join(ARTIFACTS, 'e2e-game.png'), await page.screenshot());
    expect(errors).toEqual([]);
  }, 60_000);

  it('a second tab takes the seat over; the first says so and stops', async () => {
    const first = await openPage();
    await quickPlay(first.page, 'Two Tabs');
    const ids = await first.page.evaluate(() => ({ matchId: window.__tickwire.matchId, playerId: window.__tickwire.playerId }));
    // Same browser profile (localStorage holds the guest token): the same player.
    const second = await openPage(first.context);
    await quickPlay(second.page, 'Two Tabs');
    await expect(second.page.evaluate(() => ({ matchId: window.__tickwire.matchId, playerId: window.__tickwire.playerId }))).resolves.toEqual(ids);
    await first.page.waitForSelector('#overlay[data-kind="message"]', { state: 'visible', timeout: 10_000 });
    await expect(first.page.textContent('#overlay-title')).resolves.toBe('Playing in another tab');
    expect(await first.page.evaluate(() => window.__tickwire.connection)).toBe('closed');
    expect(await first.page.evaluate(() => window.__tickwire.reconnects)).toBe(0);
    expect(await second.page.evaluate(() => window.__tickwire.connection)).toBe('open');
    await first.page.click('#overlay-button');
    await first.page.waitForFunction(() => window.__tickwire.screen === 'menu');
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
  }, 60_000);
});
