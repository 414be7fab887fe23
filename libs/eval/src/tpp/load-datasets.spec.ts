import { NotFound, ValidationFailed } from '@seqcast/core';
import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EventFileData, EventFileReader, EventFileRequest, loadSplits } from './load-datasets';
import { validateTppEvalConfig } from './tpp-eval-config';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tpp-sources-'));
for (const f of ['quakes.csv', 'all.json', 'train.json', 'test.json']) writeFileSync(path.join(dir, f), '');

/** A reader that records what it was asked and answers with fixed windows. */
function recording(answer: (file: string) => EventFileData) {
  const asked: Array<[string, EventFileRequest]> = [];
  const read: EventFileReader = async (file, request) => {
    asked.push([path.basename(file), request]);
    return answer(path.basename(file));
  };
  return { asked, read };
}

const seq = (n: number, type = 0) => ({ times: Float64Array.from({ length: n }, (_, i) => i), types: Int32Array.from({ length: n }, () => type) });

describe('loadSplits for file sources', () => {
  it('asks for a catalogue in windows of windowDays with magnitude bins, drops single-event windows, caps each at maxEvents, splits in time order', async () => {
    const windows = [seq(5), seq(1), seq(3, 1), seq(4, 2), seq(2), seq(6), seq(1), seq(3)];
    const { asked, read } = recording(() => ({ numTypes: 3, sequences: windows }));
    const d = await loadSplits({ kind: 'earthquakes', file: 'quakes.csv', windowDays: 7, magnitudeBins: [2, 3], maxEvents: 4, split: [4, 1, 1] }, dir, read);
    expect(asked).toEqual([['quakes.csv', { format: 'csv', eventWindows: { timeColumn: 'time', window: '7D', typeFrom: { column: 'magnitude', bins: [2, 3] } } }]]);
    expect(d.numTypes).toBe(3);
    // 6 windows of at least 2 events, capped at 4; 4 / 1 / 1 in their order
    expect(d.train.sequences.map((s) => s.times.length)).toEqual([4, 3, 4, 2]);
    expect(d.dev.sequences.map((s) => s.times.length)).toEqual([4]);
    expect(d.test.sequences.map((s) => s.times.length)).toEqual([3]);
    expect(d.train.sequences[1]).toEqual({ times: [0, 1, 2], types: [1, 1, 1] });
  });

  it("defaults to 30-day windows and the bins [1.5, 2]", async () => {
    const { asked, read } = recording(() => ({ numTypes: 3, sequences: [seq(2), seq(2), seq(2)] }));
    await loadSplits({ kind: 'earthquakes', file: 'quakes.csv' }, dir, read);
    expect(asked[0][1].eventWindows).toEqual({ timeColumn: 'time', window: '30D', typeFrom: { column: 'magnitude', bins: [1.5, 2] } });
  });

  /** A window of events with (magnitude, x, y) features: positions t along the line y = x / 2. */
  const located = (mags: number[], ts: number[]) => ({
    times: Float64Array.from(mags.map((_, i) => i)),
    types: Int32Array.from(mags.map(() => 0)),
    features: Float64Array.from(mags.flatMap((m, i) => [m, ts[i] * 2, ts[i]])),
  });

  it('types by thirds along the training epicentres\' principal axis, cuts fitted on the training windows only', async () => {
    // training positions 0..11 (four windows of three), dev and test outside and inside that range
    const train = [0, 1, 2, 3].map((w) => located([1, 1, 1], [3 * w, 3 * w + 1, 3 * w + 2]));
    const windows = [...train, located([1, 1], [-50, 50]), located([1, 1, 1], [3.5, 4, 8])];
    const { asked, read } = recording(() => ({ numTypes: 3, sequences: windows }));
    const d = await loadSplits({ kind: 'earthquakes', file: 'quakes.csv', typeBy: 'position', split: [4, 1, 1] }, dir, read);
    expect(asked[0][1].eventWindows?.features).toEqual(['magnitude', 'x', 'y']);
    expect(d.numTypes).toBe(3);
    // 12 training positions: the cuts are the 4th and 8th order statistics (4 and 8), so 0-3 | 4-7 | 8-11
    expect(d.train.sequences.flatMap((s) => s.types)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(d.dev.sequences[0].types).toEqual([0, 2]);
    expect(d.test.sequences[0].types).toEqual([0, 1, 2]);
  });

  it('drops events below minMagnitude before capping each window at maxEvents', async () => {
    const windows = [located([1, 2, 1.2, 2.5, 3], [0, 0, 0, 0, 0]), located([1, 1.7], [0, 0]), located([2, 2], [0, 0]), located([1.9, 4], [0, 0])];
    const { asked, read } = recording(() => ({ numTypes: 3, sequences: windows.map((w) => ({ ...w, features: Float64Array.from(w.features.filter((_, i) => i % 3 === 0)) })) }));
    const d = await loadSplits({ kind: 'earthquakes', file: 'quakes.csv', minMagnitude: 1.5, magnitudeBins: [2, 3], maxEvents: 2, split: [1, 1, 1] }, dir, read);
    expect(asked[0][1].eventWindows?.features).toEqual(['magnitude']);
    // window 1 keeps its events 1 and 3 (magnitudes 2 and 2.5) and stops at 2; window 2 keeps one event and is dropped
    expect(d.train.sequences).toEqual([{ times: [1, 3], types: [0, 0] }]);
    expect(d.dev.sequences).toEqual([{ times: [0, 1], types: [0, 0] }]);
    expect(d.test.sequences).toEqual([{ times: [0, 1], types: [0, 0] }]);
  });

  it('names the bad fields of an earthquake source', () => {
    const bad = (source: Record<string, unknown>) => {
      try {
        validateTppEvalConfig({ datasets: [{ name: 'q', source: { kind: 'earthquakes', file: 'quakes.csv', ...source } }], models: ['rmtpp'] });
        return [];
      } catch (e) {
        return (e as ValidationFailed).details.map((x) => x.field);
      }
    };
    const at = 'datasets[0].source';
    expect(bad({ typeBy: 'depth' })).toEqual([`${at}.typeBy`]);
    expect(bad({ typeBy: 'position', magnitudeBins: [2] })).toEqual([`${at}.magnitudeBins`]);
    expect(bad({ positionBins: 3 })).toEqual([`${at}.positionBins`]);
    expect(bad({ typeBy: 'position', positionBins: 1 })).toEqual([`${at}.positionBins`]);
    expect(bad({ minMagnitude: 2, magnitudeBins: [2, 3] })).toEqual([`${at}.magnitudeBins`]);
    expect(bad({ minMagnitude: 1.5 })).toEqual([`${at}.magnitudeBins`]);
    expect(bad({ magnitudeBins: [2, 1.5] })).toEqual([`${at}.magnitudeBins`]);
    expect(bad({ windowDays: 0, maxEvents: 1 })).toEqual([`${at}.windowDays`, `${at}.maxEvents`]);
    expect(bad({ minMagnitude: 1.5, typeBy: 'position', positionBins: 4, windowDays: 7 })).toEqual([]);
    expect(bad({ minMagnitude: 1.5, magnitudeBins: [2, 2.5] })).toEqual([]);
  });

  it('reads EasyTPP train / dev / test files (test defaulting to train) and takes the largest type count', async () => {
    const { asked, read } = recording((f) => ({ numTypes: f === 'test.json' ? 5 : 2, sequences: [seq(3)] }));
    const d = await loadSplits({ kind: 'easytpp', train: 'train.json', test: 'test.json' }, dir, read);
    expect(asked).toEqual([
      ['train.json', { format: 'easytpp' }],
      ['test.json', { format: 'easytpp' }],
    ]);
    expect([d.numTypes, d.train.numTypes, d.dev.numTypes, d.test.numTypes]).toEqual([5, 5, 5, 5]);
    expect(d.dev.sequences).toEqual([]);
  });

  it('gives an EasyTPP file the generating process its source names (truth and bound rows follow), widened to its types', async () => {
    const { read } = recording(() => ({ numTypes: 1, sequences: [seq(3), seq(3), seq(3), seq(3), seq(3)] }));
    const truth = { kind: 'hawkes' as const, mu: [0.2, 0.1], alpha: [[0.3, 0], [0.1, 0.2]], beta: [[1, 1], [1, 1]] };
    const d = await loadSplits({ kind: 'easytpp', file: 'all.json', truth }, dir, read);
    expect(d.truth).toEqual({ mu: truth.mu, alpha: truth.alpha, beta: truth.beta });
    expect([d.numTypes, d.train.numTypes, d.test.numTypes]).toEqual([2, 2, 2]);
    expect(d.timeUnit).toBe('as given');
    const short = { ...truth, mu: [0.2], alpha: [[0.3]], beta: [[1]] };
    const three = recording(() => ({ numTypes: 3, sequences: [seq(3), seq(3), seq(3)] }));
    await expect(loadSplits({ kind: 'easytpp', file: 'all.json', truth: short }, dir, three.read)).rejects.toThrow(/truth has 1 types; the file has 3/);
  });

  it('names the bad fields of a source truth', () => {
    const bad = (truth: unknown) => {
      try {
        validateTppEvalConfig({ datasets: [{ name: 'a', source: { kind: 'easytpp', file: 'all.json', truth } }], models: ['rmtpp'] });
        return [];
      } catch (e) {
        return (e as ValidationFailed).details.map((x) => x.field);
      }
    };
    expect(bad({ kind: 'poisson' })).toEqual(['datasets[0].source.truth.kind']);
    expect(bad({ kind: 'hawkes', mu: [1], alpha: 'x', beta: [[1]] })).toEqual(['datasets[0].source.truth.alpha']);
    expect(bad({ kind: 'hawkes', mu: [-1], alpha: [[0.1]], beta: [[1]] })).toEqual(['datasets[0].source.truth.mu']);
    expect(bad({ kind: 'hawkes', mu: [1], alpha: [[0.1]], beta: [[1]] })).toEqual([]);
  });

  it('refuses a file source without a reader, and a missing file before reading it', async () => {
    await expect(loadSplits({ kind: 'easytpp', file: 'all.json' }, dir)).rejects.toThrow(ValidationFailed);
    const { asked, read } = recording(() => ({ numTypes: 1, sequences: [] }));
    await expect(loadSplits({ kind: 'easytpp', file: 'nope.json' }, dir, read)).rejects.toThrow(NotFound);
    expect(asked).toEqual([]);
  });
});
