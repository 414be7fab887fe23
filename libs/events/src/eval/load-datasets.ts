import { NotFound, sharedDataDir } from '@seqcast/core';
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
  if (source.kind === 'hawkes') {
    const params = source.params ?? DEFAULT_HAWKES;
    const seed = source.seed ?? 1;
    const opts = { endTime: source.endTime ?? 70 };
    const train = simulateHawkes(params, source.train ?? 700, seed, opts);
    const dev = simulateHawkes(params, source.dev ?? 100, seed + 1000, opts);
    const test = simulateHawkes(params, source.test ?? 300, seed + 2000, opts);
    return { numTypes: params.mu.length, train, dev, test, truth: params };
  }
  if (source.kind === 'easytpp') {
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
