import { NotFound, ValidationFailed, sharedDataDir } from '@seqcast/core';
import { existsSync } from 'fs';
import * as path from 'path';
import { DEFAULT_HAWKES, EventDataset, HawkesParams, simulateHawkes, splitSequences, TimeUnit } from '@seqcast/events';
import { axisBin, fitAxisBins } from './axis-bins';
import { DatasetSource, SourceTruth } from './tpp-eval-config';

export interface LoadedSplits {
  numTypes: number;
  train: EventDataset;
  dev: EventDataset;
  test: EventDataset;
  /** The generating process when known (simulations, or a file whose source names it). */
  truth?: HawkesParams;
  /** The unit of the times (and so of every LL per event and RMSE on them). */
  timeUnit: TimeUnit;
}

/** What a file-backed source asks of the reader: EasyTPP JSON, or a catalogue CSV cut into time windows. */
export interface EventFileRequest {
  format: 'easytpp' | 'csv';
  eventWindows?: { timeColumn: string; window: string; typeFrom: { column: string; bins: number[] }; features?: string[] };
}

/** A file's sequences as the reader returns them (types already 0-based ids). */
export interface EventFileData {
  numTypes: number;
  /** `features`: the requested numeric columns, [events x columns] row-major, in request order. */
  sequences: Array<{ times: ArrayLike<number>; types: ArrayLike<number>; features?: ArrayLike<number> }>;
}

/**
 * Reads the file a source names. The zoo parses no files itself: its callers (the CLI, the
 * evaluation job, the benchmarks) pass libs/data's `readEventFile`, the importers and checks
 * an upload goes through, so a file evaluated in place and the same file uploaded as a
 * dataset give the same sequences.
 */
export type EventFileReader = (file: string, request: EventFileRequest) => Promise<EventFileData>;

function resolvePath(p: string, baseDir: string): string {
  const f = path.resolve(baseDir, p.replace('${SHARED_DATA}', sharedDataDir()));
  if (!existsSync(f)) throw new NotFound(`No such file ${f}`, [{ field: 'file', reason: `not found: ${f}` }]);
  return f;
}

export async function loadSplits(source: DatasetSource, baseDir: string, readFile?: EventFileReader): Promise<LoadedSplits> {
  const readRaw = async (file: string, request: EventFileRequest): Promise<EventFileData> => {
    if (!readFile) throw new ValidationFailed('This caller reads no files: give the data inline', [{ field: 'source.kind', reason: `${source.kind} sources name a file` }]);
    return readFile(resolvePath(file, baseDir), request);
  };
  const read = async (file: string, request: EventFileRequest): Promise<EventDataset> => {
    const d = await readRaw(file, request);
    return { numTypes: d.numTypes, sequences: d.sequences.map((s) => ({ times: Array.from(s.times), types: Array.from(s.types) })) };
  };
  switch (source.kind) {
    case 'hawkes':
      return simulatedSplits(source);
    case 'easytpp':
      return easyTppSplits(source, read);
    case 'earthquakes':
      return earthquakeSplits(source, readRaw);
    case 'inline': {
      const K = source.numTypes;
      return withTruth({ numTypes: K, train: { numTypes: K, sequences: source.train }, dev: { numTypes: K, sequences: source.dev ?? [] }, test: { numTypes: K, sequences: source.test }, timeUnit: source.timeUnit ?? 'as given' }, source.truth);
    }
    case 'dataset':
      throw new ValidationFailed('A stored dataset is read by the server: send this config to POST /evaluations/tpp (seqcast eval tpp runs without the server)', [
        { field: 'source.kind', reason: 'dataset sources need the server' },
      ]);
  }
}

type SourceOf<K extends DatasetSource['kind']> = Extract<DatasetSource, { kind: K }>;
type Read = (file: string, request: EventFileRequest) => Promise<EventDataset>;
type ReadRaw = (file: string, request: EventFileRequest) => Promise<EventFileData>;

function simulatedSplits(source: SourceOf<'hawkes'>): LoadedSplits {
  const params = source.params ?? DEFAULT_HAWKES;
  const seed = source.seed ?? 1;
  const opts = { endTime: source.endTime ?? 70 };
  const train = simulateHawkes(params, source.train ?? 700, seed, opts);
  const dev = simulateHawkes(params, source.dev ?? 100, seed + 1000, opts);
  const test = simulateHawkes(params, source.test ?? 300, seed + 2000, opts);
  return { numTypes: params.mu.length, train, dev, test, truth: params, timeUnit: 'as given' };
}

