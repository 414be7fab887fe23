/**
 * HiSS's data preparation (reference: CSPDataset and Task.compute_*_shift_scale): the first
 * differences of the input are appended as features (x_t - x_{t-1}, 0 at the first step),
 * then every input feature and every target channel is z-scored with the mean and the
 * (unbiased, as torch.std) standard deviation over all time steps of the training sequences,
 * the std clamped at 1e-5 so a constant channel does not divide by zero.
 */
export interface Seq2SeqScalerJSON {
  appendDeltas: boolean;
  inputChannels: number;
  targetChannels: number;
  inputMean: number[];
  inputStd: number[];
  targetMean: number[];
  targetStd: number[];
}

const MIN_STD = 1e-5;

/** Mean and unbiased std per channel over every step of every sequence, in float64. */
function moments(sequences: Float32Array[][], channels: number): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    let n = 0;
    let sum = 0;
    for (const seq of sequences) {
      for (const v of seq[c]) sum += v;
      n += seq[c].length;
    }
    const m = sum / n;
    let ss = 0;
    for (const seq of sequences) for (const v of seq[c]) ss += (v - m) ** 2;
    mean.push(m);
    std.push(Math.max(MIN_STD, Math.sqrt(ss / Math.max(1, n - 1))));
  }
  return { mean, std };
}

/** The raw input features of one sequence: its channels, then (optionally) their first differences. */
export function inputFeatures(channels: Float32Array[], appendDeltas: boolean): Float32Array[] {
  if (!appendDeltas) return channels;
  const deltas = channels.map((x) => {
    const d = new Float32Array(x.length);
    for (let t = 1; t < x.length; t++) d[t] = x[t] - x[t - 1];
    return d;
  });
  return [...channels, ...deltas];
}

export class Seq2SeqScaler {
  private constructor(private readonly s: Seq2SeqScalerJSON) {}

  static fit(inputs: Float32Array[][], targets: Float32Array[][], appendDeltas: boolean): Seq2SeqScaler {
    const features = inputs.map((seq) => inputFeatures(seq, appendDeltas));
    const inp = moments(features, features[0].length);
    const tgt = moments(targets, targets[0].length);
    return new Seq2SeqScaler({
      appendDeltas,
      inputChannels: inputs[0].length,
      targetChannels: targets[0].length,
      inputMean: inp.mean,
      inputStd: inp.std,
      targetMean: tgt.mean,
      targetStd: tgt.std,
    });
  }

  static fromJSON(json: Seq2SeqScalerJSON): Seq2SeqScaler {
    return new Seq2SeqScaler({ ...json });
  }

  toJSON(): Seq2SeqScalerJSON {
    return JSON.parse(JSON.stringify(this.s)) as Seq2SeqScalerJSON;
  }

  get inputChannels(): number {
    return this.s.inputChannels;
  }

  get targetChannels(): number {
    return this.s.targetChannels;
  }

  /** Features per input step (channels, doubled with the deltas). */
  get features(): number {
    return this.s.inputMean.length;
  }

  /** One input sequence as scaled features, time-major [L * F]. */
  scaleInputs(channels: Float32Array[]): Float32Array {
    const f = inputFeatures(channels, this.s.appendDeltas);
    return toTimeMajor(f, this.s.inputMean, this.s.inputStd);
  }

  /** One target sequence, scaled, time-major [T * O]. */
  scaleTargets(channels: Float32Array[]): Float32Array {
    return toTimeMajor(channels, this.s.targetMean, this.s.targetStd);
  }

  /** Scaled time-major outputs [T * O] back to channels in the targets' units. */
  unscaleTargets(values: Float32Array, steps: number): Float32Array[] {
    const O = this.s.targetChannels;
    return Array.from({ length: O }, (_, c) => {
      const out = new Float32Array(steps);
      for (let t = 0; t < steps; t++) out[t] = values[t * O + c] * this.s.targetStd[c] + this.s.targetMean[c];
      return out;
    });
  }

  /** Target variances, to turn a scaled MSE per channel into one in data units. */
  get targetStd(): readonly number[] {
    return this.s.targetStd;
  }
}

function toTimeMajor(channels: Float32Array[], mean: number[], std: number[]): Float32Array {
  const C = channels.length;
  const L = channels[0].length;
  const out = new Float32Array(L * C);
  for (let c = 0; c < C; c++) {
    const x = channels[c];
    const m = mean[c];
    const s = std[c];
    for (let t = 0; t < L; t++) out[t * C + c] = (x[t] - m) / s;
  }
  return out;
}
