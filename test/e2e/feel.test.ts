/**
 * The match as a player feels it, in Chromium against a real server (open map, no bots,
 * no countdown, no spawn protection):
 * - touch: a `hasTouch` phone context moves with the left stick and shoots with the right
 *   one (both at once, two fingers), through the same input state the keyboard fills;
 * - settings (volume, mute, a rebound key, net graph, quality) survive a reload and apply;
 * - in a private 1v1 created from the lobby card with bots off: a hit shows the shooter a
 *   hit marker and a damage number; the player hit by a headless opponent sees the flash,
 *   and on death the killer's name with a respawn countdown.
 * Screenshots: test-artifacts/e2e-touch.png, e2e-hit.png, e2e-killed.png.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Buttons, PlayerField, Tables, quantizeAngle } from '../../protocol/index.js';
import { guest, matchmake } from '../support/api.js';
import { ARTIFACTS, startBrowserGame, type BrowserGame } from '../support/browserGame.js';
import { openPage } from '../support/chromium.js';
import { PlayClient } from '../support/playClient.js';

interface Tw {
  screen: string;
  frames: number;
  userId: string;
  playerId: number;
  privateCode: string | null;
  self(): { x: number; y: number; hp: number; alive: boolean; lastSeq: number } | null;
  players(): Array<{ id: number; name: string; self: boolean; alive: boolean; x: number; y: number; screen: { x: number; y: number } | null }>;
  feel(): { hitMarkers: number; damageNumbers: number; flashes: number; shotsFired: number; touch: boolean; settings: Record<string, unknown> } & Record<string, unknown>;
}
type W = { __tickwire: Tw };

let game: BrowserGame;
const headless: PlayClient[] = [];
beforeAll(async () => {
  game = await startBrowserGame({
    botFillDelayMs: -1,
    arena: { map: 'open', countdownSeconds: 0, minPlayers: 1, spawnProtectionSeconds: 0, respawnSeconds: 3 },
  });
});
afterEach(async () => {
  for (const c of headless.splice(0)) c.close();
  await game.closeContexts();
});
afterAll(() => game?.close());

async function tw<T>(page: Page, fn: (t: Tw) => T): Promise<T> {
  return page.evaluate(`(${fn.toString()})(window.__tickwire)`) as Promise<T>;
}

/** Waits until the server acknowledged `n` more inputs of this page (time passes by inputs, not sleeps). */
async function settle(page: Page, n: number): Promise<void> {
  const seq = await tw(page, (t) => t.self()!.lastSeq);
  await page.waitForFunction((s) => (window as unknown as W).__tickwire.self()!.lastSeq >= s, seq + n, { timeout: 15_000 });
}

async function quickPlay(page: Page, name: string): Promise<void> {
  await page.fill('#name-input', name);
  await page.click('#quick-play');
  await page.waitForFunction(() => (window as unknown as W).__tickwire.screen === 'game' && (window as unknown as W).__tickwire.self() !== null, null, { timeout: 15_000 });
}

