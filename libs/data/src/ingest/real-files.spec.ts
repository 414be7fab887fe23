import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatasetStore } from '../store/dataset-store';
import { IssueCollector } from '../validation/issues';
import { InputFormat, SourceOptions, openSource } from './open-source';
import { IngestOptions, ingestBatches } from './ingest';
import { describeIfData, sharedFile } from '../testing/shared-data';
import { loadEventSequences, loadSeriesFrames } from '../pipeline/load';

let dir: string;
let store: DatasetStore;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-real-'));
  store = new DatasetStore(dir, { fsync: false });
  await store.init();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function ingestFile(
  rel: string,
  format: InputFormat,
  options: Partial<SourceOptions> & Partial<IngestOptions> = {},
) {
  const issues = new IssueCollector();
  const kind = options.kind ?? 'series';
  const { source } = await openSource(
    fs.createReadStream(sharedFile(rel)),
    { format, kind, ...options } as SourceOptions,
    issues,
  );
  return ingestBatches(store, source, { kind, issues, ...options });
}

/** Lines of a text file that satisfy `pred`: an independent count to check the importers against. */
function countLines(rel: string, pred: (line: string) => boolean): number {
  return fs.readFileSync(sharedFile(rel), 'latin1').split('\n').filter(pred).length;
}

