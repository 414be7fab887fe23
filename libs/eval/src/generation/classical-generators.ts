import { ValidationFailed } from '@seqcast/core';
import { cholesky, deriveSeed, Rng } from '@seqcast/numeric';

/**
 * The two classical generators LS4 is compared with (issue 22): a Gaussian AR(p) with p by
 * AIC, and a moving block bootstrap. Both are fitted to univariate training series and
 * sample `count` new series of any length, reproducibly from a seed.
 */
export interface SeriesGenerator {
  readonly name: string;
  sample(count: number, length: number, seed: number): Float32Array[];
}

export interface ArGeneratorOptions {
  /** Largest order tried (default R's ar(): min(n - 1, floor(10 log10 n)), n the shortest series). */
  maxOrder?: number;
  /** Fixes p instead of choosing it by AIC. */
  order?: number;
}

export interface YuleWalkerPath {
  /** coefficients[p] = the AR(p) fit (length p), coefficients[0] empty. */
  coefficients: Float64Array[];
  /** Innovation variance of each order, variances[0] = gamma(0). */
  variances: Float64Array;
}

/**
 * Levinson-Durbin recursion on autocovariances gamma(0..m): the Yule-Walker AR fit of every
 * order up to m and its innovation variance. With the biased autocovariance estimator the
 * Toeplitz matrix is positive definite, so every fitted AR is stationary.
 */
export function yuleWalker(gamma: ArrayLike<number>, maxOrder: number): YuleWalkerPath {
  const coefficients: Float64Array[] = [new Float64Array(0)];
  const variances = new Float64Array(maxOrder + 1);
  variances[0] = gamma[0];
  let prev = new Float64Array(0);
  for (let k = 1; k <= maxOrder; k++) {
    let num = gamma[k];
    for (let j = 1; j < k; j++) num -= prev[j - 1] * gamma[k - j];
    const kappa = num / variances[k - 1];
    const next = new Float64Array(k);
    for (let j = 1; j < k; j++) next[j - 1] = prev[j - 1] - kappa * prev[k - j - 1];
    next[k - 1] = kappa;
    variances[k] = variances[k - 1] * (1 - kappa * kappa);
    coefficients.push(next);
    prev = next;
  }
  return { coefficients, variances };
}

/**
 * Autocovariances gamma(0..m) pooled over series, each demeaned by its own mean:
 * gamma(h) = sum over series and t of (x_t - m_s)(x_{t+h} - m_s) / (total points), the biased
 * estimator (which keeps the Yule-Walker fit stationary).
 */
export function pooledAutocovariance(series: ReadonlyArray<ArrayLike<number>>, maxLag: number): Float64Array {
  const gamma = new Float64Array(maxLag + 1);
  let total = 0;
  for (const s of series) {
    const n = s.length;
    let mean = 0;
    for (let t = 0; t < n; t++) mean += s[t];
    mean /= n;
    total += n;
    for (let h = 0; h <= maxLag && h < n; h++) {
      let acc = 0;
      for (let t = 0; t + h < n; t++) acc += (s[t] - mean) * (s[t + h] - mean);
      gamma[h] += acc;
    }
  }
  for (let h = 0; h <= maxLag; h++) gamma[h] /= total;
  return gamma;
}

/**
 * Gaussian AR(p) generator, fitted by Yule-Walker on the pooled autocovariances of the
 * training series (each demeaned), p chosen by AIC = n log(sigma_p^2) + 2p over 0..maxOrder
 * (R's ar() with method "yule-walker", n the pooled point count). Sampling starts exactly in
 * the stationary law: the first p values are drawn from N(0, Toeplitz(gamma(0..p-1))), which a
 * Yule-Walker fit reproduces, so no burn-in is needed; then x_t = sum phi_i x_{t-i} + e_t with
 * e_t ~ N(0, sigma_p^2). Each sampled series gets the mean of a training series drawn at
 * random (per-series levels are kept, their distribution resampled; with z-scored windows,
 * as LS4 trains on, that mean is about 0).
 */
