/**
 * A browser without WebSocket plays over the long-polling fallback: an init script deletes
 * `window.WebSocket` before the page loads; Quick play still works (the lobby socket failing
 * does not block it), the player moves and scores a kill, and the net graph (F3) and the HUD
 * say "polling". The opponent is a Node player over WebSocket: both transports in one match.
 * And with WebSocket present but every upgrade failing: two failed attempts → polling, and
 * once upgrades work again the background probe moves the seat back to WebSocket.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guest, matchmake } from '../support/api.js';
import { ARTIFACTS, startBrowserGame, type BrowserGame } from '../support/browserGame.js';
import { openPage } from '../support/chromium.js';
import { PlayClient } from '../support/playClient.js';
import { parsePrometheus } from '../support/prometheus.js';

interface Hook {
  screen: string;
  matchId: string | null;
  self(): { x: number; y: number; score: number } | null;
  stats(): { transport: string } | null;
  playerId: number | null;
  players(): Array<{ id: number; self: boolean; alive: boolean; x: number; y: number; screen: { x: number; y: number } | null }>;
}
type W = { __tickwire: Hook };
const tw = <T>(page: Page, fn: (t: Hook) => T): Promise<T> => page.evaluate(`(${fn.toString()})(window.__tickwire)`) as Promise<T>;

let game: BrowserGame;
const headless: PlayClient[] = [];

/** The server-side connection class on the page's seat: PollingConnection or UwsConnection. */
async function seatTransport(page: Page): Promise<string | undefined> {
  const { matchId, userId } = await page.evaluate(() => {
    const t = (window as unknown as { __tickwire: { matchId: string; userId: string } }).__tickwire;
    return { matchId: t.matchId, userId: t.userId };
  });
  return game.server.rooms.get(matchId)?.seatOf(userId)?.conn?.constructor.name;
}

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

