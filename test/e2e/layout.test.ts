/**
 * The game screen laid out for the screens players use: at 390×844 (a phone, touch) and
 * 640×400 (a small landscape window) no HUD element overlaps another (bounding boxes of
 * everything visible over the canvas: HUD boxes, minimap, banner, kill feed, chat, invite
 * card, toasts), and at 1280×800 neither. Screenshots of each are kept as artifacts
 * (test-artifacts/e2e-layout-*.png; docs/client.md shows how to make them). The spectator
 * panel collapses to its header.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, startBrowserGame, type BrowserGame } from '../support/browserGame.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { openPage } from '../support/chromium.js';

let game: BrowserGame;
beforeAll(async () => {
  game = await startBrowserGame();
});
afterEach(() => game.closeContexts());
afterAll(() => game?.close());

interface Tw {
  screen: string;
  frames: number;
  userId: string;
  self(): unknown;
  roster(): unknown[];
  feel(): Record<string, unknown>;
}
/** The page's window with its debug hook (callbacks below run in the page, so the cast is inlined). */
type W = { __tickwire: Tw };

/** Everything that may sit over the canvas during play. */
const OVERLAY_SELECTORS = [
  '#hud-hp-box',
  '#hud-score-box',
  '#hud-ping-box',
  '#hud-timer-box',
  '#settings-button',
  '#minimap',
  '#hud-banner',
  '#kill-feed',
  '#match-chat-log',
  '#match-chat-open',
  '#invite-panel',
  '.toast',
];

interface Box {
  sel: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

async function visibleBoxes(page: Page): Promise<Box[]> {
  return page.evaluate((sels) => {
    const out: Array<{ sel: string; x: number; y: number; w: number; h: number }> = [];
    for (const sel of sels) {
      document.querySelectorAll(sel).forEach((el, i) => {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') return;
        out.push({ sel: i ? `${sel}[${i}]` : sel, x: r.x, y: r.y, w: r.width, h: r.height });
      });
    }
    return out;
  }, OVERLAY_SELECTORS);
}

function overlaps(boxes: Box[]): string[] {
  const bad: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      // 0.5 px tolerance for sub-pixel borders that touch.
      const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (ix > 0.5 && iy > 0.5) bad.push(`${a.sel} × ${b.sel}`);
    }
  }
  return bad;
}

function inside(boxes: Box[], width: number, height: number): string[] {
  return boxes.filter((b) => b.x < -0.5 || b.y < -0.5 || b.x + b.w > width + 0.5 || b.y + b.h > height + 0.5).map((b) => b.sel);
}

async function playIn(viewport: { width: number; height: number }, touch: boolean, name: string): Promise<{ page: Page; errors: string[] }> {
  const context = await game.newContext(viewport, touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 2 } : {});
  const opened = await openPage(context, `${game.server.http}/`);
  const { page } = opened;
  await page.fill('#name-input', name);
  await page.click('#quick-play');
  await page.waitForFunction(() => (window as unknown as W).__tickwire.screen === 'game' && (window as unknown as W).__tickwire.self() !== null, null, { timeout: 15_000 });
  // Bots in, the banner up (countdown), a frame or twenty drawn, the minimap filled.
  await page.waitForFunction(() => (window as unknown as W).__tickwire.frames > 20 && (window as unknown as W).__tickwire.roster().length > 1 && ((window as unknown as W).__tickwire.feel().minimapDots as number) > 1, null, { timeout: 15_000 });
  return { page, errors: opened.errors };
}

/**
 * The crowded case: a real chat line (typed and sent through the server), a real invite
 * toast (another player invites this one), and a kill-feed line (the countdown fixture has
 * no kills, so the test puts one line of the real markup into the feed).
 */
