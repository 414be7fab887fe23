import { classificationScore, type ClassificationScore } from './classification-score';
import { marginalScore, type MarginalScore } from './marginal-score';
import type { MetricTrainingBudget } from './metric-training';
import { predictionScore, type PredictionScore } from './prediction-score';
import type { SequenceSet } from './sequence-set';

export interface GenerationScoreOptions {
  /** Seeds both metric networks (the discriminator's split, initialisation and batches). */
  seed?: number;
  /** Defaults to LS4's: 100 epochs, batch 128, lr 0.01. */
  budget?: Partial<MetricTrainingBudget>;
  predictionSteps?: number;
  predictionActivation?: 'identity' | 'sigmoid';
}

export interface GenerationScores {
  marginal: MarginalScore;
  classification: ClassificationScore;
  prediction: PredictionScore;
}

/**
 * LS4's three generation metrics (metrics.py, compute_all_metrics) of one generated set
 * against the real one: marginal (lower is better), classification (higher is better),
 * prediction (lower is better). The reference draws as many generated sequences as real ones,
 * of the same length.
 */
export function generationScores(
  real: SequenceSet,
  generated: SequenceSet,
  options: GenerationScoreOptions = {},
): GenerationScores {
  const seed = options.seed ?? 0;
  return {
    marginal: marginalScore(real, generated),
    classification: classificationScore(real, generated, { seed, budget: options.budget }),
    prediction: predictionScore(real, generated, {
      seed,
      budget: options.budget,
      steps: options.predictionSteps,
      activation: options.predictionActivation,
    }),
  };
}
