/// <reference lib="dom" />
import { sharedDataFile } from '@seqcast/core';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { ApiProcess, startApiProcess } from '../support/api-process';
import { chromiumPath, launchBrowser } from '../support/browser';

// The web console end to end, as a new user meets it: the api as its own process serving the
// built console, headless Chromium driving the pages. Each step asserts on what the page shows
// (the charts' data-lines / data-bands / data-points, progress values, table rows), and a
// screenshot of every page goes to var/screenshots/ (CI keeps it as an artifact).

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildConsole } = require('../../scripts/build-console.js') as {
  buildConsole: (dir?: string) => Promise<string>;
};

const ROOT = path.resolve(__dirname, '../..');
const SHOTS = path.join(ROOT, 'var', 'screenshots');
const CSV = sharedDataFile('forecasting/national_illness.csv');
const EVENTS = sharedDataFile('events/easytpp_synthetic.json');
const CHROMIUM = chromiumPath();

// CI installs Chromium (.ci/run), so there its absence is a failure; elsewhere the spec says why it skips.
const missing = [
  !CHROMIUM && 'Chromium (apt-get install chromium)',
  !CSV && 'national_illness.csv',
  !EVENTS && 'easytpp_synthetic.json',
]
  .filter(Boolean)
  .join(', ');
if (missing && !process.env.CI)
  console.warn(`console end-to-end test skipped: missing ${missing} (../shared/data holds the data)`);
const suite = missing && !process.env.CI ? describe.skip : describe;

jest.setTimeout(240_000);

