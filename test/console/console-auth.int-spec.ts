/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Browser } from 'puppeteer-core';
import { ApiProcess, startApiProcess } from '../support/api-process';
import { chromiumPath, launchBrowser } from '../support/browser';
import { cliKey } from '../support/load';

// The console on a server that requires API keys: the page loads without one, the first refused
// call opens the key box, and the key entered there is sent with every call for the rest of the
// browser tab's session (sessionStorage), a reload included, and nowhere else.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildConsole } = require('../../scripts/build-console.js') as {
  buildConsole: (dir?: string) => Promise<string>;
};

const CHROMIUM = chromiumPath();
if (!CHROMIUM && !process.env.CI)
  console.warn('console auth test skipped: no Chromium (apt-get install chromium)');
const suite = !CHROMIUM && !process.env.CI ? describe.skip : describe;

jest.setTimeout(120_000);

suite('web console with AUTH=required', () => {
  let api: ApiProcess;
  let browser: Browser;
  let dataDir: string;
  let key: string;

  beforeAll(async () => {
    await buildConsole();
    dataDir = mkdtempSync(path.join(tmpdir(), 'seqcast-console-auth-'));
    const env = { DATA_DIR: dataDir, SQLITE_PATH: path.join(dataDir, 'seqcast.db'), AUTH: 'required' };
    key = await cliKey(env, 'read');
    api = await startApiProcess({ ...env, SEQCAST_DEMO_DATA: 'true' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    api?.proc.child.kill('SIGTERM');
    await api?.proc.exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for a key once, then shows the data with it, across a reload of the tab', async () => {
    const page = await browser.newPage();
    const sentKeys: (string | undefined)[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${api.url}/datasets`)) sentKeys.push(r.headers()['authorization']);
    });
    await page.goto(`${api.url}/`, { waitUntil: 'networkidle0' });
    // the page is served without a key; its first API call is refused and the key box opens
    await page.waitForSelector('.keyform input[type="password"]');
    expect(await page.$eval('.keyform', (f) => f.textContent ?? '')).toContain('needs an API key');
    expect(await page.$('[data-testid="dataset-row"]')).toBeNull();
    await page.type('.keyform input[type="password"]', key);
    await page.click('.keyform button[type="submit"]');
    await page.waitForSelector('[data-testid="dataset-row"][data-name="co2-concentration"]');
    expect(sentKeys[0]).toBeUndefined();
    expect(sentKeys.at(-1)).toBe(`Bearer ${key}`);
    // kept for the tab's session: a reload needs no key again
    await page.reload({ waitUntil: 'networkidle0' });
    await page.waitForSelector('[data-testid="dataset-row"][data-name="co2-concentration"]');
    expect(await page.$('.keyform')).toBeNull();
    expect(await page.evaluate(() => sessionStorage.getItem('seqcast.apiKey'))).toBe(key);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });
});