async function crowd(page: Page): Promise<void> {
  const chatOpen = await page.isVisible('#match-chat-open');
  if (chatOpen) await page.click('#match-chat-open');
  else await page.keyboard.press('Enter');
  await page.fill('#match-chat-input', 'gl hf everyone, this line is long enough to wrap on a phone');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#match-chat-log li', { state: 'visible' });

  const host = await guest(game.server.http, 'Inviter');
  const created = await postJson(`${game.server.http}/api/matches`, { mode: 'arena', private: true }, host.token);
  expect(created.status).toBe(201);
  const userId = await page.evaluate(() => (window as unknown as W).__tickwire.userId);
  const sent = await postJson(`${game.server.http}/api/invite`, { playerId: userId }, host.token);
  expect(sent.body.delivered).toBe(true);
  await page.waitForSelector('.toast', { state: 'visible' });

  await page.evaluate(() => {
    const feed = document.querySelector('#kill-feed') as HTMLElement;
    const li = document.createElement('li');
    li.innerHTML = '<span class="killer">Bot Flux</span><span class="sep"> ✕ </span><span class="victim">Bot Echo</span>';
    feed.prepend(li);
  });
}


describe('layout', () => {
  for (const [label, viewport, touch] of [
    ['phone', { width: 390, height: 844 }, true],
    ['small', { width: 640, height: 400 }, false],
    ['desktop', { width: 1280, height: 800 }, false],
  ] as const) {
    it(`${label} ${viewport.width}×${viewport.height}: no HUD element overlaps another, all on screen`, async () => {
      const { page, errors } = await playIn(viewport, touch, `Lay ${label}`);
      await crowd(page);
      const boxes = await visibleBoxes(page);
      const seen = boxes.map((b) => b.sel);
      for (const must of ['#hud-hp-box', '#hud-score-box', '#hud-ping-box', '#hud-timer-box', '#settings-button', '#minimap', '#hud-banner', '#kill-feed', '#match-chat-log', '.toast']) {
        expect(seen, `${must} visible`).toContain(must);
      }
      if (touch) expect(seen).toContain('#match-chat-open');
      // Ping in the HUD, coloured by quality (loopback: good).
      await page.waitForFunction(() => /^\d+ ms$/.test(document.querySelector('#hud-ping')?.textContent ?? ''), null, { timeout: 10_000 });
      expect(await page.getAttribute('#hud-ping', 'data-quality')).toMatch(/^(good|fair|poor)$/);
      expect(overlaps(boxes), JSON.stringify(boxes)).toEqual([]);
      expect(inside(boxes, viewport.width, viewport.height)).toEqual([]);
      writeFileSync(join(ARTIFACTS, `e2e-layout-${label}.png`), await page.screenshot({ scale: 'css' }));
      expect(errors).toEqual([]);
      await page.context().close();
    }, 60_000);
  }
});

describe('spectator panel', () => {
  it('is small at 1280×800 and collapses to its header; the lobby shows the match time left', async () => {
    // A listed match with a human in it (headless) for the spectator to pick.
    const g = await guest(game.server.http, 'Watched');
    const mm = await matchmake(game.server.http, g.token);
    const player = await PlayClient.connect(mm.url, g.token, mm.ticket);
    try {
      const context = await game.newContext({ width: 1280, height: 800 });
      const { page, errors } = await openPage(context, `${game.server.http}/`);
      await page.fill('#name-input', 'Watcher');
      await page.click('#lobby-enter');
      const row = page.locator(`tr[data-match="${mm.matchId}"]`);
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      // The list's time-left column: the countdown fixture has not started play yet.
      await expect(row.locator('td.time-left').textContent()).resolves.toBe('full match');
      await row.locator('button.spectate').click();
      await page.waitForFunction(() => (window as unknown as W).__tickwire.screen === 'spectate', null, { timeout: 15_000 });
      await page.waitForSelector('#spectate-players tr', { state: 'visible', timeout: 15_000 });
      const area = () => page.$eval('#spectator-panel', (el) => el.getBoundingClientRect().width * el.getBoundingClientRect().height);
      const open = await area();
      expect(open / (1280 * 800)).toBeLessThan(0.12);
      await page.click('#spectate-collapse');
      await expect(page.isVisible('#spectate-players')).resolves.toBe(false);
      await expect(page.isVisible('#spectate-leave')).resolves.toBe(false);
      const collapsed = await area();
      expect(collapsed).toBeLessThan(open / 3);
      expect(await page.getAttribute('#spectate-collapse', 'aria-expanded')).toBe('false');
      await page.click('#spectate-collapse');
      await page.waitForSelector('#spectate-players tr', { state: 'visible' });
      expect(errors).toEqual([]);
    } finally {
      player.close();
    }
  }, 60_000);
});

