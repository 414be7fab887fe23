import { NotFound, ValidationFailed, sharedDataDir } from '@seqcast/core';
import { existsSync } from 'fs';
import * as path from 'path';
import { splitSequences } from '../data/dataset-utils';
import { loadEarthquakes } from '../data/load-earthquakes';
import { loadEasyTpp } from '../data/load-easytpp';
import { DEFAULT_HAWKES, HawkesParams } from '../hawkes/hawkes-params';
import { simulateHawkes } from '../hawkes/simulate';
import { EventDataset } from '../types';
import { DatasetSource } from './tpp-eval-config';

export interface LoadedSplits {
  numTypes: number;
  train: EventDataset;
  dev: EventDataset;
  test: EventDataset;
  /** The generating process when known (simulations). */
  truth?: HawkesParams;
}

function resolvePath(p: string, baseDir: string): string {
  const f = path.resolve(baseDir, p.replace('${SHARED_DATA}', sharedDataDir()));
  if (!existsSync(f)) throw new NotFound(`No such file ${f}`, [{ field: 'file', reason: `not found: ${f}` }]);
  return f;
}

export function loadSplits(source: DatasetSource, baseDir: string): LoadedSplits {
  switch (source.kind) {
    case 'hawkes':
      return simulatedSplits(source);
    case 'easytpp':
      return easyTppSplits(source, baseDir);
    case 'earthquakes':
      return earthquakeSplits(source, baseDir);
    case 'inline': {
      const K = source.numTypes;
      return { numTypes: K, train: { numTypes: K, sequences: source.train }, dev: { numTypes: K, sequences: source.dev ?? [] }, test: { numTypes: K, sequences: source.test } };
    }
    case 'dataset':
      throw new ValidationFailed('A stored dataset is read by the server: send this config to POST /evaluations/tpp (seqcast eval tpp runs without the server)', [
        { field: 'source.kind', reason: 'dataset sources need the server' },
      ]);
  }
}

type SourceOf<K extends DatasetSource['kind']> = Extract<DatasetSource, { kind: K }>;

function simulatedSplits(source: SourceOf<'hawkes'>): LoadedSplits {
  const params = source.params ?? DEFAULT_HAWKES;
  const seed = source.seed ?? 1;
  const opts = { endTime: source.endTime ?? 70 };
  const train = simulateHawkes(params, source.train ?? 700, seed, opts);
  const dev = simulateHawkes(params, source.dev ?? 100, seed + 1000, opts);
  const test = simulateHawkes(params, source.test ?? 300, seed + 2000, opts);
  return { numTypes: params.mu.length, train, dev, test, truth: params };
}

function easyTppSplits(source: SourceOf<'easytpp'>, baseDir: string): LoadedSplits {
  if (source.train) {
    const train = loadEasyTpp(resolvePath(source.train, baseDir));
    const dev = source.dev ? loadEasyTpp(resolvePath(source.dev, baseDir)) : { numTypes: train.numTypes, sequences: [] };
    const test = loadEasyTpp(resolvePath(source.test ?? source.train, baseDir));
    const K = Math.max(train.numTypes, dev.numTypes, test.numTypes);
    return { numTypes: K, train: { ...train, numTypes: K }, dev: { ...dev, numTypes: K }, test: { ...test, numTypes: K } };
  }
  const all = loadEasyTpp(resolvePath(source.file!, baseDir));
  const [a, b, c] = splitSequences(all.sequences, source.split ?? [0.6, 0.2, 0.2], source.seed ?? 0);
  const K = all.numTypes;
  return { numTypes: K, train: { numTypes: K, sequences: a }, dev: { numTypes: K, sequences: b }, test: { numTypes: K, sequences: c } };
}

function earthquakeSplits(source: SourceOf<'earthquakes'>, baseDir: string): LoadedSplits {
  const all = loadEarthquakes(resolvePath(source.file, baseDir), { windowDays: source.windowDays, magnitudeBins: source.magnitudeBins, maxEvents: source.maxEvents });
  // windows in time order: train on the past, test on the future
  const f = source.split ?? [0.7, 0.1, 0.2];
  const n = all.sequences.length;
  const total = f[0] + f[1] + f[2];
  const nTrain = Math.round((f[0] / total) * n);
  const nDev = Math.round((f[1] / total) * n);
  const K = all.numTypes;
  return {
    numTypes: K,
    train: { numTypes: K, sequences: all.sequences.slice(0, nTrain) },
    dev: { numTypes: K, sequences: all.sequences.slice(nTrain, nTrain + nDev) },
    test: { numTypes: K, sequences: all.sequences.slice(nTrain + nDev) },
  };
}
