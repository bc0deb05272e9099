/**
 * A headless Chromium for the tests that look at a rendered page, found without apt:
 * `CHROMIUM=/path` when set, else Debian's `/usr/bin/chromium` when installed, else the browser
 * that `@sparticuz/chromium` (a devDependency) carries inside its npm package and unpacks to the
 * temp folder on first use. It is driven through playwright-core: that build hangs in Chromium's
 * own `--screenshot` mode, and the DevTools protocol works the same for all three.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Flags for a closed network: no background connections, no sandbox (tests run as root). */
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
];

async function executablePath(): Promise<{ path: string; args: string[] }> {
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM=${fromEnv} does not exist`);
    return { path: fromEnv, args: [] };
  }
  if (existsSync('/usr/bin/chromium')) return { path: '/usr/bin/chromium', args: [] };
  const { default: bundled } = await import('@sparticuz/chromium');
  bundled.setGraphicsMode = false;
  // Its own flag list is tuned for AWS Lambda; keep only what a desktop headless run needs.
  return { path: await bundled.executablePath(), args: ['--single-process', '--no-zygote'] };
}

/** Screenshot of a file:// or http:// page at the given viewport, as PNG bytes. */
export async function screenshot(url: string, width: number, height: number): Promise<Buffer> {
  const { path, args } = await executablePath();
  const browser: Browser = await chromium.launch({ executablePath: path, args: [...FLAGS, ...args], timeout: 180_000 });
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(url, { waitUntil: 'load' });
    return await page.screenshot({ type: 'png' });
  } finally {
    await browser.close();
  }
}
