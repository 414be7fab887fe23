import type { NativeKernels } from '../kernels/native-kernels';
import { kernelTier } from '../kernels/wasm-kernels';
import { mixedRadixFactors } from './mixed-radix-fft';
import { WASM_ODD_RADICES, WasmFftExports, wasmFftModuleBytes } from './wasm-fft-module';

type PassFn = WasmFftExports['pass2'];

/**
 * The WebAssembly SIMD tier's FFTs: the native addon's row transforms (the same calls and
 * contracts, the same results within float32 rounding) for engines with WebAssembly SIMD
 * and no addon. Complex transforms of lengths whose prime factors are at most 13 (the JS
 * mixed-radix plans' lengths) up to 2^18, real transforms of even lengths whose half is
 * such a length, and the fused causal convolution (fft-conv-kernel.ts) at those lengths;
 * other lengths stay on the JS plans (wasmFftFor says which).
 *
 * Rows go four at a time into the lanes of f32x4 vectors. wasm-fft-module.ts runs the
 * passes, the real split passes, the spectrum products and the transposes of rows into
 * lanes and back; JS plans the lengths, computes the twiddles in double, and copies rows
 * into and out of staging rows in the wasm memory (typed-array copies). The inverse complex
 * transform is the forward one with real and imaginary parts swapped on the way in and out.
 * One engine per thread (module state), its memory grown to the largest call it has run.
 */
export type RowFft = Pick<
  NativeKernels,
  'rfftRows' | 'irfftRows' | 'fftRows' | 'fftConvForward' | 'fftConvBackward'
>;

/** The part of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly:
  | {
      validate(bytes: Uint8Array): boolean;
      Memory: new (descriptor: { initial: number }) => WasmMemory;
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
    }
  | undefined;

const LANES = 4;
/** bytes of one complex element of a group: four real parts, then four imaginary parts */
const ELEMENT = 32;
const PAGE = 65536;
/** the longest transform the wasm tier takes (the native addon's limit too; longer ones go to the JS plans) */
const LONGEST = 1 << 18;

/** Floats per staging row for a real transform of half-length m: 2 m samples or m + 1 bins, in whole f32x4s. */
const stageRow = (m: number) => 4 * Math.ceil((2 * m + 4) / 4);
const RADICES = new Set([2, 3, 4, 5, ...WASM_ODD_RADICES]);

interface ComplexPlan {
  n: number;
  passes: { run: PassFn; L: number; m: number; tw: number }[];
}

interface RealPlan {
  n: number;
  /** complex length n / 2 */
  m: number;
  complex: ComplexPlan;
  /** byte address of the split passes' table: (cos / 2, sin / 2, cos / n, sin / n) per bin, then 1 / n (rpost, rpre) */
  w: number;
}

/** The factors the wasm passes run for n (radix 4 first, like the JS and native plans), or null. */
function wasmFactors(n: number): number[] | null {
  const f = n >= 1 && n <= LONGEST ? mixedRadixFactors(n) : null;
  return f && f.every((p) => RADICES.has(p)) ? f : null;
}

/** Whether the wasm FFT takes a real (even n, n / 2 13-smooth) or complex (n 13-smooth) transform of length n. */
export function wasmFftTakes(n: number, real: boolean): boolean {
  return real ? n % 2 === 0 && wasmFactors(n / 2) !== null : wasmFactors(n) !== null;
}

/** Which kernel rows a group's lanes use (-1 past the last row) and whether they are consecutive. */
function laneKernels(r0: number, rows: number, kRows: number): { c: number[]; run: boolean } {
  const c = Array.from({ length: LANES }, (_, l) => (r0 + l < rows ? (r0 + l) % kRows : -1));
  return { c, run: c.every((cl, l) => cl >= 0 && cl === c[0] + l) };
}

export class WasmFft implements RowFft {
  private f: Float32Array;
  /** end of the plans' tables (bytes); each call's scratch starts there */
  private top = 0;
  /** the current call's staging rows (realScratch) */
  private stage = 0;
  private readonly complexPlans = new Map<number, ComplexPlan>();
  private readonly realPlans = new Map<number, RealPlan>();

  constructor(
    private readonly memory: WasmMemory,
    private readonly fns: WasmFftExports,
  ) {
    this.f = new Float32Array(memory.buffer);
  }

  // ---- memory: plans' tables from the bottom up, then one call's scratch ----