suite('web console in a real browser', () => {
  let api: ApiProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (missing) throw new Error(`console end-to-end test needs ${missing}`);
    await buildConsole();
    dataDir = mkdtempSync(path.join(tmpdir(), 'seqcast-console-'));
    api = await startApiProcess({ DATA_DIR: dataDir, SQLITE_PATH: path.join(dataDir, 'seqcast.db') });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    api?.proc.child.kill('SIGTERM');
    await api?.proc.exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => expect(pageErrors).toEqual([]));

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const attr = (selector: string, name: string) =>
    page.$eval(selector, (el, n) => el.getAttribute(n as string) ?? '', name);
  const testId = (id: string) => `[data-testid="${id}"]`;
  const currentHash = () => page.evaluate(() => location.hash);

  let datasetId = '';
  let modelId = '';

  it('opens at / on the datasets page and uploads a CSV with a progress bar', async () => {
    await page.goto(`${api.url}/`, { waitUntil: 'networkidle0' });
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await page.waitForSelector(testId('upload-file'));
    const input = (await page.$(`input${testId('upload-file')}`)) as ElementHandle<HTMLInputElement> | null;
    await input!.uploadFile(CSV!);
    await page.$eval(testId('upload-name'), (el) => ((el as HTMLInputElement).value = ''));
    await page.type(testId('upload-name'), 'ili');
    await page.click(testId('upload-submit'));
    await page.waitForSelector(`${testId('upload-progress')}[data-progress="100"]`);
    await page.waitForFunction(() => /^#\/datasets\/[0-9a-f-]{36}/.test(location.hash));
    datasetId = (await currentHash()).split('/')[2].split('?')[0];
    await page.waitForSelector(testId('series-chart'));
    // national_illness.csv: 966 weekly rows; the chart shows the first value column's every row
    const points = (await attr(`${testId('series-chart')} .chart-host`, 'data-points'))
      .split('|')
      .map(Number);
    expect(points[0]).toBe(966);
    await shot('dataset');
    await page.goto(`${api.url}/ui/#/datasets`, { waitUntil: 'networkidle0' });
    await page.waitForSelector(`${testId('dataset-row')}[data-id="${datasetId}"]`);
    await shot('datasets');
  });

  it('creates and trains a model, the progress reaching 100% beside a loss curve', async () => {
    await page.goto(`${api.url}/ui/#/models`, { waitUntil: 'networkidle0' });
    await page.waitForSelector(testId('model-create'));
    await page.select(testId('model-kind'), 'ar-net');
    await page.select(testId('model-dataset'), datasetId);
    await page.waitForSelector(`${testId('model-column')} option[value="OT"]`);
    await page.select(testId('model-column'), 'OT');
    await page.$eval('#cfg-epochs', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#cfg-epochs', '20');
    await page.click(testId('model-submit'));
    await page.waitForFunction(() => /^#\/models\/[0-9a-f-]{36}/.test(location.hash));
    modelId = (await currentHash()).split('/')[2].split('?')[0];
    await page.click(testId('train-button'));
    await page.waitForSelector(`${testId('train-progress')}[data-progress="100"]`, { timeout: 180_000 });
    await page.waitForSelector(testId('loss-chart'));
    const points = Number(
      await attr(`${testId('loss-chart')} .chart-host`, 'data-points').then((p) => p.split('|')[0]),
    );
    expect(points).toBeGreaterThan(1);
    await shot('model');
    await page.goto(`${api.url}/ui/#/models`, { waitUntil: 'networkidle0' });
    await page.waitForSelector(`${testId('model-row')}[data-id="${modelId}"]`);
    await shot('models');
  });

  it('shows the forecast with its history and an interval band', async () => {
    await page.goto(`${api.url}/ui/#/forecast?model=${modelId}`, { waitUntil: 'networkidle0' });
    await page.waitForSelector(testId('forecast-submit'));
    await page.click(testId('forecast-submit'));
    // a point model: its forecast first comes without intervals, until a conformal calibrator is added
    await page.waitForSelector(`${testId('forecast-chart')} .chart-host[data-lines]`, { timeout: 60_000 });
    expect(await attr(`${testId('forecast-chart')} .chart-host`, 'data-bands')).toBe('');
    await page.click(testId('calibrate-button'));
    await page.waitForSelector(`${testId('calibrate-progress')}[data-progress="100"]`, { timeout: 180_000 });
    await page.waitForFunction(
      (sel) => {
        const el = document.querySelector(sel);
        return !!el && (el.getAttribute('data-bands') ?? '') !== '';
      },
      { timeout: 180_000 },
      `${testId('forecast-chart')} .chart-host`,
    );
    const lines = (await attr(`${testId('forecast-chart')} .chart-host`, 'data-lines')).split('|');
    expect(lines).toContain('history');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const points = (await attr(`${testId('forecast-chart')} .chart-host`, 'data-points'))
      .split('|')
      .map(Number);
    expect(points.every((n) => n > 0)).toBe(true);
    // the chart's canvas was drawn at the chart's size
    const canvas = await page.$eval(`${testId('forecast-chart')} canvas`, (c) => [
      (c as HTMLCanvasElement).width,
      (c as HTMLCanvasElement).height,
    ]);
    expect(canvas[0]).toBeGreaterThan(300);
    await shot('forecast');
    // a phone's width: the page reflows, nothing wider than the screen but the tables that scroll inside their box
    await page.setViewport({ width: 390, height: 844 });
    await page.waitForFunction(
      (sel) => (document.querySelector(sel)?.clientWidth ?? 999) <= 390,
      {},
      `${testId('forecast-chart')} .chart-host`,
    );
    // the chart's canvas follows its box on the next ResizeObserver callback, a frame or more
    // after the box itself shrank: give the reflow a moment before measuring the page
    await page
      .waitForFunction(() => document.documentElement.scrollWidth <= 390, { timeout: 5000 })
      .catch(() => undefined);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('forecast-phone');
    await page.setViewport({ width: 1280, height: 900 });
  });

  it('draws an event dataset as a timeline by type', async () => {
    const res = await fetch(`${api.url}/datasets?name=synthetic-events&kind=events&format=easytpp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: await import('fs').then((fs) => fs.readFileSync(EVENTS!)),
    });
    expect(res.status).toBeLessThan(300);
    const ds = (await res.json()) as { id?: string; dataset?: { id: string } };
    const id = ds.dataset?.id ?? ds.id;
    await page.goto(`${api.url}/ui/#/events?dataset=${id}`, { waitUntil: 'networkidle0' });
    await page.waitForSelector(`${testId('event-timeline')} .chart-host[data-lines]`);
    const types = (await attr(`${testId('event-timeline')} .chart-host`, 'data-lines')).split('|');
    expect(types.length).toBeGreaterThanOrEqual(2);
    await shot('events');
  });

  it('lists the jobs and the evaluations pages without errors', async () => {
    await page.goto(`${api.url}/ui/#/jobs`, { waitUntil: 'networkidle0' });
    await page.waitForSelector(testId('job-row'));
    await shot('jobs');
    await page.goto(`${api.url}/ui/#/evaluations`, { waitUntil: 'networkidle0' });
    await shot('evaluations');
  });
});
