import { sharedDataPath } from '@seqcast/core';
import type { SequenceEvalConfig, SequenceSource } from './sequence-eval-config';
import { resolveDataPath } from './sequence-eval-config';
import { hawkesPairDataset } from './datasets/hawkes-pair';
import { pendulumDataset } from './datasets/pendulum';
import type { SequenceDataset } from './datasets/sequence-dataset';
import { ueaClassification } from './datasets/uea-ts-file';

/** JapaneseVowels' official TRAIN and TEST files in the shared data folder. */
export const JAPANESE_VOWELS = {
  train: () => sharedDataPath('sequences', 'JapaneseVowels_TRAIN.ts'),
  test: () => sharedDataPath('sequences', 'JapaneseVowels_TEST.ts'),
};

/** Reads or generates one dataset of a config. */
export function loadSequenceDataset(name: string, source: SequenceSource, baseDir: string): SequenceDataset {
  switch (source.kind) {
    case 'uea':
      return {
        ...ueaClassification(
          name,
          resolveDataPath(source.train, baseDir),
          resolveDataPath(source.test, baseDir),
        ),
        name,
      };
    case 'japanese_vowels':
      return ueaClassification(name, JAPANESE_VOWELS.train(), JAPANESE_VOWELS.test());
    case 'pendulum':
      return { ...pendulumDataset(source), name };
    case 'hawkes_pair':
      return { ...hawkesPairDataset(source), name };
    case 'inline':
      return {
        name,
        schema: { ...source.schema, categoricalCardinalities: source.schema.categoricalCardinalities ?? [] },
        pool: source.pool,
        test: source.test,
      };
  }
}

export function loadSequenceDatasets(config: SequenceEvalConfig): SequenceDataset[] {
  return config.datasets.map((d) => loadSequenceDataset(d.name, d.source, config.baseDir));
}
