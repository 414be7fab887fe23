import { throwIfCancelled, ValidationFailed, WorkContext } from '@seqcast/core';
import { bootstrapCounts, deriveSeed, Rng } from '@seqcast/numeric';

/**
 * Fits a point model on the training rows `train` (row indices, repeated as the bootstrap
 * draws them) and returns its predictions at the rows `predict`, in that order. Rows are
 * whatever the caller indexes: windows of a series, feature rows. Any forecaster fits
 * behind this (sync or async).
 */
export type FitPredictFn = (
  train: Int32Array,
  predict: Int32Array,
) => ArrayLike<number> | Promise<ArrayLike<number>>;

export interface BootstrapLooOptions {
  /** targets y_i of the training rows 0 .. n-1 */
  targets: ArrayLike<number>;
  /** B: bootstrap models (EnbPI and SPCI use 20-25) */
  models?: number;
  seed?: number;
  /** extra rows (ids >= n, e.g. test windows) at which to return the aggregated prediction */
  extraRows?: Int32Array;
  ctx?: Partial<WorkContext>;
}

export interface BootstrapLooResult {
  /** LOO prediction of row i: mean of the models whose bootstrap sample left i out */
  looPredictions: Float64Array;
  /** signed residuals y_i - looPredictions[i], the calibration residuals of EnbPI and SPCI */
  residuals: Float64Array;
  /** how many models left row i out (0: the row fell back to all models) */
  outOfBag: Int32Array;
  /**
   * EnbPI's aggregation weight of each model for new rows: the test centre is the mean over
   * i of the LOO ensembles f^{-i}, which is sum_b modelWeights[b] f_b.
   */
  modelWeights: Float64Array;
  /** the centre at `extraRows` (sum_b modelWeights[b] f_b(x)) */
  extraPredictions: Float64Array;
}

/**
 * EnbPI's leave-one-out residuals from a bootstrap ensemble (Xu and Xie 2021, Alg. 1).
 * B models are fitted on bootstrap samples of the n training rows; row i's prediction
 * averages only the models that did not see it, so its residual is out-of-sample without
 * any held-out split. A row that every model saw (probability (1 - 1/n)^... ~ e^{-B}) is
 * averaged over all models, as the reference does with a warning.
 */
export async function bootstrapLooResiduals(
  fitPredict: FitPredictFn,
  options: BootstrapLooOptions,
): Promise<BootstrapLooResult> {
  const y = options.targets;
  const n = y.length;
  const B = options.models ?? 20;
  if (n < 2)
    throw new ValidationFailed('Bootstrap LOO residuals need at least 2 rows', [
      { field: 'targets', reason: `got ${n}` },
    ]);
  if (!Number.isInteger(B) || B < 2)
    throw new ValidationFailed('Bootstrap LOO needs at least 2 models', [
      { field: 'models', reason: 'must be an integer >= 2' },
    ]);
  const extra = options.extraRows ?? new Int32Array(0);
  const predictRows = new Int32Array(n + extra.length);
  for (let i = 0; i < n; i++) predictRows[i] = i;
  predictRows.set(extra, n);

  const inBag: Uint8Array[] = [];
  const preds: Float64Array[] = [];
  for (let b = 0; b < B; b++) {
    throwIfCancelled(options.ctx?.signal);
    const counts = bootstrapCounts(n, new Rng(deriveSeed(options.seed ?? 0, b)));
    const train = new Int32Array(n);
    const bag = new Uint8Array(n);
    for (let i = 0, k = 0; i < n; i++) {
      for (let c = 0; c < counts[i]; c++) train[k++] = i;
      if (counts[i] > 0) bag[i] = 1;
    }
    const p = await fitPredict(train, predictRows);
    if (p.length !== predictRows.length) {
      throw new ValidationFailed('fitPredict returned the wrong number of predictions', [
        { field: 'fitPredict', reason: `expected ${predictRows.length}, got ${p.length}` },
      ]);
    }
    inBag.push(bag);
    preds.push(Float64Array.from(p));
    options.ctx?.progress?.((b + 1) / B, `bootstrap model ${b + 1}/${B}`);
  }

  const looPredictions = new Float64Array(n);
  const residuals = new Float64Array(n);
  const outOfBag = new Int32Array(n);
  const modelWeights = new Float64Array(B);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let m = 0;
    for (let b = 0; b < B; b++) {
      if (!inBag[b][i]) {
        s += preds[b][i];
        m++;
      }
    }
    outOfBag[i] = m;
    if (m === 0) {
      for (let b = 0; b < B; b++) {
        s += preds[b][i];
        modelWeights[b] += 1 / (n * B);
      }
      looPredictions[i] = s / B;
    } else {
      for (let b = 0; b < B; b++) if (!inBag[b][i]) modelWeights[b] += 1 / (n * m);
      looPredictions[i] = s / m;
    }
    residuals[i] = y[i] - looPredictions[i];
  }
  const extraPredictions = new Float64Array(extra.length);
  for (let k = 0; k < extra.length; k++) {
    let s = 0;
    for (let b = 0; b < B; b++) s += modelWeights[b] * preds[b][n + k];
    extraPredictions[k] = s;
  }
  return { looPredictions, residuals, outOfBag, modelWeights, extraPredictions };
}
