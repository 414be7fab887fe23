import type { TrainerOptions } from '@seqcast/tensor';
import { NeuralTrainingConfig } from './training-config';

/** Early stopping's default wait, in optimizer steps: epochs of one step each would stop on noise. */
const PATIENCE_STEPS = 200;
const PATIENCE_EPOCHS = 5;

/**
 * The Trainer options of a neural event model for a training set of `sequences` rows: the
 * budget in optimizer steps rather than epochs (a 38-sequence set is one step an epoch, a
 * 700-sequence set eleven, so a fixed epoch count trains the small set 11x less), at least
 * `minEpochs` passes however large the set; the model's schedule over those steps; early
 * stopping on the dev LL with the best weights restored, its patience in steps too.
 */
export function trainingPlan(c: NeuralTrainingConfig, sequences: number, hasDev: boolean): TrainerOptions {
  const stepsPerEpoch = Math.max(1, Math.ceil(sequences / c.batchSize));
  const epochs = c.epochs > 0 ? c.epochs : Math.max(c.minEpochs, Math.ceil(c.steps / stepsPerEpoch));
  const totalSteps = epochs * stepsPerEpoch;
  const schedule: TrainerOptions['schedule'] =
    c.schedule === 'constant'
      ? undefined
      : {
          kind: 'cosine',
          minLr: 0.05 * c.learningRate,
          warmupSteps: c.schedule === 'warmup-cosine' ? Math.max(1, Math.round(0.05 * totalSteps)) : 0,
        };
  const patience =
    c.patience > 0 ? c.patience : Math.max(PATIENCE_EPOCHS, Math.ceil(PATIENCE_STEPS / stepsPerEpoch));
  return {
    epochs,
    batchSize: c.batchSize,
    learningRate: c.learningRate,
    schedule,
    weightDecay: c.weightDecay,
    clipNorm: c.clipNorm > 0 ? c.clipNorm : undefined,
    seed: c.seed,
    // a model started at the Poisson fit keeps it where training never beats it on dev
    earlyStopping:
      hasDev && c.earlyStopping
        ? { patience, restoreBest: true, scoreInitial: c.init === 'baseline' }
        : undefined,
  };
}
