import type { EventDataset, LogLikelihoodResult, RegisteredEventModel } from '@seqcast/events';
import { PredictionMetrics, predictionMetrics } from './metrics';

/** Points per gap for sampled integrals and draws per prediction when nobody says (EasyTPP's 20). */
export const TPP_SCORE_DEFAULTS = { integralPoints: 20, predictSamples: 50 } as const;

/**
 * A fitted model scored on test sequences: the log-likelihood per event (in the unit the
 * sequences' times are in; window LL_WINDOW) and the next-event predictions' RMSE and type
 * error. The evaluation and the training job both score through here with the same seed and
 * points, so a model trained by either on the same split gives the same figures.
 */
export function scoreOnTest(
  model: RegisteredEventModel,
  test: EventDataset,
  options: { integralPoints?: number; predictSamples?: number; seed: number },
): { ll: LogLikelihoodResult; metrics: PredictionMetrics } {
  const integralPoints = options.integralPoints ?? TPP_SCORE_DEFAULTS.integralPoints;
  const samples = options.predictSamples ?? TPP_SCORE_DEFAULTS.predictSamples;
  const ll = model.logLikelihood(test, { integralPoints, seed: options.seed });
  const metrics = predictionMetrics(model.predictEachNext(test.sequences, { samples, seed: options.seed }));
  return { ll, metrics };
}
