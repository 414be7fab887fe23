import { ValidationFailed } from '@seqcast/core';
import { deriveSeed, Rng } from '@seqcast/numeric';
import { checkCounts } from './imu-dead-reckoning';
import { rateRatio, type Seq2SeqSet } from './seq2seq-set';
import { SmoothNoise } from './smooth-noise';

/**
 * A synthetic tactile benchmark, the second sensor task for HiSS (whose tactile tasks read
 * ReSkin / Xela skins at a high rate to predict contact quantities at a lower one): a grid of
 * taxels under an elastomer skin, pressed by one moving indenter. Targets at the output
 * rate: the normal force F and the contact location (x, y), in taxel pitches from the grid's
 * centre.
 *
 * Model:
 *  - contact always on: F = minForce + forceScale * softplus(u_F); location
 *    c = halfExtent * tanh(u_x, u_y) inside the grid; u are smooth noise (smooth-noise.ts);
 *  - the elastomer spreads the load over neighbouring taxels with a Gaussian profile, a
 *    simple stand-in for the elastic half-space solution: q_i = F exp(-|p_i - c|^2 / (2 w^2));
 *  - viscoelastic lag (the rate-dependent hysteresis of elastomer skins: loading and
 *    unloading curves differ): r_i[k] = r_i[k-1] + lag (q_i[k] - r_i[k-1]),
 *    lag = 1 - exp(-dt / relaxationTime), r_i[0] = q_i[0];
 *  - readout: (1 + g_i) r_i + d_i(t) + noise, gains g_i ~ N(0, gainStd^2) per sequence, baseline
 *    drift d_i a random walk, white noise per sample.
 * With the readout errors off the targets are a closed-form map of the inputs: undo the lag,
 * q[k] = r[k-1] + (r[k] - r[k-1]) / lag, then log q_i + |p_i|^2 / (2 w^2) is linear in p_i with
 * slope c / w^2 and intercept log F - |c|^2 / (2 w^2), a 3-parameter least-squares fit.
 */
export interface TactileReadoutErrors {
  noiseStd: number;
  gainStd: number;
  /** Baseline drift per sqrt(second). */
  driftWalk: number;
}

export const DEFAULT_TACTILE_ERRORS: TactileReadoutErrors = {
  noiseStd: 0.01,
  gainStd: 0.05,
  driftWalk: 0.005,
};
export const IDEAL_TACTILE: TactileReadoutErrors = { noiseStd: 0, gainStd: 0, driftWalk: 0 };

export interface TactileArrayOptions {
  sequences?: number;
  outputSteps?: number;
  inputRateHz?: number;
  outputRateHz?: number;
  seed?: number;
  rows?: number;
  cols?: number;
  /** Load spread w, in taxel pitches. */
  spread?: number;
  minForce?: number;
  forceScale?: number;
  forceTimeConstant?: number;
  motionTimeConstant?: number;
  /** Elastomer relaxation time, s (0: no lag). */
  relaxationTime?: number;
  errors?: Partial<TactileReadoutErrors>;
}

export interface TactileDataset extends Seq2SeqSet {
  /** Taxel positions (x, y) in pitches, in input-channel order. */
  taxelX: Float64Array;
  taxelY: Float64Array;
  spread: number;
  /** The lag coefficient per input sample (1: no lag). */
  lag: number;
}