  private reserve(end: number): void {
    if (end > this.memory.buffer.byteLength)
      this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / PAGE));
    if (this.f.buffer !== this.memory.buffer) this.f = new Float32Array(this.memory.buffer); // growing detached it
  }

  /** Permanent room for a plan's table, 64-byte aligned. */
  private table(bytes: number): number {
    const at = Math.ceil(this.top / 64) * 64;
    this.top = at + bytes;
    this.reserve(this.top);
    return at;
  }

  /** Scratch areas of the given sizes (bytes) above the tables, valid until the next plan is made. */
  private scratch(...sizes: number[]): number[] {
    let at = Math.ceil(this.top / 64) * 64;
    const out = sizes.map((s) => {
      const a = at;
      at += Math.ceil(s / 64) * 64;
      return a;
    });
    this.reserve(at);
    return out;
  }

  private complexPlan(n: number): ComplexPlan {
    let plan = this.complexPlans.get(n);
    if (plan) return plan;
    const factors = wasmFactors(n);
    if (!factors) throw new RangeError(`wasm FFT: length ${n} is not 13-smooth`);
    plan = { n, passes: [] };
    let L = 1;
    for (const p of factors) {
      const m = n / L / p;
      const tw = this.table(8 * m * p);
      const t = tw / 4;
      // e^{-2 pi i t1 k2 / (p m)}, in double, rounded once
      for (let t1 = 0; t1 < m; t1++) {
        for (let k2 = 0; k2 < p; k2++) {
          const a = (-2 * Math.PI * ((t1 * k2) % (p * m))) / (p * m);
          this.f[t + 2 * (t1 * p + k2)] = Math.cos(a);
          this.f[t + 2 * (t1 * p + k2) + 1] = Math.sin(a);
        }
      }
      plan.passes.push({ run: this.fns[`pass${p}` as 'pass2'], L, m, tw });
      L *= p;
    }
    this.complexPlans.set(n, plan);
    return plan;
  }

  private realPlan(n: number): RealPlan {
    let plan = this.realPlans.get(n);
    if (plan) return plan;
    const m = n / 2;
    const complex = this.complexPlan(m);
    const w = this.table(16 * (m + 2));
    const t = w / 4;
    for (let k = 0; k <= m; k++) {
      const a = (-2 * Math.PI * k) / n;
      // exact at k = 0 and m, so the DC and Nyquist bins come out real
      const c = k === 0 ? 1 : k === m ? -1 : Math.cos(a);
      const s = k === 0 || k === m ? 0 : Math.sin(a);
      this.f.set([c / 2, s / 2, c / n, s / n], t + 4 * k);
    }
    this.f.set([1 / n, 0, 0, 0], t + 4 * (m + 1)); // the irfft's scale (rpre)
    plan = { n, m, complex, w };
    this.realPlans.set(n, plan);
    return plan;
  }

  /** The plan's passes on the group at a, alternating with b; returns where the result is. */
  private transform(plan: ComplexPlan, a: number, b: number): number {
    for (const { run, L, m, tw } of plan.passes) {
      run(L, m, a, b, tw);
      [a, b] = [b, a];
    }
    return a;
  }

  // ---- rows into lanes and back ----

  /**
   * Scratch for a real transform of half-length m: `groups` group buffers (elements 0 .. m,
   * and three more that unpackBins may read), then the staging rows, then the extra areas.
   */
  private realScratch(m: number, groups: number, ...extra: number[]): number[] {
    const areas = this.scratch(
      ...new Array<number>(groups).fill(ELEMENT * (m + 4)),
      32 * stageRow(m),
      ...extra,
    );
    this.stage = areas[groups];
    return [...areas.slice(0, groups), ...areas.slice(groups + 1)];
  }

  /**
   * Rows r0.. of first and second (rows of `width` floats) into the staging rows 0-3 and 4-7
   * (`row` floats apart), zero-padded to whole f32x4s; rows past `rows` zero.
   */
  private stageTwo(
    first: Float32Array,
    second: Float32Array,
    width: number,
    r0: number,
    rows: number,
    row: number,
  ): void {
    const f = this.f;
    const padded = 4 * Math.ceil(width / 4);
    for (let l = 0; l < LANES; l++) {
      const r = r0 + l;
      for (const [v, at] of [
        [first, this.stage / 4 + l * row],
        [second, this.stage / 4 + (LANES + l) * row],
      ] as const) {
        if (r < rows) f.set(v.subarray(r * width, (r + 1) * width), at);
        f.fill(0, r < rows ? at + width : at, at + padded);
      }
    }
  }

  /** The first `width` floats of staging rows 0-3 and 4-7 into rows r0.. of first and second (up to `rows`). */
  private unstageTwo(
    first: Float32Array,
    second: Float32Array,
    width: number,
    r0: number,
    rows: number,
    row: number,
  ): void {
    const f = this.f;
    for (let l = 0; l < LANES && r0 + l < rows; l++) {
      const at = this.stage / 4 + l * row;
      first.set(f.subarray(at, at + width), (r0 + l) * width);
      second.set(f.subarray(at + LANES * row, at + LANES * row + width), (r0 + l) * width);
    }
  }

  /**
   * Group at byte g: lane l holds row r0 + l of src (rows of `stride` floats, the first `len`
   * of them used, zero-padded to 2 m) packed as z_j = x_2j + i x_2j+1, j < m; lanes past
   * `rows` are zero. The rows are copied to the staging rows, and the wasm transposes them.
   */
  private packReal(
    g: number,
    src: Float32Array,
    r0: number,
    rows: number,
    stride: number,
    len: number,
    m: number,
  ): void {
    const f = this.f;
    const row = stageRow(m);
    const use = Math.min(len, 2 * m);
    const padded = 4 * Math.ceil(m / 2);
    for (let l = 0; l < LANES; l++) {
      const at = this.stage / 4 + l * row;
      const r = r0 + l;
      if (r < rows) f.set(src.subarray(r * stride, r * stride + use), at);
      f.fill(0, r < rows ? at + use : at, at + padded);
    }
    this.fns.packRows(m, this.stage, 4 * row, g);
  }

  /**
   * The first `len` samples (len <= 2 m) of each lane of group z (the inverse passes' output,
   * see rpre) into rows r0.. of dst (rows of `stride` floats; rows past `rows` are dropped).
   */
  private unpackReal(
    z: number,
    dst: Float32Array,
    r0: number,
    rows: number,
    stride: number,
    len: number,
    m: number,
  ): void {
    const row = stageRow(m);
    this.fns.unpackRows(m, z, this.stage, 4 * row);
    const f = this.f;
    for (let l = 0; l < LANES && r0 + l < rows; l++) {
      const at = this.stage / 4 + l * row;
      dst.set(f.subarray(at, at + len), (r0 + l) * stride);
    }
  }

  /** The bins of group x (of a real transform of half-length m) into rows r0.. of (re, im). */
  private unpackBins(
    x: number,
    m: number,
    re: Float32Array,
    im: Float32Array,
    r0: number,
    rows: number,
  ): void {
    const row = stageRow(m);
    this.fns.unpackBins(m + 1, x, this.stage, 4 * row);
    this.unstageTwo(re, im, m + 1, r0, rows, row);
  }

  // ---- the row transforms (NativeKernels' contracts) ----

  rfftRows(
    x: Float32Array,
    rows: number,
    len: number,
    n: number,
    outRe: Float32Array,
    outIm: Float32Array,
  ): void {
    const plan = this.realPlan(n);
    const [a, b] = this.realScratch(plan.m, 2);
    for (let r0 = 0; r0 < rows; r0 += LANES) {
      this.unpackBins(this.rfftGroup(plan, x, r0, rows, len, len, a, b), plan.m, outRe, outIm, r0, rows);
    }
  }

  /** rfft of rows r0.. of src into group a or b (returned). */
  private rfftGroup(
    plan: RealPlan,
    src: Float32Array,
    r0: number,
    rows: number,
    stride: number,
    len: number,
    a: number,
    b: number,
  ): number {
    this.packReal(a, src, r0, rows, stride, len, plan.m);
    const z = this.transform(plan.complex, a, b);
    const x = z === a ? b : a;
    this.fns.rpost(plan.m, z, x, plan.w);
    return x;
  }

  /** irfft of group x (bins), using y as the other buffer; returns the group holding the samples (see unpackReal). */
  private irfftGroup(plan: RealPlan, x: number, y: number): number {
    this.fns.rpre(plan.m, x, y, plan.w);
    return this.transform(plan.complex, y, x);
  }

  irfftRows(re: Float32Array, im: Float32Array, rows: number, n: number, out: Float32Array): void {
    const plan = this.realPlan(n);
    const { m } = plan;
    const bins = m + 1;
    const [a, b] = this.realScratch(m, 2);
    const row = stageRow(m);
    for (let r0 = 0; r0 < rows; r0 += LANES) {
      this.stageTwo(re, im, bins, r0, rows, row);
      this.fns.packBins(bins, this.stage, 4 * row, a);
      // the DC and Nyquist bins' imaginary parts are ignored, as numpy's irfft does
      const f = this.f;
      f.fill(0, a / 4 + 4, a / 4 + 8);
      f.fill(0, a / 4 + 8 * m + 4, a / 4 + 8 * m + 8);
      this.unpackReal(this.irfftGroup(plan, a, b), out, r0, rows, n, n, m);
    }
  }

  fftRows(
    re: Float32Array,
    im: Float32Array,
    rows: number,
    n: number,
    inverse: boolean,
    outRe: Float32Array,
    outIm: Float32Array,
  ): void {
    const plan = this.complexPlan(n);
    const row = 4 * Math.ceil(n / 4);
    const [a, b, stage] = this.scratch(ELEMENT * row, ELEMENT * row, 32 * row);
    this.stage = stage;
    // the inverse: real parts in the imaginary slots and back (swap(F(swap(x))) = n F^-1 x)
    const [inRe, inIm, outReal, outImag] = inverse ? [im, re, outIm, outRe] : [re, im, outRe, outIm];
    for (let r0 = 0; r0 < rows; r0 += LANES) {
      this.stageTwo(inRe, inIm, n, r0, rows, row);
      this.fns.packBins(n, this.stage, 4 * row, a);
      this.fns.unpackBins(n, this.transform(plan, a, b), this.stage, 4 * row);
      this.unstageTwo(outReal, outImag, n, r0, rows, row);
    }
    if (inverse) {
      for (let i = 0; i < rows * n; i++) {
        outRe[i] /= n;
        outIm[i] /= n;
      }
    }
  }

  // ---- the fused causal convolution (fft-conv-kernel.ts) ----

  /**
   * The spectra of the kernels' first Ke taps as [bins][kRows] tables of floats at kre and
   * kim (so that four consecutive kernels' bin is one vector), using groups a and b.
   */
  private kernelSpectra(
    plan: RealPlan,
    k: Float32Array,
    kRows: number,
    K: number,
    Ke: number,
    kre: number,
    kim: number,
    a: number,
    b: number,
  ): void {
    const bins = plan.m + 1;
    for (let c0 = 0; c0 < kRows; c0 += LANES) {
      const x = this.rfftGroup(plan, k, c0, kRows, K, Ke, a, b);
      if (c0 + LANES <= kRows) {
        this.fns.spread(bins, x, kre + 4 * c0, kim + 4 * c0, 4 * kRows);
        continue;
      }
      const f = this.f;
      for (let l = 0; c0 + l < kRows; l++) {
        for (let j = 0; j < bins; j++) {
          f[kre / 4 + j * kRows + c0 + l] = f[x / 4 + 8 * j + l];
          f[kim / 4 + j * kRows + c0 + l] = f[x / 4 + 8 * j + 4 + l];
        }
      }
    }
  }

  /**
   * Where a group's kernel bins are: in the [bins][kRows] table itself when its lanes use
   * consecutive kernels, else gathered lane by lane into the [bins][4] table at (tre, tim).
   */
  private laneTable(
    lk: { c: number[]; run: boolean },
    bins: number,
    kRows: number,
    kre: number,
    kim: number,
    tre: number,
    tim: number,
  ): [number, number, number] {
    if (lk.run) return [kre + 4 * lk.c[0], kim + 4 * lk.c[0], 4 * kRows];
    const f = this.f;
    for (let l = 0; l < LANES; l++) {
      const c = lk.c[l];
      for (let j = 0; j < bins; j++) {
        f[tre / 4 + 4 * j + l] = c < 0 ? 0 : f[kre / 4 + j * kRows + c];
        f[tim / 4 + 4 * j + l] = c < 0 ? 0 : f[kim / 4 + j * kRows + c];
      }
    }
    return [tre, tim, 16];
  }

  fftConvForward(
    u: Float32Array,
    k: Float32Array,
    rows: number,
    L: number,
    kRows: number,
    K: number,
    n: number,
    y: Float32Array,
  ): void {
    const plan = this.realPlan(n);
    const bins = plan.m + 1;
    const table = 4 * bins * kRows;
    const [a, b, kre, kim, tre, tim] = this.realScratch(plan.m, 2, table, table, 16 * bins, 16 * bins);
    this.kernelSpectra(plan, k, kRows, K, Math.min(K, L), kre, kim, a, b);
    for (let r0 = 0; r0 < rows; r0 += LANES) {
      const x = this.rfftGroup(plan, u, r0, rows, L, L, a, b);
      const [pre, pim, stride] = this.laneTable(
        laneKernels(r0, rows, kRows),
        bins,
        kRows,
        kre,
        kim,
        tre,
        tim,
      );
      this.fns.cmul(bins, x, pre, pim, stride);
      this.unpackReal(this.irfftGroup(plan, x, x === a ? b : a), y, r0, rows, L, L, plan.m);
    }
  }

  fftConvBackward(
    dy: Float32Array,
    u: Float32Array,
    k: Float32Array,
    rows: number,
    L: number,
    kRows: number,
    K: number,
    n: number,
    du: Float32Array,
    dk: Float32Array,
  ): void {
    const plan = this.realPlan(n);
    const bins = plan.m + 1;
    const Ke = Math.min(K, L);
    const table = 4 * bins * kRows;
    const [a, b, c, d, kre, kim, are, aim, tre, tim] = this.realScratch(
      plan.m,
      4,
      ...[table, table, table, table, 16 * bins, 16 * bins],
    );
    this.kernelSpectra(plan, k, kRows, K, Ke, kre, kim, a, b);
    this.f.fill(0, are / 4, are / 4 + bins * kRows);
    this.f.fill(0, aim / 4, aim / 4 + bins * kRows);
    for (let r0 = 0; r0 < rows; r0 += LANES) {
      const lk = laneKernels(r0, rows, kRows);
      const x = this.rfftGroup(plan, dy, r0, rows, L, L, a, b);
      const us = this.rfftGroup(plan, u, r0, rows, L, L, c, d);
      // dk's spectrum: rfft(dy) conj(rfft(u)), summed over each kernel's rows in ascending order
      if (lk.run) {
        this.fns.macConj(bins, x, us, are + 4 * lk.c[0], aim + 4 * lk.c[0], 4 * kRows);
      } else {
        this.f.fill(0, tre / 4, tre / 4 + 4 * bins);
        this.f.fill(0, tim / 4, tim / 4 + 4 * bins);
        this.fns.macConj(bins, x, us, tre, tim, 16);
        const f = this.f;
        for (let l = 0; l < LANES && lk.c[l] >= 0; l++) {
          for (let j = 0; j < bins; j++) {
            f[are / 4 + j * kRows + lk.c[l]] += f[tre / 4 + 4 * j + l];
            f[aim / 4 + j * kRows + lk.c[l]] += f[tim / 4 + 4 * j + l];
          }
        }
      }
      // du's spectrum: rfft(dy) conj(rfft(k))
      const [pre, pim, stride] = this.laneTable(lk, bins, kRows, kre, kim, tre, tim);
      this.fns.cmulConj(bins, x, pre, pim, stride);
      this.unpackReal(this.irfftGroup(plan, x, x === a ? b : a), du, r0, rows, L, L, plan.m);
    }
    for (let c0 = 0; c0 < kRows; c0 += LANES) {
      if (c0 + LANES <= kRows) {
        this.fns.gather(bins, are + 4 * c0, aim + 4 * c0, 4 * kRows, a);
      } else {
        const f = this.f;
        for (let l = 0; l < LANES; l++) {
          for (let j = 0; j < bins; j++) {
            f[a / 4 + 8 * j + l] = c0 + l < kRows ? f[are / 4 + j * kRows + c0 + l] : 0;
            f[a / 4 + 8 * j + 4 + l] = c0 + l < kRows ? f[aim / 4 + j * kRows + c0 + l] : 0;
          }
        }
      }
      this.unpackReal(this.irfftGroup(plan, a, b), dk, c0, kRows, K, Ke, plan.m);
      // taps past L never reach an output: their gradient is zero
      for (let c1 = c0; c1 < Math.min(c0 + LANES, kRows); c1++) dk.fill(0, c1 * K + Ke, (c1 + 1) * K);
    }
  }
}

let instance: WasmFft | null | undefined;

/** The engine (one module instance with a memory of its own), or null without WebAssembly SIMD. */
export function wasmFft(): WasmFft | null {
  if (instance !== undefined) return instance;
  instance = null;
  if (typeof WebAssembly === 'undefined') return null;
  try {
    const bytes = wasmFftModuleBytes();
    if (!WebAssembly.validate(bytes)) return null; // no SIMD in this engine
    const memory = new WebAssembly.Memory({ initial: 1 });
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    instance = new WasmFft(memory, exports as unknown as WasmFftExports);
  } catch {
    instance = null;
  }
  return instance;
}

/**
 * The wasm FFT for a transform of length n (real: an rfft/irfft or the convolution's
 * length) when the wasm kernels are the tier in use (no native addon, or useKernels('wasm'))
 * and the wasm passes take n; null otherwise (the native addon or the JS plans run it).
 */
export function wasmFftFor(n: number, real: boolean): RowFft | null {
  return kernelTier() === 'wasm' && wasmFftTakes(n, real) ? wasmFft() : null;
}
