/**
 * Debian Chromium for the browser tests: one launch configuration (headless, WebGL on
 * SwiftShader, no sandbox in containers; no --user-data-dir, so every context is a fresh
 * profile with its own localStorage, i.e. its own guest), pages that collect console errors,
 * and a pixel counter for screenshots (decoded in the page: no PNG library needed).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/setup-test-tools.sh`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions, as they happen. */
  errors: string[];
  context: BrowserContext;
}

/** Opens `url` in a new page of `context`, collecting console errors and page errors. */
export async function openPage(context: BrowserContext, url: string): Promise<OpenedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  return { page, errors, context };
}

/** Counts screenshot pixels within a small distance of each colour (0xRRGGBB). */
export async function colourCounts(page: Page, png: Buffer, colours: Record<string, number>): Promise<Record<string, number> & { total: number }> {
  return page.evaluate(
    async ({ b64, colours }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      const out: Record<string, number> = { total: c.width * c.height };
      for (const k of Object.keys(colours)) out[k] = 0;
      for (let i = 0; i < data.length; i += 4) {
        for (const [k, v] of Object.entries(colours)) {
          const dr = data[i] - ((v >> 16) & 255);
          const dg = data[i + 1] - ((v >> 8) & 255);
          const db = data[i + 2] - (v & 255);
          if (dr * dr + dg * dg + db * db < 12 * 12) out[k]++;
        }
      }
      return out as Record<string, number> & { total: number };
    },
    { b64: png.toString('base64'), colours },
  );
}
