import type { ComplexFftPlan } from './complex-fft';

/**
 * Complex FFT of a length whose prime factors are small (2, 3, 5 and odd primes up to
 * MIXED_RADIX_LARGEST_PRIME), in float64: the JS tiers' counterpart of the native kernels'
 * mixed-radix FFT (native/src/fft-impl.h, which explains the indices), one row at a time.
 * A self-sorting (Stockham) decimation-in-frequency transform: pass by pass, the data are L
 * interleaved sub-transforms of length p m; a radix-p butterfly per (t1, b), its outputs
 * multiplied by the twiddles e^{-2 pi i t1 k2 / (p m)}, leaves L p sub-transforms of length
 * m, with the spectrum in natural order after the last pass. The inverse swaps the real and
 * imaginary parts on the way in and out (swap(F(swap(x))) = n F^-1 x).
 */
export const MIXED_RADIX_LARGEST_PRIME = 13;

interface Pass {
  p: number;
  L: number;
  m: number;
  /** twiddles of (t1, k2) at tw + t1 p + k2 */
  tw: number;
}

/** Radix 4 first, then the 2 a power of two may leave, then odd primes ascending; null if a factor is too large. */
export function mixedRadixFactors(n: number): number[] | null {
  const f: number[] = [];
  while (n % 4 === 0) {
    f.push(4);
    n /= 4;
  }
  if (n % 2 === 0) {
    f.push(2);
    n /= 2;
  }
  for (let p = 3; p <= MIXED_RADIX_LARGEST_PRIME; p += 2) {
    while (n % p === 0) {
      f.push(p);
      n /= p;
    }
  }
  return n === 1 ? f : null;
}

const SIN_60 = Math.sqrt(3) / 2;
const C1 = Math.cos((2 * Math.PI) / 5);
const C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5);
const S2 = Math.sin((4 * Math.PI) / 5);

export class MixedRadixPlan implements ComplexFftPlan {
  private readonly passes: Pass[] = [];
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  private readonly sr: Float64Array;
  private readonly si: Float64Array;
  // a generic radix's inputs and outputs (at most the largest prime)
  private readonly xr = new Float64Array(MIXED_RADIX_LARGEST_PRIME);
  private readonly xi = new Float64Array(MIXED_RADIX_LARGEST_PRIME);
  private readonly yr = new Float64Array(MIXED_RADIX_LARGEST_PRIME);
  private readonly yi = new Float64Array(MIXED_RADIX_LARGEST_PRIME);

  constructor(readonly size: number) {
    const factors = mixedRadixFactors(size);
    if (!factors) throw new RangeError(`mixed-radix FFT: ${size} has a prime factor above ${MIXED_RADIX_LARGEST_PRIME}`);
    let L = 1;
    let tw = 0;
    for (const p of factors) {
      const m = size / L / p;
      this.passes.push({ p, L, m, tw });
      tw += m * p;
      L *= p;
    }
    this.twRe = new Float64Array(tw);
    this.twIm = new Float64Array(tw);
    for (const { p, m, tw: at } of this.passes) {
      for (let t1 = 0; t1 < m; t1++) {
        for (let k2 = 0; k2 < p; k2++) {
          const a = (-2 * Math.PI * ((t1 * k2) % (p * m))) / (p * m);
          this.twRe[at + t1 * p + k2] = Math.cos(a);
          this.twIm[at + t1 * p + k2] = Math.sin(a);
        }
      }
    }
    this.sr = new Float64Array(size);
    this.si = new Float64Array(size);
  }

  forward(re: Float64Array, im: Float64Array): void {
    this.run(re, im);
  }