describeIfData(
  'real files: forecasting CSV',
  ['forecasting/ETTh2.csv', 'forecasting/exchange_rate.csv'],
  () => {
    it('loads ETTh2: 17420 hourly rows, one series, 7 value columns, 2016-07-01 to 2018-06-26 19:00', async () => {
      const v = await ingestFile('forecasting/ETTh2.csv', 'csv');
      expect(v.rowCount).toBe(17420);
      expect(v.seriesCount).toBe(1);
      expect(v.frequency).toBe('1h');
      expect(v.schema.kind === 'series' && v.schema.valueColumns).toEqual([
        'HUFL',
        'HULL',
        'MUFL',
        'MULL',
        'LUFL',
        'LULL',
        'OT',
      ]);
      // 17419 hours after the first stamp: 725 days and 19 hours.
      expect(new Date(v.timeStart!).toISOString()).toBe('2016-07-01T00:00:00.000Z');
      expect(new Date(v.timeEnd!).toISOString()).toBe('2018-06-26T19:00:00.000Z');
      expect(v.stats.gaps).toMatchObject({ count: 0, irregular: 0 });
      const frames = await loadSeriesFrames(store.readBatches(v.files), v.schema);
      // The first row of the file, read back through the store.
      expect(Array.from(frames[0].values.subarray(0, 7))).toEqual([
        41.13000106811523, 12.480999946594238, 36.5359992980957, 9.354999542236328, 4.423999786376953,
        1.3109999895095823, 38.6619987487793,
      ]);
    });

    it('loads exchange_rate with its 1990/1/1 0:00 dates as a daily series', async () => {
      const v = await ingestFile('forecasting/exchange_rate.csv', 'csv');
      expect(v.rowCount).toBe(countLines('forecasting/exchange_rate.csv', (l) => /^\d{4}\//.test(l)));
      expect(v.frequency).toBe('1D');
      expect(new Date(v.timeStart!).toISOString()).toBe('1990-01-01T00:00:00.000Z');
    });
  },
);

describeIfData(
  'real files: Monash .tsf',
  ['forecasting/monash/m1_monthly_dataset.tsf', 'forecasting/monash/us_births_dataset.tsf'],
  () => {
    const cases: [string, number, string][] = [
      ['m1_monthly_dataset.tsf', 617, '1M'],
      ['tourism_monthly_dataset.tsf', 366, '1M'],
      ['electricity_weekly_dataset.tsf', 321, '1W'],
      ['fred_md_dataset.tsf', 107, '1M'],
      ['us_births_dataset.tsf', 1, '1D'],
      ['saugeenday_dataset.tsf', 1, '1D'],
    ];
    it.each(cases)('loads %s: %i series at %s', async (file, series, freq) => {
      const rel = `forecasting/monash/${file}`;
      const v = await ingestFile(rel, 'tsf');
      expect(v.seriesCount).toBe(series);
      expect(v.frequency).toBe(freq);
      // Observations: the comma-separated values on each data line.
      const text = fs.readFileSync(sharedFile(rel), 'latin1');
      const data = text
        .slice(text.indexOf('@data') + 5)
        .split('\n')
        .filter((l) => l.trim());
      expect(data).toHaveLength(series);
      expect(v.rowCount).toBe(data.reduce((n, l) => n + l.split(':').pop()!.split(',').length, 0));
    });

    it('us_births holds 7305 days from 1969-01-01 (the file header says so)', async () => {
      const v = await ingestFile('forecasting/monash/us_births_dataset.tsf', 'tsf');
      expect(v.rowCount).toBe(7305);
      expect(new Date(v.timeStart!).toISOString()).toBe('1969-01-01T00:00:00.000Z');
      expect(new Date(v.timeEnd!).toISOString()).toBe('1988-12-31T00:00:00.000Z');
    });

    it('saugeenday holds 23741 days', async () => {
      const v = await ingestFile('forecasting/monash/saugeenday_dataset.tsf', 'tsf');
      expect(v.rowCount).toBe(23741);
    });
  },
);

describeIfData(
  'real files: events and sequences',
  ['events/easytpp_synthetic.json', 'events/sanjac_earthquakes.csv', 'sequences/JapaneseVowels_TRAIN.ts'],
  () => {
    it('loads the EasyTPP synthetic set: 8 sequences, 299 events, 3 types', async () => {
      const v = await ingestFile('events/easytpp_synthetic.json', 'easytpp', { kind: 'events' });
      expect(v.seriesCount).toBe(8);
      expect(v.eventCount).toBe(299);
      const loaded = await loadEventSequences(store.readBatches(v.files), v.schema);
      expect(loaded.numTypes).toBe(3);
      const raw = JSON.parse(fs.readFileSync(sharedFile('events/easytpp_synthetic.json'), 'utf8')) as {
        time_since_start: number[];
        type_event: number[];
      }[];
      expect(Array.from(loaded.sequences[0].times)).toEqual(raw[0].time_since_start);
      expect(Array.from(loaded.sequences[0].types)).toEqual(raw[0].type_event);
    });

    it('loads JapaneseVowels: 270 train and 370 test sequences of 12 dimensions, 9 classes, lengths 7 to 29', async () => {
      for (const [file, n] of [
        ['sequences/JapaneseVowels_TRAIN.ts', 270],
        ['sequences/JapaneseVowels_TEST.ts', 370],
      ] as const) {
        const v = await ingestFile(file, 'ts', { kind: 'events' });
        expect(v.seriesCount).toBe(n);
        expect(v.schema.kind === 'events' && v.schema.numericFeatures).toHaveLength(12);
        const { sequences } = await loadEventSequences(store.readBatches(v.files), v.schema);
        expect(new Set(sequences.map((s) => s.target)).size).toBe(9);
        const lengths = sequences.map((s) => s.times.length);
        expect(Math.min(...lengths)).toBeGreaterThanOrEqual(7);
        expect(Math.max(...lengths)).toBeLessThanOrEqual(29);
      }
    });

    it('cuts the San Jacinto catalogue into yearly sequences: 21291 events, per-year counts as in the file', async () => {
      const v = await ingestFile('events/sanjac_earthquakes.csv', 'csv', {
        kind: 'events',
        eventWindows: {
          timeColumn: 'time',
          window: '1Y',
          typeFrom: { column: 'magnitude', bins: [2, 3] },
          timeUnit: 'D',
          features: ['longitude', 'latitude', 'magnitude'],
        },
      });
      expect(v.eventCount).toBe(21291);
      const years = Array.from({ length: 10 }, (_, i) => 2008 + i);
      expect(v.seriesCount).toBe(10);
      const series = await store.readSeries(v.files);
      for (const y of years) {
        const expected = countLines('events/sanjac_earthquakes.csv', (l) =>
          l.split(',')[1]?.startsWith(`${y}-`),
        );
        expect(series.find((s) => s.key === `${y}-01-01T00:00:00.000Z`)?.rows).toBe(expected);
      }
      // Types: magnitude below 2, in [2, 3), at least 3.
      const magnitudes = fs
        .readFileSync(sharedFile('events/sanjac_earthquakes.csv'), 'latin1')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => Number(l.split(',')[4]));
      const top = (v.stats.columns.type as { top: Record<string, number> }).top;
      expect(top['2']).toBe(magnitudes.filter((m) => m >= 3).length);
      expect(top['0']).toBe(magnitudes.filter((m) => m < 2).length);
    });
  },
);
