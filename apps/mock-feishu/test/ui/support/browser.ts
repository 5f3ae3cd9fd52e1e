import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it with apt-get when it is missing. Never a downloaded browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// Headless as root on a closed network: without the background-networking flags Chromium keeps
// trying to reach Google's services and fills the log with refused connections.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Playwright gives every launch a fresh temporary profile (user-data dir), removed on close. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (.ci/run does this)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface InspectorPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far; every test expects none. */
  errors: string[];
}

export async function openPage(
  browser: Browser,
  viewport = { width: 1280, height: 860 },
): Promise<InspectorPage> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  // Auto-waiting locators wait this long for the page to catch up (it reads the emulator every second).
  page.setDefaultTimeout(20_000);
  return { context, page, errors };
}