  inverse(re: Float64Array, im: Float64Array): void {
    this.run(im, re);
    const s = 1 / this.size;
    for (let i = 0; i < this.size; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }

  /** The forward transform in place (passes alternate with the scratch arrays). */
  private run(re: Float64Array, im: Float64Array): void {
    let [ar, ai, br, bi] = [re, im, this.sr, this.si];
    for (const pass of this.passes) {
      if (pass.p === 2) this.radix2(pass, ar, ai, br, bi);
      else if (pass.p === 3) this.radix3(pass, ar, ai, br, bi);
      else if (pass.p === 4) this.radix4(pass, ar, ai, br, bi);
      else if (pass.p === 5) this.radix5(pass, ar, ai, br, bi);
      else this.generic(pass, ar, ai, br, bi);
      [ar, ai, br, bi] = [br, bi, ar, ai];
    }
    if (ar !== re) {
      re.set(ar);
      im.set(ai);
    }
  }

  /** out[o + L k2] = y * twiddle(t1, k2) (t1 = 0: no product). */
  private put(
    br: Float64Array,
    bi: Float64Array,
    at: number,
    tw: number,
    t1: number,
    yr: number,
    yi: number,
  ): void {
    if (t1 === 0) {
      br[at] = yr;
      bi[at] = yi;
    } else {
      const wr = this.twRe[tw],
        wi = this.twIm[tw];
      br[at] = yr * wr - yi * wi;
      bi[at] = yr * wi + yi * wr;
    }
  }

  private radix2({ L, m, tw }: Pass, ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array): void {
    for (let t1 = 0; t1 < m; t1++) {
      for (let b = 0; b < L; b++) {
        const i0 = b + L * t1,
          i1 = i0 + L * m;
        const o = b + 2 * L * t1;
        br[o] = ar[i0] + ar[i1];
        bi[o] = ai[i0] + ai[i1];
        this.put(br, bi, o + L, tw + t1 * 2 + 1, t1, ar[i0] - ar[i1], ai[i0] - ai[i1]);
      }
    }
  }

  private radix3({ L, m, tw }: Pass, ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array): void {
    const s = L * m;
    for (let t1 = 0; t1 < m; t1++) {
      for (let b = 0; b < L; b++) {
        const i0 = b + L * t1;
        const x0r = ar[i0],
          x0i = ai[i0],
          x1r = ar[i0 + s],
          x1i = ai[i0 + s],
          x2r = ar[i0 + 2 * s],
          x2i = ai[i0 + 2 * s];
        const tr = x1r + x2r,
          ti = x1i + x2i;
        const ur = x0r - 0.5 * tr,
          ui = x0i - 0.5 * ti;
        // v = -i sin(60) (x1 - x2)
        const vr = SIN_60 * (x1i - x2i),
          vi = -SIN_60 * (x1r - x2r);
        const o = b + 3 * L * t1;
        br[o] = x0r + tr;
        bi[o] = x0i + ti;
        this.put(br, bi, o + L, tw + t1 * 3 + 1, t1, ur + vr, ui + vi);
        this.put(br, bi, o + 2 * L, tw + t1 * 3 + 2, t1, ur - vr, ui - vi);
      }
    }
  }

  private radix4({ L, m, tw }: Pass, ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array): void {
    const s = L * m;
    for (let t1 = 0; t1 < m; t1++) {
      for (let b = 0; b < L; b++) {
        const i0 = b + L * t1;
        const x0r = ar[i0],
          x0i = ai[i0],
          x1r = ar[i0 + s],
          x1i = ai[i0 + s],
          x2r = ar[i0 + 2 * s],
          x2i = ai[i0 + 2 * s],
          x3r = ar[i0 + 3 * s],
          x3i = ai[i0 + 3 * s];
        const sr = x0r + x2r,
          si = x0i + x2i,
          dr = x0r - x2r,
          di = x0i - x2i;
        const cr = x1r + x3r,
          ci = x1i + x3i;
        // e = -i (x1 - x3)
        const er = x1i - x3i,
          ei = x3r - x1r;
        const o = b + 4 * L * t1;
        br[o] = sr + cr;
        bi[o] = si + ci;
        this.put(br, bi, o + L, tw + t1 * 4 + 1, t1, dr + er, di + ei);
        this.put(br, bi, o + 2 * L, tw + t1 * 4 + 2, t1, sr - cr, si - ci);
        this.put(br, bi, o + 3 * L, tw + t1 * 4 + 3, t1, dr - er, di - ei);
      }
    }
  }

  private radix5({ L, m, tw }: Pass, ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array): void {
    const s = L * m;
    for (let t1 = 0; t1 < m; t1++) {
      for (let b = 0; b < L; b++) {
        const i0 = b + L * t1;
        const x0r = ar[i0],
          x0i = ai[i0];
        const a1r = ar[i0 + s] + ar[i0 + 4 * s],
          a1i = ai[i0 + s] + ai[i0 + 4 * s],
          b1r = ar[i0 + s] - ar[i0 + 4 * s],
          b1i = ai[i0 + s] - ai[i0 + 4 * s];
        const a2r = ar[i0 + 2 * s] + ar[i0 + 3 * s],
          a2i = ai[i0 + 2 * s] + ai[i0 + 3 * s],
          b2r = ar[i0 + 2 * s] - ar[i0 + 3 * s],
          b2i = ai[i0 + 2 * s] - ai[i0 + 3 * s];
        const r1r = x0r + C1 * a1r + C2 * a2r,
          r1i = x0i + C1 * a1i + C2 * a2i;
        const r2r = x0r + C2 * a1r + C1 * a2r,
          r2i = x0i + C2 * a1i + C1 * a2i;
        // q = -i (s b): (s bi, -s br)
        const q1r = S1 * b1i + S2 * b2i,
          q1i = -(S1 * b1r + S2 * b2r);
        const q2r = S2 * b1i - S1 * b2i,
          q2i = -(S2 * b1r - S1 * b2r);
        const o = b + 5 * L * t1;
        br[o] = x0r + a1r + a2r;
        bi[o] = x0i + a1i + a2i;
        this.put(br, bi, o + L, tw + t1 * 5 + 1, t1, r1r + q1r, r1i + q1i);
        this.put(br, bi, o + 2 * L, tw + t1 * 5 + 2, t1, r2r + q2r, r2i + q2i);
        this.put(br, bi, o + 3 * L, tw + t1 * 5 + 3, t1, r2r - q2r, r2i - q2i);
        this.put(br, bi, o + 4 * L, tw + t1 * 5 + 4, t1, r1r - q1r, r1i - q1i);
      }
    }
  }

  /** Odd primes 7 .. 13: y_k = sum_t2 x_t2 e^{-2 pi i t2 k / p} directly (p^2 products, p small). */
  private generic({ p, L, m, tw }: Pass, ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array): void {
    const s = L * m;
    const { xr, xi, yr, yi } = this;
    for (let t1 = 0; t1 < m; t1++) {
      for (let b = 0; b < L; b++) {
        const i0 = b + L * t1;
        for (let t2 = 0; t2 < p; t2++) {
          xr[t2] = ar[i0 + t2 * s];
          xi[t2] = ai[i0 + t2 * s];
        }
        for (let k = 0; k < p; k++) {
          let sr = 0,
            si = 0;
          for (let t2 = 0, j = 0; t2 < p; t2++, j = (j + k) % p) {
            const c = ROOTS_COS[p][j],
              sn = ROOTS_SIN[p][j];
            sr += xr[t2] * c - xi[t2] * sn;
            si += xr[t2] * sn + xi[t2] * c;
          }
          yr[k] = sr;
          yi[k] = si;
        }
        const o = b + p * L * t1;
        for (let k2 = 0; k2 < p; k2++) this.put(br, bi, o + k2 * L, tw + t1 * p + k2, k2 === 0 ? 0 : t1, yr[k2], yi[k2]);
      }
    }
  }
}

// e^{-2 pi i j / p} for the generic radices
const ROOTS_COS: Float64Array[] = [];
const ROOTS_SIN: Float64Array[] = [];
for (let p = 7; p <= MIXED_RADIX_LARGEST_PRIME; p += 2) {
  ROOTS_COS[p] = Float64Array.from({ length: p }, (_, j) => Math.cos((-2 * Math.PI * j) / p));
  ROOTS_SIN[p] = Float64Array.from({ length: p }, (_, j) => Math.sin((-2 * Math.PI * j) / p));
}
