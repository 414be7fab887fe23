/** Fields every neural event model's config has (defaults in the registry's schema). */
export interface NeuralTrainingConfig {
  /** Exactly this many epochs; 0: the step budget (`steps`, at least `minEpochs` passes). */
  epochs: number;
  steps: number;
  minEpochs: number;
  batchSize: number;
  learningRate: number;
  /** 'cosine' decays the rate to 5% of learningRate over all training steps; 'warmup-cosine' warms up over the first 5% first. */
  schedule: 'constant' | 'cosine' | 'warmup-cosine';
  weightDecay: number;
  /** Clip the global gradient norm (0: off). */
  clipNorm: number;
  /**
   * 'random': every weight drawn; 'baseline': the untrained model is the training set's
   * Poisson fit (output biases at the rates and type frequencies, the history's weights on
   * the output at zero) and is scored as epoch 0 of early stopping.
   */
  init: 'random' | 'baseline';
  /**
   * After training, the Poisson fit's weights (initAtBaseline) are scored on the dev set
   * beside the best epoch's and the better kept (with a dev set and early stopping).
   */
  baselineFallback: boolean;
  /** Early stopping on the dev log-likelihood with best-weights restore. */
  earlyStopping: boolean;
  /** Epochs without improvement before stopping (0: max(5 epochs, 200 steps)). */
  patience: number;
  seed: number;
  /** Monte Carlo points per gap for the integral while training (stratified, unbiased). */
  integralPoints: number;
  /** Points per gap for reported log-likelihoods (EasyTPP: 20). */
  evalIntegralPoints: number;
  /** Time unit the model works in (0: the mean training gap). */
  timeScale: number;
  // thinning (EasyTPP's names)
  numSamplesBoundary: number;
  overSampleRate: number;
  numExp: number;
  /** Largest sampled gap in data units (0: 1.5 x the largest training gap). */
  dtimeMax: number;
  /** Hidden size. */
  hidden: number;
}