describe('long-polling in Chromium', () => {
  it('with window.WebSocket removed: joins, moves, scores over polling; net graph and HUD say "polling"', async () => {
    const context = await game.newContext();
    await context.addInitScript(() => {
      delete (window as unknown as { WebSocket?: unknown }).WebSocket;
    });
    const { page, errors } = await openPage(context, `${game.server.http}/`);
    expect(await page.evaluate(() => typeof (window as unknown as { WebSocket?: unknown }).WebSocket)).toBe('undefined');
    await page.fill('#name-input', 'Poller');
    await page.click('#quick-play');
    await page.waitForFunction(() => (window as unknown as W).__tickwire.screen === 'game' && (window as unknown as W).__tickwire.self() !== null, null, { timeout: 15_000 });
    expect(await tw(page, (t) => t.stats()?.transport)).toBe('polling');
    expect(await seatTransport(page)).toBe('PollingConnection');
    expect(parsePrometheus(await game.server.metrics.text()).sum('tickwire_connections', { namespace: 'play_polling' })).toBeGreaterThanOrEqual(1);

    // The HUD and the net graph name the transport.
    await page.waitForFunction(() => document.querySelector('#hud-transport')?.textContent === 'polling' && !(document.querySelector('#hud-transport') as HTMLElement).hidden, null, { timeout: 5000 });
    await page.keyboard.press('F3');
    await page.waitForFunction(() => /polling/.test(document.querySelector('#net-graph')?.textContent ?? ''), null, { timeout: 5000 });

    // Moves: the authoritative position (from the server's snapshots) follows the key.
    const x0 = (await tw(page, (t) => t.self()!.x))!;
    await page.keyboard.down('d');
    await page.waitForFunction((x) => (window as unknown as W).__tickwire.self()!.x >= x + 40, x0, { timeout: 10_000 });
    await page.keyboard.up('d');

    // An idle opponent over WebSocket joins the same match.
    const foeUser = await guest(game.server.http, 'Target');
    const matchId = (await tw(page, (t) => t.matchId))!;
    const mm = await matchmake(game.server.http, foeUser.token);
    expect(mm.matchId).toBe(matchId);
    const foe = await PlayClient.connect(mm.url, foeUser.token, mm.ticket);
    headless.push(foe);
    await foe.waitFor(() => foe.welcome, 'welcome');
    const foeId = foe.welcome!.playerId;
    await page.waitForFunction((id) => (window as unknown as W).__tickwire.players().some((p) => p.id === id && p.alive), foeId, { timeout: 10_000 });

    // Walk within range, then aim at the target and hold the button until the kill scores.
    const keyFor = (dx: number, dy: number) => (Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? 'd' : 'a') : dy > 0 ? 's' : 'w');
    for (let i = 0; i < 60; i++) {
      const ps = await tw(page, (t) => t.players());
      const me = ps.find((p) => p.self)!;
      const them = ps.find((p) => p.id === foeId)!;
      if (Math.hypot(them.x - me.x, them.y - me.y) < 220) break;
      const key = keyFor(them.x - me.x, them.y - me.y);
      await page.keyboard.down(key);
      await page.waitForTimeout(150);
      await page.keyboard.up(key);
    }
    let score = 0;
    for (let i = 0; i < 200 && score < 1; i++) {
      const them = (await tw(page, (t) => t.players())).find((p) => p.id === foeId);
      if (them?.alive && them.screen) await page.mouse.move(them.screen.x, them.screen.y);
      if (i === 0) await page.mouse.down();
      await page.waitForTimeout(100);
      score = (await tw(page, (t) => t.self()?.score ?? 0))!;
    }
    await page.mouse.up();
    writeFileSync(join(ARTIFACTS, 'e2e-polling.png'), await page.screenshot());
    expect(score).toBeGreaterThanOrEqual(1);
    // Still polling: no WebSocket ever opened for play.
    expect(await tw(page, (t) => t.stats()?.transport)).toBe('polling');
    expect(await seatTransport(page)).toBe('PollingConnection');
    expect(errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
  }, 120_000);

  it('WebSocket upgrades failing: falls back to polling after two attempts, then moves back to WebSocket when they work', async () => {
    const context = await game.newContext();
    // A page WebSocket (`?socket=page`: the Worker's own WebSocket is out of an init
    // script's reach) that fails before opening while `__blockWs` is set.
    await context.addInitScript(() => {
      const w = window as unknown as { WebSocket: typeof WebSocket; __blockWs: boolean; __wsAttempts: number };
      const Real = w.WebSocket;
      w.__blockWs = true;
      w.__wsAttempts = 0;
      const Blockable = function (url: string | URL, protocols?: string | string[]) {
        w.__wsAttempts++;
        // Port 9 (discard) on loopback: refused at once, as a proxy refusing the upgrade looks.
        return new Real(w.__blockWs ? 'ws://127.0.0.1:9/' : url, protocols);
      } as unknown as typeof WebSocket;
      Object.assign(Blockable, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3, prototype: Real.prototype });
      w.WebSocket = Blockable;
    });
    const { page, errors } = await openPage(context, `${game.server.http}/?socket=page`);
    await page.fill('#name-input', 'Blocked');
    await page.click('#quick-play');
    await page.waitForFunction(() => (window as unknown as W).__tickwire.screen === 'game' && (window as unknown as W).__tickwire.self() !== null, null, { timeout: 20_000 });
    expect(await tw(page, (t) => t.stats()?.transport)).toBe('polling');
    const playerId = await tw(page, (t) => t.playerId);
    expect(await seatTransport(page)).toBe('PollingConnection');

    // Upgrades work again: within the first probe (10 s) the seat is back on a WebSocket.
    await page.evaluate(() => ((window as unknown as { __blockWs: boolean }).__blockWs = false));
    await page.waitForFunction(() => (window as unknown as W).__tickwire.stats()?.transport === 'websocket', null, { timeout: 20_000 });
    await page.waitForFunction(() => document.querySelector('#hud-transport') !== null && (document.querySelector('#hud-transport') as HTMLElement).hidden, null, { timeout: 5000 });
    expect(await tw(page, (t) => t.playerId)).toBe(playerId);
    // The seat is on a WebSocket on the server too (the polling session was closed).
    await expect.poll(() => seatTransport(page), { timeout: 5000 }).toBe('UwsConnection');
    // The welcome on the new socket clears the client's state until the keyframe that starts
    // the new delta chain (client/matchFeed.ts): the own player is back once that arrives,
    // which on a loaded machine can be after the checks above. Awaited, not read at once.
    await page.waitForFunction(() => (window as unknown as W).__tickwire.self() !== null, null, { timeout: 5000 });
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
  }, 90_000);
});
