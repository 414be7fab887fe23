import { MixedRadixPlan, mixedRadixFactors } from './mixed-radix-fft';

/**
 * Complex FFT on split (re, im) Float64Arrays, any length.
 *
 * Powers of two use an iterative radix-2 transform whose twiddles and bit-reversal
 * table are computed once per size and cached: the models call the same few sizes
 * millions of times, so set-up cost must not be paid per call. Lengths whose prime
 * factors are at most 13 use the mixed-radix plan (mixed-radix-fft.ts); others go through
 * Bluestein's chirp-z transform on a power-of-two size (exact, O(n log n)).
 */

export interface ComplexFftPlan {
  readonly size: number;
  /** In-place forward transform (sign -1, no scaling). */
  forward(re: Float64Array, im: Float64Array): void;
  /** In-place inverse transform (sign +1), scaled by 1/size. */
  inverse(re: Float64Array, im: Float64Array): void;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

class Radix2Plan implements ComplexFftPlan {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;

  constructor(readonly size: number) {
    const half = size >> 1;
    this.cos = new Float64Array(Math.max(half, 1));
    this.sin = new Float64Array(Math.max(half, 1));
    for (let k = 0; k < half; k++) {
      const a = (-2 * Math.PI * k) / size;
      this.cos[k] = Math.cos(a);
      this.sin[k] = Math.sin(a);
    }
    this.rev = new Uint32Array(size);
    let bits = 0;
    while (1 << bits < size) bits++;
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
      this.rev[i] = r;
    }
  }

  forward(re: Float64Array, im: Float64Array): void {
    this.run(re, im, 1);
  }

  inverse(re: Float64Array, im: Float64Array): void {
    this.run(re, im, -1);
    const s = 1 / this.size;
    for (let i = 0; i < this.size; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }

  /** sign = 1: forward (e^{-i...}); sign = -1: inverse without scaling. */
  private run(re: Float64Array, im: Float64Array, sign: number): void {
    const n = this.size;
    if (n <= 1) return;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    // First two stages fused as radix-4 butterflies: their twiddles are 1 and -i,
    // so they need no multiplications.
    if (n >= 4) {
      for (let i = 0; i < n; i += 4) {
        const ar = re[i],
          ai = im[i],
          br = re[i + 1],
          bi = im[i + 1];
        const cr = re[i + 2],
          ci = im[i + 2],
          dr = re[i + 3],
          di = im[i + 3];
        const s0r = ar + br,
          s0i = ai + bi,
          d0r = ar - br,
          d0i = ai - bi;
        const s1r = cr + dr,
          s1i = ci + di,
          d1r = cr - dr,
          d1i = ci - di;
        // d1 * (-i * sign): forward multiplies by -i, inverse by +i.
        const tr = sign * d1i,
          ti = -sign * d1r;
        re[i] = s0r + s1r;
        im[i] = s0i + s1i;
        re[i + 2] = s0r - s1r;
        im[i + 2] = s0i - s1i;
        re[i + 1] = d0r + tr;
        im[i + 1] = d0i + ti;
        re[i + 3] = d0r - tr;
        im[i + 3] = d0i - ti;
      }
    } else {
      const ar = re[0],
        ai = im[0];
      re[0] = ar + re[1];
      im[0] = ai + im[1];
      re[1] = ar - re[1];
      im[1] = ai - im[1];
      return;
    }
    const cos = this.cos;
    const sin = this.sin;
    for (let size = 8; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      for (let j = 0; j < half; j++) {
        const wr = cos[j * step];
        const wi = sign * sin[j * step];
        for (let i = j; i < n; i += size) {
          const k = i + half;
          const xr = re[k],
            xi = im[k];
          const tr = xr * wr - xi * wi;
          const ti = xr * wi + xi * wr;
          const ur = re[i],
            ui = im[i];
          re[i] = ur + tr;
          im[i] = ui + ti;
          re[k] = ur - tr;
          im[k] = ui - ti;
        }
      }
    }
  }
}

/** Bluestein: a length-n DFT as a convolution with a chirp, done with power-of-two FFTs. */
class BluesteinPlan implements ComplexFftPlan {
  private readonly m: number;
  private readonly inner: Radix2Plan;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly filterRe: Float64Array;
  private readonly filterIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(readonly size: number) {
    const n = size;
    this.m = nextPowerOfTwo(2 * n - 1);
    this.inner = new Radix2Plan(this.m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k^2 mod 2n keeps the angle small, so large n loses no precision.
      const a = (Math.PI * ((k * k) % (2 * n))) / n;
      this.chirpRe[k] = Math.cos(a);
      this.chirpIm[k] = -Math.sin(a);
    }
    this.filterRe = new Float64Array(this.m);
    this.filterIm = new Float64Array(this.m);
    for (let k = 0; k < n; k++) {
      this.filterRe[k] = this.chirpRe[k];
      this.filterIm[k] = -this.chirpIm[k];
      if (k > 0) {
        this.filterRe[this.m - k] = this.chirpRe[k];
        this.filterIm[this.m - k] = -this.chirpIm[k];
      }
    }
    this.inner.forward(this.filterRe, this.filterIm);
    this.workRe = new Float64Array(this.m);
    this.workIm = new Float64Array(this.m);
  }

  forward(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const wr = this.workRe,
      wi = this.workIm;
    wr.fill(0);
    wi.fill(0);
    for (let k = 0; k < n; k++) {
      const cr = this.chirpRe[k],
        ci = this.chirpIm[k];
      wr[k] = re[k] * cr - im[k] * ci;
      wi[k] = re[k] * ci + im[k] * cr;
    }
    this.inner.forward(wr, wi);
    for (let k = 0; k < this.m; k++) {
      const fr = this.filterRe[k],
        fi = this.filterIm[k];
      const xr = wr[k],
        xi = wi[k];
      wr[k] = xr * fr - xi * fi;
      wi[k] = xr * fi + xi * fr;
    }
    this.inner.inverse(wr, wi);
    for (let k = 0; k < n; k++) {
      const cr = this.chirpRe[k],
        ci = this.chirpIm[k];
      re[k] = wr[k] * cr - wi[k] * ci;
      im[k] = wr[k] * ci + wi[k] * cr;
    }
  }

  inverse(re: Float64Array, im: Float64Array): void {
    // ifft(x) = conj(fft(conj(x))) / n
    const n = this.size;
    for (let k = 0; k < n; k++) im[k] = -im[k];
    this.forward(re, im);
    const s = 1 / n;
    for (let k = 0; k < n; k++) {
      re[k] *= s;
      im[k] = -im[k] * s;
    }
  }
}

const plans = new Map<number, ComplexFftPlan>();

/** The cached plan for a size (plans hold scratch buffers: use them from one thread). */
export function complexFftPlan(size: number): ComplexFftPlan {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`FFT size must be a positive integer, got ${size}`);
  let plan = plans.get(size);
  if (!plan) {
    if (isPowerOfTwo(size)) plan = new Radix2Plan(size);
    else if (mixedRadixFactors(size)) plan = new MixedRadixPlan(size);
    else plan = new BluesteinPlan(size);
    plans.set(size, plan);
  }
  return plan;
}