export class ArGenerator implements SeriesGenerator {
  readonly name = 'gaussian-ar';
  readonly order: number;
  readonly coefficients: Float64Array;
  readonly noiseVariance: number;
  /** AIC of each order tried, index = p. */
  readonly aic: Float64Array;
  /** Mean of each training series. */
  readonly levels: Float64Array;
  private readonly initCholesky: Float64Array;

  constructor(series: ReadonlyArray<ArrayLike<number>>, options: ArGeneratorOptions = {}) {
    checkSeries(series, 2);
    const shortest = Math.min(...series.map((s) => s.length));
    const maxOrder =
      options.order ?? options.maxOrder ?? Math.min(shortest - 1, Math.floor(10 * Math.log10(shortest)));
    if (!(Number.isInteger(maxOrder) && maxOrder >= 0 && maxOrder < shortest)) {
      throw new ValidationFailed('AR order out of range', [
        {
          field: options.order !== undefined ? 'order' : 'maxOrder',
          reason: `must be an integer in [0, ${shortest - 1}]`,
        },
      ]);
    }
    const gamma = pooledAutocovariance(series, maxOrder);
    if (!(gamma[0] > 0)) {
      throw new ValidationFailed('training series are constant', [
        { field: 'series', reason: 'zero variance' },
      ]);
    }
    const path = yuleWalker(gamma, maxOrder);
    const n = series.reduce((s, x) => s + x.length, 0);
    this.aic = Float64Array.from(path.variances, (v, p) => n * Math.log(v) + 2 * p);
    let best = maxOrder;
    if (options.order === undefined) {
      best = 0;
      this.aic.forEach((a, p) => {
        if (a < this.aic[best]) best = p;
      });
    }
    this.order = best;
    this.coefficients = path.coefficients[best];
    this.noiseVariance = path.variances[best];
    this.levels = Float64Array.from(series, (s) => {
      let sum = 0;
      for (let t = 0; t < s.length; t++) sum += s[t];
      return sum / s.length;
    });
    const p = best;
    const toeplitz = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) toeplitz[i * p + j] = gamma[Math.abs(i - j)];
    if (!cholesky(toeplitz, p)) {
      throw new ValidationFailed('the autocovariances are not positive definite', [
        { field: 'series', reason: 'too short or degenerate for this order' },
      ]);
    }
    this.initCholesky = toeplitz;
  }

  sample(count: number, length: number, seed: number): Float32Array[] {
    checkSampleSize(count, length);
    const p = this.order;
    const sigma = Math.sqrt(this.noiseVariance);
    const out: Float32Array[] = [];
    for (let i = 0; i < count; i++) {
      const rng = new Rng(deriveSeed(seed, i));
      const level = this.levels[rng.int(this.levels.length)];
      const x = new Float64Array(Math.max(length, p));
      const z = Float64Array.from({ length: p }, () => rng.normal());
      for (let r = 0; r < p; r++) {
        let acc = 0;
        for (let c = 0; c <= r; c++) acc += this.initCholesky[r * p + c] * z[c];
        x[r] = acc;
      }
      for (let t = p; t < length; t++) {
        let acc = sigma * rng.normal();
        for (let j = 0; j < p; j++) acc += this.coefficients[j] * x[t - 1 - j];
        x[t] = acc;
      }
      out.push(Float32Array.from(x.subarray(0, length), (v) => v + level));
    }
    return out;
  }
}

export interface BlockBootstrapOptions {
  /** Block length; default defaultBlockLength(mean training length). */
  blockLength?: number;
  /**
   * 'series' (default): all blocks of one sampled series come from one training series drawn
   * at random, which keeps its level and scale; 'all': every block from any training series
   * (weighted by its number of block positions).
   */
  pool?: 'series' | 'all';
}