export function generateTactileArray(options: TactileArrayOptions = {}): TactileDataset {
  const inputRateHz = options.inputRateHz ?? 100;
  const outputRateHz = options.outputRateHz ?? 10;
  const ratio = rateRatio(inputRateHz, outputRateHz);
  const sequences = options.sequences ?? 60;
  const outputSteps = options.outputSteps ?? 200;
  checkCounts(sequences, outputSteps);
  const rows = options.rows ?? 4;
  const cols = options.cols ?? 4;
  const spread = options.spread ?? 0.8;
  const minForce = options.minForce ?? 0.2;
  const forceScale = options.forceScale ?? 1.5;
  const forceTau = options.forceTimeConstant ?? 0.4;
  const motionTau = options.motionTimeConstant ?? 0.6;
  const relaxation = options.relaxationTime ?? 0.05;
  const errors = { ...DEFAULT_TACTILE_ERRORS, ...options.errors };
  const problems = [];
  for (const [field, v] of Object.entries({ rows, cols })) {
    if (!(Number.isInteger(v) && v >= 2))
      problems.push({ field, reason: 'must be an integer of at least 2' });
  }
  for (const [field, v] of Object.entries({
    spread,
    forceScale,
    forceTimeConstant: forceTau,
    motionTimeConstant: motionTau,
  })) {
    if (!(v > 0 && Number.isFinite(v))) problems.push({ field, reason: 'must be positive' });
  }
  for (const [field, v] of Object.entries({ minForce, relaxationTime: relaxation, ...errors })) {
    if (!(v >= 0 && Number.isFinite(v)))
      problems.push({ field, reason: 'must be a finite non-negative number' });
  }
  if (problems.length) throw new ValidationFailed('Invalid tactile benchmark options', problems);

  const seed = options.seed ?? 0;
  const dt = 1 / inputRateHz;
  const lag = relaxation > 0 ? 1 - Math.exp(-dt / relaxation) : 1;
  const m = rows * cols;
  const taxelX = new Float64Array(m);
  const taxelY = new Float64Array(m);
  const names: string[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      taxelX[r * cols + c] = c - (cols - 1) / 2;
      taxelY[r * cols + c] = r - (rows - 1) / 2;
      names.push(`taxel_r${r}c${c}`);
    }
  }
  const halfX = (cols - 1) / 2;
  const halfY = (rows - 1) / 2;
  const n = outputSteps * ratio;
  const out: TactileDataset = {
    inputs: [],
    targets: [],
    ratio,
    inputRateHz,
    outputRateHz,
    inputChannels: names,
    targetChannels: ['force', 'contact_x', 'contact_y'],
    taxelX,
    taxelY,
    spread,
    lag,
  };
  const softplus = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)));

  for (let s = 0; s < sequences; s++) {
    const contactRng = new Rng(deriveSeed(seed, s, 1));
    const readoutRng = new Rng(deriveSeed(seed, s, 2));
    const uF = new SmoothNoise(contactRng, forceTau, dt);
    const uX = new SmoothNoise(contactRng, motionTau, dt);
    const uY = new SmoothNoise(contactRng, motionTau, dt);
    const gain = Float64Array.from({ length: m }, () => 1 + errors.gainStd * readoutRng.normal());
    const drift = new Float64Array(m);
    const walk = errors.driftWalk * Math.sqrt(dt);
    const state = new Float64Array(m);
    const inputs = Array.from({ length: m }, () => new Float32Array(n));
    const targets = [
      new Float32Array(outputSteps),
      new Float32Array(outputSteps),
      new Float32Array(outputSteps),
    ];
    for (let k = 0; k < n; k++) {
      const force = minForce + forceScale * softplus(uF.value);
      const cx = halfX * Math.tanh(uX.value);
      const cy = halfY * Math.tanh(uY.value);
      for (let i = 0; i < m; i++) {
        const d2 = (taxelX[i] - cx) ** 2 + (taxelY[i] - cy) ** 2;
        const q = force * Math.exp(-d2 / (2 * spread * spread));
        state[i] = k === 0 ? q : state[i] + lag * (q - state[i]);
        inputs[i][k] = gain[i] * state[i] + drift[i] + errors.noiseStd * readoutRng.normal();
        drift[i] += walk * readoutRng.normal();
      }
      if ((k + 1) % ratio === 0) {
        const j = (k + 1) / ratio - 1;
        targets[0][j] = force;
        targets[1][j] = cx;
        targets[2][j] = cy;
      }
      uF.step();
      uX.step();
      uY.step();
    }
    out.inputs.push(inputs);
    out.targets.push(targets);
  }
  return out;
}