async function easyTppSplits(source: SourceOf<'easytpp'>, read: Read): Promise<LoadedSplits> {
  const easy = { format: 'easytpp' } as const;
  if (source.train) {
    const train = await read(source.train, easy);
    const dev = source.dev ? await read(source.dev, easy) : { numTypes: train.numTypes, sequences: [] };
    const test = await read(source.test ?? source.train, easy);
    const K = Math.max(train.numTypes, dev.numTypes, test.numTypes);
    return withTruth({ numTypes: K, train: { ...train, numTypes: K }, dev: { ...dev, numTypes: K }, test: { ...test, numTypes: K }, timeUnit: 'as given' }, source.truth);
  }
  const all = await read(source.file!, easy);
  const [a, b, c] = splitSequences(all.sequences, source.split ?? [0.6, 0.2, 0.2], source.seed ?? 0);
  const K = all.numTypes;
  return withTruth({ numTypes: K, train: { numTypes: K, sequences: a }, dev: { numTypes: K, sequences: b }, test: { numTypes: K, sequences: c }, timeUnit: 'as given' }, source.truth);
}

/**
 * The process a file was simulated from, as its source names it: its types must cover the
 * file's (a file may lack the rarest type; the process may not lack one the file has).
 */
function withTruth(splits: LoadedSplits, truth: SourceTruth | undefined): LoadedSplits {
  if (!truth) return splits;
  const { mu, alpha, beta } = truth;
  if (mu.length < splits.numTypes) {
    throw new ValidationFailed(`The truth has ${mu.length} types; the file has ${splits.numTypes}`, [{ field: 'source.truth.mu', reason: `needs at least ${splits.numTypes} base rates` }]);
  }
  const K = mu.length;
  const widen = (d: EventDataset): EventDataset => ({ ...d, numTypes: K });
  return { ...splits, numTypes: K, train: widen(splits.train), dev: widen(splits.dev), test: widen(splits.test), truth: { mu, alpha, beta } };
}

/**
 * A catalogue CSV (`time` and `magnitude` columns, e.g. EarthquakeNPP's San Jacinto file)
 * in consecutive windows of `windowDays` (default 30) from the first event's day, times in
 * days from the window's start, types from magnitude bins (default [1.5, 2]: three classes
 * of about 71%, 20% and 8% of the San Jacinto events); windows with fewer than 2 events are
 * dropped, and each keeps its first `maxEvents` when that is set.
 */
/**
 * A catalogue cut into windows of `windowDays`, in time order 70/10/20 (train on the past, test
 * on the future). Events below `minMagnitude` are dropped (a completeness threshold) before each
 * window is capped at `maxEvents`. Types: magnitude classes cut at `magnitudeBins`, or
 * (`typeBy: position`) `positionBins` equal-count bins along the training epicentres' first
 * principal axis (columns x and y, planar; fitted on the training windows only).
 */
async function earthquakeSplits(source: SourceOf<'earthquakes'>, read: ReadRaw): Promise<LoadedSplits> {
  const bins = source.magnitudeBins ?? [1.5, 2];
  const byPosition = source.typeBy === 'position';
  const filtered = source.minMagnitude !== undefined;
  // the magnitude (and position) of each event only where the source needs them
  const columns = byPosition ? ['magnitude', 'x', 'y'] : filtered ? ['magnitude'] : undefined;
  const windows = await read(source.file, {
    format: 'csv',
    eventWindows: { timeColumn: 'time', window: `${source.windowDays ?? 30}D`, typeFrom: { column: 'magnitude', bins }, ...(columns ? { features: columns } : {}) },
  });
  const cap = source.maxEvents ?? Infinity;
  const minMagnitude = source.minMagnitude ?? -Infinity;
  const F = columns?.length ?? 0;
  const kept = windows.sequences
    .map((s) => {
      const idx: number[] = [];
      for (let i = 0; i < s.times.length && idx.length < cap; i++) if (!filtered || s.features![i * F] >= minMagnitude) idx.push(i);
      return {
        times: idx.map((i) => s.times[i]),
        types: idx.map((i) => s.types[i]),
        at: byPosition ? idx.map((i) => [s.features![i * F + 1], s.features![i * F + 2]] as const) : [],
      };
    })
    .filter((s) => s.times.length >= 2);
  if (kept.length < 3)
    throw new ValidationFailed(`Only ${kept.length} windows hold 2 or more events: too few to split into train, dev and test`, [
      { field: 'source', reason: 'lower minMagnitude or lengthen windowDays' },
    ]);
  const f = source.split ?? [0.7, 0.1, 0.2];
  const n = kept.length;
  const total = f[0] + f[1] + f[2];
  const nTrain = Math.round((f[0] / total) * n);
  const nDev = Math.round((f[1] / total) * n);
  let K = bins.length + 1;
  let sequences = kept.map((s) => ({ times: s.times, types: s.types }));
  if (byPosition) {
    K = source.positionBins ?? 3;
    const train = kept.slice(0, nTrain).flatMap((s) => s.at);
    const axis = fitAxisBins(
      train.map((p) => p[0]),
      train.map((p) => p[1]),
      K,
    );
    sequences = kept.map((s) => ({ times: s.times, types: s.at.map(([x, y]) => axisBin(axis, x, y)) }));
  }
  return {
    numTypes: K,
    timeUnit: 'days',
    train: { numTypes: K, sequences: sequences.slice(0, nTrain) },
    dev: { numTypes: K, sequences: sequences.slice(nTrain, nTrain + nDev) },
    test: { numTypes: K, sequences: sequences.slice(nTrain + nDev) },
  };
}
