/**
 * The fixture every browser test starts from: a fresh client build in a temp dir, a real
 * server serving it, and Debian Chromium. Contexts made here are fresh profiles (own
 * localStorage, so their own guest) and are closed by `closeContexts()` after each test: a
 * page left rendering on SwiftShader slows the next one.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { buildClient } from '../../game-client/bundle.mjs';
import type { ServerOptions } from '../../server/createServer.js';
import { launchChromium } from './chromium.js';
import { startTestServer, type TestServerSettings } from './testServer.js';

/** Screenshots the browser tests leave behind (git-ignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export interface BrowserGame {
  server: Awaited<ReturnType<typeof startTestServer>>;
  browser: Browser;
  /** `options`: e.g. `{ hasTouch: true, isMobile: true }` for a phone. */
  newContext(viewport?: { width: number; height: number }, options?: BrowserContextOptions): Promise<BrowserContext>;
  closeContexts(): Promise<void>;
  close(): Promise<void>;
}

/** `serverOptions`: createServer options beyond the settings, e.g. room `hooks` a test measures through. */
export async function startBrowserGame(overrides: TestServerSettings = {}, serverOptions: Partial<ServerOptions> = {}): Promise<BrowserGame> {
  const clientDir = mkdtempSync(join(tmpdir(), 'tickwire-e2e-client-'));
  const contexts: BrowserContext[] = [];
  let server: BrowserGame['server'] | null = null;
  let browser: Browser | null = null;
  const closeContexts = async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
  };
  const close = async () => {
    await closeContexts();
    await browser?.close();
    await server?.close();
    rmSync(clientDir, { recursive: true, force: true });
  };
  try {
    await buildClient({ outdir: clientDir, quiet: true });
    server = await startTestServer(
      {
        clientDir,
        botFillDelayMs: 200,
        // A long countdown: bots fill the match and walk around, but nobody shoots during a test.
        arena: { map: 'arena', countdownSeconds: 600, minPlayers: 2 },
        ...overrides,
      },
      serverOptions,
    );
    // Headless Chromium renders WebGL2 with SwiftShader here (flags in ./chromium.ts).
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  } catch (e) {
    await close();
    throw e;
  }
  const b = browser;
  return {
    server,
    browser: b,
    async newContext(viewport = { width: 1280, height: 800 }, options: BrowserContextOptions = {}) {
      const context = await b.newContext({ ...options, viewport });
      contexts.push(context);
      return context;
    },
    closeContexts,
    close,
  };
}
