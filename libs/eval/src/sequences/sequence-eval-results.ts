import type { Params, Trial } from './search/search-types';
import type { PairTest } from './stats/model-groups';
import type { SequenceMetric } from './sequence-metrics';

export interface MeanStd {
  values: number[];
  mean: number;
  std: number;
}

export interface SequenceModelResult {
  name: string;
  kind: string;
  /** The chosen hyperparameters and their objective (mean - std of the oriented HPO-val metric). */
  best: { params: Params; objective: number };
  trials: Trial[];
  /** Test metric of the final runs, one per seed. */
  final: MeanStd;
  /** 1 = the best group. */
  group: number;
  ablations: Partial<Record<'drop_time' | 'permute', MeanStd>>;
  /** Mean seconds of one fit in the final runs. */
  fitSeconds: number;
}

export interface SequenceDatasetResult {
  name: string;
  metric: SequenceMetric;
  higherIsBetter: boolean;
  sizes: { train: number; valid: number; hpoValid: number; test: number };
  models: SequenceModelResult[];
  tests: PairTest[];
}

export interface SequenceEvalResult {
  settings: {
    budget: string;
    hpo: { method: string; trials: number; seeds: number };
    seeds: number;
    ablationSeeds: number;
    maxEpochs: number;
    alpha: number;
  };
  datasets: SequenceDatasetResult[];
  /** Mean group rank per model over the datasets. */
  meanRanks: Record<string, number>;
  /** The Markdown report. */
  table: string;
  seconds: number;
}

export function meanStd(values: number[]): MeanStd {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  // sample standard deviation (n - 1), 0 for one value
  const std =
    values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { values, mean, std };
}
