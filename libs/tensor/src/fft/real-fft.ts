import { complexFftPlan, ComplexFftPlan } from './complex-fft';

/**
 * Real FFT of length n (even) through one complex FFT of length n/2: even samples go
 * in the real part, odd samples in the imaginary part, and one pass of twiddles
 * separates the two spectra. Half the work of a complex FFT of the real signal, which
 * is what tfjs does.
 *
 * Spectra are split arrays of n/2 + 1 bins (DC .. Nyquist), matching numpy's rfft.
 */
export interface RealFftPlan {
  readonly size: number;
  readonly bins: number;
  /** x: n real samples (read from x[xOffset..], `xLength` of them, the rest taken as zero). */
  forward(
    x: ArrayLike<number>,
    xOffset: number,
    xLength: number,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void;
  /** Inverse of `forward` (scaled by 1/n); writes the first `outLength` samples to out[outOffset..]. */
  inverse(
    re: Float64Array,
    im: Float64Array,
    out: { [i: number]: number },
    outOffset: number,
    outLength: number,
  ): void;
}

class PackedRealFft implements RealFftPlan {
  readonly bins: number;
  private readonly half: number;
  private readonly inner: ComplexFftPlan;
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;

  constructor(readonly size: number) {
    const m = size / 2;
    this.half = m;
    this.bins = m + 1;
    this.inner = complexFftPlan(m);
    this.wr = new Float64Array(m + 1);
    this.wi = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      const a = (-2 * Math.PI * k) / size;
      this.wr[k] = Math.cos(a);
      this.wi[k] = Math.sin(a);
    }
    this.zr = new Float64Array(m);
    this.zi = new Float64Array(m);
  }

  forward(
    x: ArrayLike<number>,
    xOffset: number,
    xLength: number,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void {
    const m = this.half;
    const zr = this.zr,
      zi = this.zi;
    const len = Math.min(xLength, this.size);
    const pairs = len >> 1;
    for (let j = 0; j < pairs; j++) {
      zr[j] = x[xOffset + 2 * j];
      zi[j] = x[xOffset + 2 * j + 1];
    }
    let j0 = pairs;
    if (len & 1) {
      zr[pairs] = x[xOffset + len - 1];
      zi[pairs] = 0;
      j0++;
    }
    for (let j = j0; j < m; j++) {
      zr[j] = 0;
      zi[j] = 0;
    }
    this.inner.forward(zr, zi);
    const wr = this.wr,
      wi = this.wi;
    // k = 0 and k = m from Z[0] alone.
    outRe[0] = zr[0] + zi[0];
    outIm[0] = 0;
    outRe[m] = zr[0] - zi[0];
    outIm[m] = 0;
    for (let k = 1; k < m; k++) {
      const ar = zr[k],
        ai = zi[k];
      const br = zr[m - k],
        bi = -zi[m - k]; // conj(Z[m-k])
      const er = 0.5 * (ar + br),
        ei = 0.5 * (ai + bi);
      // O = (Z[k] - conj(Z[m-k])) / (2i)
      const dr = ar - br,
        di = ai - bi;
      const or = 0.5 * di,
        oi = -0.5 * dr;
      const c = wr[k],
        s = wi[k];
      outRe[k] = er + (or * c - oi * s);
      outIm[k] = ei + (or * s + oi * c);
    }
  }

  inverse(
    re: Float64Array,
    im: Float64Array,
    out: { [i: number]: number },
    outOffset: number,
    outLength: number,
  ): void {
    const m = this.half;
    const zr = this.zr,
      zi = this.zi;
    const wr = this.wr,
      wi = this.wi;
    // Imaginary parts of the DC and Nyquist bins are ignored, as numpy's irfft does.
    for (let k = 0; k < m; k++) {
      const ar = re[k],
        ai = k === 0 ? 0 : im[k];
      const br = re[m - k],
        bi = m - k === m ? 0 : -im[m - k]; // conj(X[m-k])
      const er = 0.5 * (ar + br),
        ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br),
        di = 0.5 * (ai - bi);
      // O = D * W^{-k}
      const c = wr[k],
        s = -wi[k];
      const or = dr * c - di * s,
        oi = dr * s + di * c;
      // Z = E + i O
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    this.inner.inverse(zr, zi);
    const len = Math.min(outLength, this.size);
    const pairs = len >> 1;
    for (let j = 0; j < pairs; j++) {
      out[outOffset + 2 * j] = zr[j];
      out[outOffset + 2 * j + 1] = zi[j];
    }
    if (len & 1) out[outOffset + len - 1] = zr[pairs];
  }
}

/** Odd lengths (only reachable from generic tf.spectral calls): a full complex FFT. */
class ComplexBackedRealFft implements RealFftPlan {
  readonly bins: number;
  private readonly inner: ComplexFftPlan;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;

  constructor(readonly size: number) {
    this.bins = Math.floor(size / 2) + 1;
    this.inner = complexFftPlan(size);
    this.zr = new Float64Array(size);
    this.zi = new Float64Array(size);
  }

  forward(
    x: ArrayLike<number>,
    xOffset: number,
    xLength: number,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void {
    const n = this.size;
    const len = Math.min(xLength, n);
    for (let j = 0; j < n; j++) {
      this.zr[j] = j < len ? x[xOffset + j] : 0;
      this.zi[j] = 0;
    }
    this.inner.forward(this.zr, this.zi);
    for (let k = 0; k < this.bins; k++) {
      outRe[k] = this.zr[k];
      outIm[k] = this.zi[k];
    }
    outIm[0] = 0;
  }

  inverse(
    re: Float64Array,
    im: Float64Array,
    out: { [i: number]: number },
    outOffset: number,
    outLength: number,
  ): void {
    const n = this.size;
    // Rebuild the Hermitian spectrum; the DC bin's imaginary part is ignored.
    this.zr[0] = re[0];
    this.zi[0] = 0;
    for (let k = 1; k < this.bins; k++) {
      this.zr[k] = re[k];
      this.zi[k] = im[k];
      this.zr[n - k] = re[k];
      this.zi[n - k] = -im[k];
    }
    this.inner.inverse(this.zr, this.zi);
    const len = Math.min(outLength, n);
    for (let j = 0; j < len; j++) out[outOffset + j] = this.zr[j];
  }
}

const plans = new Map<number, RealFftPlan>();

export function realFftPlan(size: number): RealFftPlan {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`FFT size must be a positive integer, got ${size}`);
  let plan = plans.get(size);
  if (!plan) {
    plan = size % 2 === 0 && size >= 2 ? new PackedRealFft(size) : new ComplexBackedRealFft(size);
    plans.set(size, plan);
  }
  return plan;
}
