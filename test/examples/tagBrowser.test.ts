/**
 * The tag example in Debian Chromium (headless, WebGL on SwiftShader) against a real server
 * serving a fresh build of its client: Play → the yard (open map) is drawn (checked in the canvas
 * pixels) → holding D moves the own player right → a second player (a Node client from
 * tickwire/testing) walks into the browser's player → "it" passes between them, as the
 * page sees it. No console errors are allowed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, type TestServer } from '../../testing/index.js';
import { ServerType, dequantizePosition } from '../../protocol/index.js';
import { TagColours } from '../../examples/tag/client/colours.js';
import { TagEvent, TagInput, TagWire } from '../../examples/tag/shared/tagWire.js';
import { tagMode } from '../../examples/tag/server/tagMode.js';
import { buildExampleClient } from '../../scripts/example.mjs';
import { ARTIFACTS } from '../support/browserGame.js';
import { colourCounts, launchChromium, openPage } from '../support/chromium.js';

// window.__tag is declared by the client (examples/tag/client/main.ts).

const clientDir = mkdtempSync(join(tmpdir(), 'tickwire-tag-client-'));
let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  await buildExampleClient('tag', clientDir);
  // A long freeze: the two stay touching after the tag, and the tagged one must not tag back during the checks.
  t = await boot({ modes: { tag: { mode: tagMode, settings: { map: 'open', countdownSeconds: 0, matchSeconds: 600, freezeSeconds: 10 } } }, clientDir });
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
  rmSync(clientDir, { recursive: true, force: true });
});

describe('the tag example in the browser', () => {
  it('joins, draws the yard, moves with D, and passes "it" on touch', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    try {
      const { page, errors } = await openPage(context, `${t.http}/`);
      await page.fill('#name', 'Browser');
      await page.click('#play');
      await page.waitForFunction(() => window.__tag.screen === 'game' && window.__tag.self() !== null, null, { timeout: 15_000 });

      // The yard (the open map: no blocks to get stuck on) and the own player, in real pixels.
      await page.waitForFunction(() => window.__tag.frames > 15);
      const counts = await colourCounts(page, await page.locator('#tag-canvas').screenshot(), {
        floor: TagColours.floor,
        runner: TagColours.runner,
        it: TagColours.it,
      });
      expect(counts.floor / counts.total).toBeGreaterThan(0.3);
      expect(counts.runner + counts.it).toBeGreaterThan(300);

      // Holding D moves the own player right (the match waits for a second player: movement is allowed).
      const before = (await page.evaluate(() => window.__tag.self()))!;
      await page.keyboard.down('d');
      await page.waitForFunction((x0) => window.__tag.self()!.x >= x0 + 40 || window.__tag.self()!.x >= 1200 - 17, before.x, { timeout: 10_000 });
      await page.keyboard.up('d');

      // A second player joins; play starts; it walks into the browser's player until a tag.
      const other = await t.join('Walker', 'tag');
      const me = await page.evaluate(() => window.__tag.playerId);
      const walkerId = other.client.welcome!.playerId;
      await page.waitForFunction(() => window.__tag.phase === 'playing' && window.__tag.it !== 0, null, { timeout: 10_000 });
      const itBefore = await page.evaluate(() => window.__tag.it);
      expect([me, walkerId]).toContain(itBefore);
      const steer = setInterval(() => {
        const s = other.client.snapshot;
        const a = s && TagWire.tables.players.read(s).find((r) => r.id === walkerId);
        const b = s && TagWire.tables.players.read(s).find((r) => r.id === me);
        if (!a || !b) return;
        const dx = dequantizePosition(b.x - a.x);
        const dy = dequantizePosition(b.y - a.y);
        other.client.input(TagInput.encode({ left: dx < -4, right: dx > 4, up: dy < -4, down: dy > 4 }));
      }, 1000 / 30);
      try {
        await other.client.waitFor(
          () => other.client.of(ServerType.Snapshot).some((m) => m.events.some((e) => e.events.some((ev) => ev[0] === TagEvent.Tagged))),
          'a tag',
          20_000,
        );
      } finally {
        clearInterval(steer);
      }
      const itAfter = itBefore === me ? walkerId : me;
      await page.waitForFunction((id) => window.__tag.it === id && window.__tag.tags >= 1, itAfter, { timeout: 10_000 });
      // The HUD is redrawn on the next animation frame (slow in headless Chromium under load).
      const status = itAfter === me ? 'You are IT — touch someone!' : 'Run!';
      await page.waitForFunction((text) => document.querySelector('#status')?.textContent === text, status, { timeout: 10_000 });
      writeFileSync(join(ARTIFACTS, 'e2e-tag.png'), await page.screenshot());
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