describe('touch twin-stick', () => {
  it('a hasTouch phone moves with the left stick and shoots with the right one', async () => {
    const context = await game.newContext({ width: 390, height: 844 }, { hasTouch: true, isMobile: true });
    const { page, errors } = await openPage(context, `${game.server.http}/`);
    await quickPlay(page, 'Thumbs');
    await page.waitForFunction(() => (window as unknown as W).__tickwire.frames > 10);
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: Array<{ x: number; y: number; id: number }>) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });

    // Left stick: a finger lands on the left half and drags right.
    const x0 = (await tw(page, (t) => t.self()!.x));
    await touch('touchStart', [{ x: 90, y: 650, id: 1 }]);
    await touch('touchMove', [{ x: 150, y: 650, id: 1 }]);
    await page.waitForFunction((x) => (window as unknown as W).__tickwire.self()!.x >= x + 40, x0, { timeout: 10_000 });
    expect(await tw(page, (t) => t.feel().touch)).toBe(true);
    expect(await page.isVisible('#stick-move')).toBe(true);
    await touch('touchEnd', []);
    // Released: inputs keep flowing (acknowledged by the server) and the player stands still.
    await settle(page, 20);
    const after = await tw(page, (t) => t.self()!.x);
    await settle(page, 20);
    expect(await tw(page, (t) => t.self()!.x)).toBe(after);

    // Both sticks at once: move up with the left thumb, aim-and-fire with the right.
    const y0 = await tw(page, (t) => t.self()!.y);
    await touch('touchStart', [{ x: 90, y: 650, id: 1 }]);
    await touch('touchMove', [{ x: 90, y: 590, id: 1 }]);
    await touch('touchStart', [{ x: 90, y: 590, id: 1 }, { x: 300, y: 650, id: 2 }]);
    await touch('touchMove', [{ x: 90, y: 590, id: 1 }, { x: 340, y: 650, id: 2 }]);
    await page.waitForFunction(() => (window as unknown as W).__tickwire.feel().shotsFired >= 3, null, { timeout: 10_000 });
    expect(await tw(page, (t) => t.self()!.y)).toBeLessThan(y0);
    expect(await page.isVisible('#stick-aim')).toBe(true);
    writeFileSync(join(ARTIFACTS, 'e2e-touch.png'), await page.screenshot());
    await touch('touchEnd', []);
    // No emulated mouse button got stuck: once the fingers lift, firing stops (after the
    // shots already fired are released at the render time).
    await settle(page, 30);
    const shots = await tw(page, (t) => t.feel().shotsFired);
    await settle(page, 30);
    expect(await tw(page, (t) => t.feel().shotsFired)).toBe(shots);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('settings', () => {
  it('volume, mute, a rebound key, the net graph and quality survive a reload and apply', async () => {
    const context = await game.newContext();
    const { page, errors } = await openPage(context, `${game.server.http}/`);
    // No audio before the player does anything; the first click creates it.
    expect(await tw(page, (t) => (t.feel().sound as { unlocked: boolean }).unlocked)).toBe(false);
    await page.click('#menu-settings');
    expect(await tw(page, (t) => (t.feel().sound as { unlocked: boolean }).unlocked)).toBe(true);
    await page.waitForSelector('#settings-panel', { state: 'visible' });
    await page.$eval('#settings-volume', (el) => {
      (el as HTMLInputElement).value = '30';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.check('#settings-mute');
    await page.check('#settings-netgraph');
    await page.selectOption('#settings-quality', 'low');
    await page.click('#bind-up');
    await page.keyboard.press('z');
    await expect(page.textContent('#bind-up')).resolves.toBe('Z');
    await page.click('#settings-close');

    await page.reload();
    await page.click('#menu-settings');
    expect(await page.$eval('#settings-volume', (el) => (el as HTMLInputElement).value)).toBe('30');
    expect(await page.isChecked('#settings-mute')).toBe(true);
    expect(await page.isChecked('#settings-netgraph')).toBe(true);
    expect(await page.$eval('#settings-quality', (el) => (el as HTMLSelectElement).value)).toBe('low');
    await expect(page.textContent('#bind-up')).resolves.toBe('Z');
    await page.keyboard.press('Escape');
    await expect(page.isVisible('#settings-panel')).resolves.toBe(false);

    // They apply: muted (gain 0), the net graph shows without F3, Z moves up and W no longer does.
    await quickPlay(page, 'Rebinder');
    const feel = await tw(page, (t) => t.feel());
    expect(feel.settings).toMatchObject({ volume: 0.3, muted: true, showNetGraph: true, quality: 'low' });
    expect((feel.sound as { gain: number }).gain).toBe(0);
    await page.waitForSelector('#net-graph', { state: 'visible' });
    const y0 = await tw(page, (t) => t.self()!.y);
    await page.keyboard.down('w');
    await settle(page, 15);
    await page.keyboard.up('w');
    expect(await tw(page, (t) => t.self()!.y)).toBe(y0);
    await page.keyboard.down('z');
    await page.waitForFunction((y) => (window as unknown as W).__tickwire.self()!.y <= y - 30, y0, { timeout: 10_000 });
    await page.keyboard.up('z');
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('hit feedback in a private 1v1 without bots', () => {
  it('the shooter sees a hit marker and damage; the one hit sees the flash, the killer and a respawn countdown', async () => {
    const context = await game.newContext();
    const { page, errors } = await openPage(context, `${game.server.http}/`);
    // The host's options on the lobby card: no bots, two seats.
    await page.fill('#name-input', 'Host');
    await page.click('#private-options summary');
    await page.uncheck('#private-bots');
    await page.selectOption('#private-seats', '2');
    await page.click('#create-private');
    await page.waitForFunction(() => (window as unknown as W).__tickwire.screen === 'game' && (window as unknown as W).__tickwire.privateCode !== null, null, { timeout: 15_000 });
    const code = (await tw(page, (t) => t.privateCode))!;
    const matchId = await tw(page, (t) => (t as unknown as { matchId: string }).matchId);
    expect(game.server.rooms.get(matchId)!.maxPlayers).toBe(2);

    const friend = await guest(game.server.http, 'Friend');
    const mm = await matchmake(game.server.http, friend.token, { code });
    expect(mm.matchId).toBe(matchId);
    const foe = await PlayClient.connect(mm.url, friend.token, mm.ticket);
    headless.push(foe);
    await foe.waitFor(() => foe.welcome, 'welcome');
    const foeId = foe.welcome!.playerId;
    await page.waitForFunction((id) => (window as unknown as W).__tickwire.players().some((p) => p.id === id && p.alive), foeId, { timeout: 10_000 });
    expect(game.server.rooms.get(matchId)!.botCount).toBe(0);

    // Walk within range of the (idle) friend, then aim at them and hold the button.
    const keyFor = (dx: number, dy: number) => (Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? 'd' : 'a') : dy > 0 ? 's' : 'w');
    for (let i = 0; i < 60; i++) {
      const ps = await tw(page, (t) => t.players());
      const me = ps.find((p) => p.self)!;
      const them = ps.find((p) => !p.self)!;
      const dx = them.x - me.x;
      const dy = them.y - me.y;
      if (Math.hypot(dx, dy) < 260) break;
      const key = keyFor(dx, dy);
      await page.keyboard.down(key);
      await page.waitForTimeout(150);
      await page.keyboard.up(key);
    }
    let hit = false;
    for (let i = 0; i < 60 && !hit; i++) {
      const them = (await tw(page, (t) => t.players())).find((p) => !p.self)!;
      await page.mouse.move(them.screen!.x, them.screen!.y);
      if (i === 0) await page.mouse.down();
      await page.waitForTimeout(100);
      hit = (await tw(page, (t) => t.feel().hitMarkers)) > 0;
    }
    expect(hit).toBe(true);
    // Still firing at a target standing still: the next marker is in the DOM within moments.
    await page.waitForSelector('.hit-marker', { state: 'attached', timeout: 5000 });
    writeFileSync(join(ARTIFACTS, 'e2e-hit.png'), await page.screenshot());
    await page.mouse.up();
    const fb = await tw(page, (t) => t.feel());
    expect(fb.damageNumbers).toBeGreaterThan(0);
    expect(fb.flashes).toBe(0);
    // The click unlocked audio: the shots and the hits were heard.
    const played = (fb.sound as { unlocked: boolean; played: Record<string, number> }).played;
    expect((fb.sound as { unlocked: boolean }).unlocked).toBe(true);
    expect(played.shot).toBeGreaterThan(0);
    expect(played.hit).toBeGreaterThan(0);

    // The friend fires back until the host is eliminated.
    const hostId = await tw(page, (t) => t.playerId);
    const rowOf = (id: number) => foe.snapshot?.tables[Tables.Players].rows.get(id);
    const shoot = setInterval(() => {
      const me = rowOf(foeId);
      const them = rowOf(hostId);
      if (!me || !them) return;
      const dx = them[PlayerField.X] - me[PlayerField.X];
      const dy = them[PlayerField.Y] - me[PlayerField.Y];
      // Out of range (positions are in 1/16 units): close in while firing.
      let move = 0;
      if (Math.hypot(dx, dy) > 300 * 16) {
        if (Math.abs(dx) > Math.abs(dy) / 2) move |= dx > 0 ? Buttons.Right : Buttons.Left;
        if (Math.abs(dy) > Math.abs(dx) / 2) move |= dy > 0 ? Buttons.Down : Buttons.Up;
      }
      foe.input(Buttons.Fire | move, quantizeAngle(Math.atan2(dy, dx)));
    }, 33);
    try {
      await page.waitForFunction(() => (window as unknown as W).__tickwire.feel().flashes >= 1, null, { timeout: 15_000 });
      await page.waitForFunction(
        () => {
          const b = document.querySelector('#hud-banner') as HTMLElement | null;
          return b !== null && !b.hidden && /^Eliminated by Friend: respawning in [23]$/.test(b.textContent ?? '');
        },
        null,
        { timeout: 15_000 },
      );
    } finally {
      clearInterval(shoot);
    }
    writeFileSync(join(ARTIFACTS, 'e2e-killed.png'), await page.screenshot());
    const heard = ((await tw(page, (t) => t.feel())).sound as { played: Record<string, number> }).played;
    expect(heard.hurt).toBeGreaterThan(0);
    expect(heard.death).toBeGreaterThan(0);
    // The countdown runs down, then the host is back.
    await page.waitForFunction(() => (window as unknown as W).__tickwire.self()?.alive === true, null, { timeout: 10_000 });
    expect(errors).toEqual([]);
  }, 90_000);
});
