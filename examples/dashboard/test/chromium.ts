// A real headless Chromium for the dashboard's tests: Debian's `chromium` package, driven by
// playwright-core (which never downloads a browser of its own; that download cannot work here).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** The browser: `CHROMIUM_PATH`, or where `apt-get install chromium` puts it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** In CI, a missing Chromium must fail the run rather than skip it. */
export const CHROMIUM_REQUIRED = process.env.TRAX_REQUIRE_CHROMIUM === '1';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the browser tests cannot run (shown in the skipped suite's name and printed), or `false`
 * when Chromium is installed. With `TRAX_REQUIRE_CHROMIUM=1` a missing Chromium throws instead.
 */
export function chromiumSkipReason(what: string): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH; TRAX_REQUIRE_CHROMIUM=1 fails instead)`;
  if (CHROMIUM_REQUIRED) throw new Error(`TRAX_REQUIRE_CHROMIUM=1 but ${reason}`);
  console.warn(`[${what} skipped] ${reason}`);
  return reason;
}

/** A headless Chromium with a fresh profile, and a page in it. */
export interface TestBrowser {
  readonly page: Page;
  /** Everything the page logged or threw, for failure messages. */
  readonly console: string[];
  close(): Promise<void>;
}

export async function launchChromium(): Promise<TestBrowser> {
  // A fresh --user-data-dir per run: no profile, cache or service worker left by another.
  const profile = await mkdtemp(join(tmpdir(), 'trax-dashboard-chromium-'));
  let context: BrowserContext;
  try {
    // launchPersistentContext is how playwright takes a user data dir of our choosing.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 860 },
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const console: string[] = [];
  page.on('console', (message) => console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => console.push(`pageerror: ${error.message}`));
  return {
    page,
    console,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