/** The block-length rule: round(n^(1/3)), the rate Hall, Horowitz and Jing (1995) give for the moving block bootstrap. */
export function defaultBlockLength(n: number): number {
  return Math.max(1, Math.round(Math.cbrt(n)));
}

/**
 * Moving block bootstrap (Kuensch 1989): a sampled series is the concatenation of blocks of
 * `blockLength` consecutive training values, each block starting uniformly among all
 * positions where it fits (blocks never cross the end of a training series), cut to length.
 */
export class BlockBootstrapGenerator implements SeriesGenerator {
  readonly name = 'moving-block-bootstrap';
  readonly blockLength: number;
  private readonly series: Float32Array[];
  private readonly pool: 'series' | 'all';
  private readonly cumulative: Float64Array;

  constructor(series: ReadonlyArray<ArrayLike<number>>, options: BlockBootstrapOptions = {}) {
    checkSeries(series, 1);
    const meanLength = series.reduce((s, x) => s + x.length, 0) / series.length;
    const ell = options.blockLength ?? defaultBlockLength(meanLength);
    if (!(Number.isInteger(ell) && ell >= 1)) {
      throw new ValidationFailed('block length must be a positive integer', [
        { field: 'blockLength', reason: 'must be a positive integer' },
      ]);
    }
    this.series = series.filter((s) => s.length >= ell).map((s) => Float32Array.from(s));
    if (this.series.length === 0) {
      throw new ValidationFailed('every training series is shorter than a block', [
        { field: 'blockLength', reason: `${ell} exceeds the longest series` },
      ]);
    }
    this.blockLength = ell;
    this.pool = options.pool ?? 'series';
    this.cumulative = new Float64Array(this.series.length);
    let acc = 0;
    this.series.forEach((s, i) => (this.cumulative[i] = acc += s.length - ell + 1));
  }

  sample(count: number, length: number, seed: number): Float32Array[] {
    checkSampleSize(count, length);
    const ell = this.blockLength;
    const out: Float32Array[] = [];
    for (let i = 0; i < count; i++) {
      const rng = new Rng(deriveSeed(seed, i));
      const x = new Float32Array(length);
      const own = this.series[rng.int(this.series.length)];
      for (let t = 0; t < length; t += ell) {
        let src = own;
        let start: number;
        if (this.pool === 'all') {
          const total = this.cumulative[this.cumulative.length - 1];
          let pos = rng.int(total);
          let k = 0;
          while (pos >= this.cumulative[k]) k++;
          src = this.series[k];
          pos -= k > 0 ? this.cumulative[k - 1] : 0;
          start = pos;
        } else {
          start = rng.int(src.length - ell + 1);
        }
        x.set(src.subarray(start, start + Math.min(ell, length - t)), t);
      }
      out.push(x);
    }
    return out;
  }
}

function checkSeries(series: ReadonlyArray<ArrayLike<number>>, minLength: number): void {
  if (!Array.isArray(series) || series.length === 0) {
    throw new ValidationFailed('no training series', [
      { field: 'series', reason: 'must hold at least one series' },
    ]);
  }
  series.forEach((s, i) => {
    if (s.length < minLength) {
      throw new ValidationFailed(`series[${i}] is too short`, [
        { field: `series[${i}]`, reason: `needs at least ${minLength} values` },
      ]);
    }
    for (let t = 0; t < s.length; t++) {
      if (!Number.isFinite(s[t])) {
        throw new ValidationFailed(`series[${i}][${t}] is not finite`, [
          { field: `series[${i}][${t}]`, reason: 'must be a finite number' },
        ]);
      }
    }
  });
}

function checkSampleSize(count: number, length: number): void {
  const problems = [];
  if (!(Number.isInteger(count) && count >= 1))
    problems.push({ field: 'count', reason: 'must be a positive integer' });
  if (!(Number.isInteger(length) && length >= 1))
    problems.push({ field: 'length', reason: 'must be a positive integer' });
  if (problems.length) throw new ValidationFailed('Invalid sample size', problems);
}
