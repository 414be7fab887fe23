import { fastExp, fastSigmoid, fastTanh } from '@seqcast/numeric';
import { gemmNN, gemmStrided } from './small-gemm';
import { Code, WasmFunction, code, forLoop, op, wasmModule } from './wasm-assembler';
import type { KernelArena } from './kernel-arena';
import { configuredKernels } from './configure-kernels';
import { NativeArena } from './native-arena';
import { nativeKernels, nativeKernelsBuilt, useNativeKernels } from './native-kernels';

/**
 * The inner loops of the fused ops that plain JS runs slowly, on WebAssembly SIMD:
 *  - gemm: C += A B on float32 rows, 4 rows x 8 columns per register tile (eight f32x4
 *    sums), ~7-10 GMAC/s in V8 against ~1.5 for the best plain-JS tile (small-gemm.ts).
 *    Sums are float32 (like tfjs's and PyTorch's matmuls), not float64.
 *  - exp, tanh, sigmoid in place over a range, four lanes at a time in float32 (error
 *    within a few float32 ulps), several times faster than @seqcast/numeric's scalar fastExp/fastTanh.
 *  - decay: the continuous-time LSTM's state at a gap (NHP's intensities and recurrence).
 * Where WebAssembly SIMD is missing the same calls run in plain JS (small-gemm.ts,
 * @seqcast/numeric's fast-math.ts).
 */

let jsOnly = false;
let native: NativeArena | undefined;

/**
 * An arena of at least `floats` floats (its contents are undefined: callers write before
 * they read): on the native kernels where they are built (native-kernels.ts), else on
 * WebAssembly SIMD, else plain JS.
 */
export function kernelArena(floats: number): KernelArena {
  if (jsOnly) return jsArena(floats);
  const nk = nativeKernels();
  if (nk) return (native ??= new NativeArena(nk)).arena(floats);
  const w = wasmKernels();
  return w ? w.arena(floats) : jsArena(floats);
}

export type KernelTier = 'native' | 'wasm' | 'js';

/** Which kernels the arenas run on. */
export function kernelTier(): KernelTier {
  if (jsOnly) return 'js';
  if (nativeKernels()) return 'native';
  return wasmKernels() !== null ? 'wasm' : 'js';
}

/** For tests: run everything on the plain-JS fallback (what engines without WebAssembly SIMD get). */
export function useJsKernels(on: boolean): void {
  jsOnly = on;
}

/**
 * For tests and benchmarks: run the arenas, and the ops that ask kernelTier, on one tier;
 * 'auto' restores the configured one (native where built, unless SEQCAST_NATIVE=0).
 */
export function useKernels(tier: KernelTier | 'auto'): void {
  jsOnly = tier === 'js';
  useNativeKernels(tier === 'native' || (tier === 'auto' && configuredKernels().native));
}

/** The tiers this process can run (native only where the addon is built), fastest first. */
export function kernelTiers(): KernelTier[] {
  const tiers: KernelTier[] = [];
  if (nativeKernelsBuilt()) tiers.push('native');
  if (wasmKernels()) tiers.push('wasm');
  tiers.push('js');
  return tiers;
}

type Unary = (x: number) => number;

/** KernelArena.decay in JS: the fallback, and the wasm path's H % 4 != 0 case. */
function decayJs(
  buf: Float32Array,
  ints: Int32Array,
  rows: number,
  H: number,
  offs: number,
  ts: number,
  d: number,
  cb: number,
  c: number,
  o: number,
  e: number,
  x: number,
  th: number,
  h: number,
): void {
  for (let r = 0; r < rows; r++) {
    const a = ints[offs + r];
    const gap = buf[ts + r];
    for (let j = 0; j < H; j++) {
      const i = r * H + j;
      const ej = fastExp(-buf[d + a + j] * gap);
      const xj = buf[cb + a + j] + (buf[c + a + j] - buf[cb + a + j]) * ej;
      const tj = fastTanh(xj);
      buf[e + i] = ej;
      buf[x + i] = xj;
      buf[th + i] = tj;
      buf[h + i] = buf[o + a + j] * tj;
    }
  }
}

/** buf[off..off + n) = f(itself): the JS fallback, and the wasm kernels' last n % 4 elements. */
function mapJs(buf: Float32Array, off: number, n: number, f: Unary): void {
  for (let i = off; i < off + n; i++) buf[i] = f(buf[i]);
}

/**
 * The plain-JS arena. Arenas are class instances (methods on the prototype) so that call
 * sites in the ops see one call target: fresh closures per arena made V8 deoptimise them.
 */
class JsArena implements KernelArena {
  readonly buf: Float32Array;
  readonly ints: Int32Array;
  constructor(floats: number) {
    this.buf = new Float32Array(floats);
    this.ints = new Int32Array(this.buf.buffer);
  }
  decay(
    rows: number,
    H: number,
    offs: number,
    ts: number,
    d: number,
    cb: number,
    c: number,
    o: number,
    e: number,
    x: number,
    th: number,
    h: number,
  ): void {
    decayJs(this.buf, this.ints, rows, H, offs, ts, d, cb, c, o, e, x, th, h);
  }
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    acs = 1,
  ): void {
    if (acs === 1) gemmNN(m, n, k, this.buf, a, lda, this.buf, b, ldb, this.buf, c, ldc);
    else gemmStrided(m, n, k, this.buf, a, lda, acs, this.buf, b, ldb, this.buf, c, ldc);
  }
  exp(off: number, n: number): void {
    mapJs(this.buf, off, n, fastExp);
  }
  tanh(off: number, n: number): void {
    mapJs(this.buf, off, n, fastTanh);
  }
  sigmoid(off: number, n: number): void {
    mapJs(this.buf, off, n, fastSigmoid);
  }
}

function jsArena(floats: number): KernelArena {
  return new JsArena(floats);
}

// ---- the WebAssembly side ------------------------------------------------------------------

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

type GemmFn = (
  m: number,
  n: number,
  k: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  acs: number,
) => void;
type MapFn = (ptr: number, n: number) => void;
type DecayFn = (...pointers: number[]) => void;

const PAGE_FLOATS = 65536 / 4;

/** The module's instance; it is also the arena (one arena, see KernelArena). */
class WasmKernels implements KernelArena {
  buf: Float32Array;
  ints: Int32Array;
  constructor(
    private readonly memory: WasmMemory,
    private readonly fns: { gemm: GemmFn; exp: MapFn; tanh: MapFn; sigmoid: MapFn; decay: DecayFn },
  ) {
    this.buf = new Float32Array(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
  }

  arena(floats: number): KernelArena {
    if (floats > this.buf.length) {
      this.memory.grow(Math.ceil((floats - this.buf.length) / PAGE_FLOATS));
      this.buf = new Float32Array(this.memory.buffer); // growing detaches the old views
      this.ints = new Int32Array(this.memory.buffer);
    }
    return this;
  }

  decay(
    rows: number,
    H: number,
    offs: number,
    ts: number,
    d: number,
    cb: number,
    c: number,
    o: number,
    e: number,
    x: number,
    th: number,
    h: number,
  ): void {
    if (H % 4 !== 0) decayJs(this.buf, this.ints, rows, H, offs, ts, d, cb, c, o, e, x, th, h);
    else if (rows > 0)
      this.fns.decay(rows, H, 4 * offs, 4 * ts, 4 * d, 4 * cb, 4 * c, 4 * o, 4 * e, 4 * x, 4 * th, 4 * h);
  }

  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    acs = 1,
  ): void {
    const buf = this.buf;
    const m4 = m & ~3;
    const n8 = n & ~7;
    if (m4 > 0 && n8 > 0 && k > 0) this.fns.gemm(m4, n8, k, 4 * a, lda, 4 * b, ldb, 4 * c, ldc, acs);
    // the ragged edges in JS: columns n8..n of the first m4 rows, then the last m % 4 rows
    if (n8 < n && m4 > 0) gemmStrided(m4, n - n8, k, buf, a, lda, acs, buf, b + n8, ldb, buf, c + n8, ldc);
    if (m4 < m) gemmStrided(m - m4, n, k, buf, a + m4 * lda, lda, acs, buf, b, ldb, buf, c + m4 * ldc, ldc);
  }

  exp(off: number, n: number): void {
    this.map(this.fns.exp, fastExp, off, n);
  }

  tanh(off: number, n: number): void {
    this.map(this.fns.tanh, fastTanh, off, n);
  }

  sigmoid(off: number, n: number): void {
    this.map(this.fns.sigmoid, fastSigmoid, off, n);
  }

  /** wasm on the first n - n % 4 elements, JS (the same function in doubles) on the rest. */
  private map(wasm: MapFn, js: Unary, off: number, n: number): void {
    const n4 = n & ~3;
    if (n4 > 0) wasm(4 * off, n4);
    if (n4 < n) mapJs(this.buf, off + n4, n - n4, js);
  }
}

let kernels: WasmKernels | null | undefined;
let compiled: object | null | undefined;

/** The shared arena's instance (null without WebAssembly SIMD). */
function wasmKernels(): WasmKernels | null {
  if (kernels === undefined) kernels = instantiateKernels();
  return kernels;
}

/**
 * A second arena with a memory of its own (another instance of the same module), for a
 * caller that can run while a fused op holds data in the shared arena: the cpu backend's
 * matmul kernels (matmul-cpu.ts), which any tf op called inside a fused op may reach.
 * null without WebAssembly SIMD. Like the shared arena it grows to its largest request,
 * so its owner keeps its requests bounded.
 */
export function separateKernelArena(): { arena(floats: number): KernelArena } | null {
  return wasmKernels() ? instantiateKernels() : null;
}

/** The module compiled once (null where the engine lacks WebAssembly SIMD). */
function compiledKernels(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly === 'undefined') return null;
  try {
    const bytes = wasmModule([
      gemmFunction(),
      mapFunction('exp', expOf),
      mapFunction('tanh', tanhOf),
      mapFunction('sigmoid', sigmoidOf),
      decayFunction(),
    ]);
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes); // else no SIMD in this engine
  } catch {
    compiled = null;
  }
  return compiled;
}

function instantiateKernels(): WasmKernels | null {
  const module = compiledKernels();
  if (!module) return null;
  try {
    const memory = new WebAssembly!.Memory({ initial: 16 });
    const { exports } = new WebAssembly!.Instance(module, { env: { memory } });
    return new WasmKernels(memory, exports as never);
  } catch {
    return null;
  }
}

// ---- gemm(m, n, k, a, lda, b, ldb, c, ldc, acs): m, n multiples of 4 and 8; pointers in bytes, strides in
// floats; A's element (i, p) at a + i lda + p acs (acs = 1: row-major; lda = 1: A stored transposed)

const [M, N, K, A, LDA, B, LDB, C, LDC, ACS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
// i32 locals: row, column, inner index, A's pointer, B's pointer, C's pointer, A's row and column strides in bytes
const [I, J, P, AP, BP, CP, AROW, ACOL] = [10, 11, 12, 13, 14, 15, 16, 17];
// v128 locals: 8 sums (row r: columns 0-3 in SUM + 2r, 4-7 in SUM + 2r + 1), B's two vectors, a splat
const SUM = 18;
const [B0, B1, SPLAT] = [26, 27, 28];

/** sum += splat * b for one row r and one of B's vectors. */
function multiplyAdd(sum: number, b: number): Code {
  return code(op.get(SPLAT), op.get(b), op.f32x4Mul, op.get(sum), op.f32x4Add, op.set(sum));
}

/** One step of the inner index: load 8 floats of B's row p, multiply-add each of A's 4 values. */
function innerStep(): Code {
  const out = code(op.get(BP), op.v128Load(0), op.set(B0), op.get(BP), op.v128Load(16), op.set(B1));
  for (let r = 0; r < 4; r++) {
    const address = r > 0 ? code(op.get(AP), op.get(AROW), op.i32(r), op.mul, op.add) : op.get(AP);
    out.push(
      ...address,
      ...op.f32Load,
      ...op.f32x4Splat,
      ...op.set(SPLAT),
      ...multiplyAdd(SUM + 2 * r, B0),
      ...multiplyAdd(SUM + 2 * r + 1, B1),
    );
  }
  // next column of A, next row of B (ldb floats)
  out.push(
    ...code(op.get(AP), op.get(ACOL), op.add, op.set(AP)),
    ...code(op.get(BP), op.get(LDB), op.i32(2), op.shl, op.add, op.set(BP)),
  );
  return out;
}

/** C's 4 x 8 tile at (i, j) += the sums. */
function storeTile(): Code {
  const out = code(
    op.get(C),
    op.get(I),
    op.get(LDC),
    op.mul,
    op.get(J),
    op.add,
    op.i32(2),
    op.shl,
    op.add,
    op.set(CP),
  );
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++)
      out.push(
        ...code(
          op.get(CP),
          op.get(CP),
          op.v128Load(16 * h),
          op.get(SUM + 2 * r + h),
          op.f32x4Add,
          op.v128Store(16 * h),
        ),
      );
    out.push(...code(op.get(CP), op.get(LDC), op.i32(2), op.shl, op.add, op.set(CP)));
  }
  return out;
}

/** One 4 x 8 tile: zero the sums, run the inner index, add into C. */
function tile(): Code {
  const out: Code = [];
  for (let q = 0; q < 8; q++) out.push(...op.f32x4(0), ...op.set(SUM + q));
  out.push(...code(op.get(A), op.get(I), op.get(AROW), op.mul, op.add, op.set(AP))); // A + i lda (bytes)
  out.push(...code(op.get(B), op.get(J), op.i32(2), op.shl, op.add, op.set(BP))); // B + j (bytes)
  return code(out, forLoop(P, K, 1, innerStep()), storeTile());
}

function gemmFunction(): WasmFunction {
  const strides = code(
    op.get(LDA),
    op.i32(2),
    op.shl,
    op.set(AROW),
    op.get(ACS),
    op.i32(2),
    op.shl,
    op.set(ACOL),
  );
  const body = code(strides, forLoop(I, M, 4, forLoop(J, N, 8, tile())));
  return { name: 'gemm', params: 10, i32Locals: 8, v128Locals: 11, body };
}

// ---- exp / tanh / sigmoid(ptr, n): in place over n floats (n a multiple of 4) at byte address ptr

/** v128 locals the math below may clobber. */
interface Scratch {
  k: number;
  r: number;
  t: number;
  abs: number;
}

/**
 * exp of local `x` onto the stack: x clamped to [-87.3, 88.3] (results stay normal
 * float32s: 1.6e-38 stands for underflow, 2.2e38 for overflow), x = k ln 2 + r with
 * |r| <= ln 2 / 2, e^r by its Taylor polynomial to r^7 (next term below 1e-8 relative),
 * 2^k built in the exponent bits. Clobbers k and r.
 */
function expOf(x: number, { k, r }: Scratch): Code {
  const clamp = code(op.get(x), op.f32x4(88.3), op.f32x4Min, op.f32x4(-87.3), op.f32x4Max, op.set(r));
  const split = code(op.get(r), op.f32x4(Math.LOG2E), op.f32x4Mul, op.f32x4Nearest, op.set(k));
  // r = x - k ln2 with ln 2 in two parts (the first exact in float32, so k * it is too)
  const hi = code(op.get(k), op.f32x4(0.693359375), op.f32x4Mul, op.f32x4Sub);
  const lo = code(op.get(k), op.f32x4(Math.LN2 - 0.693359375), op.f32x4Mul, op.f32x4Sub);
  const reduce = code(op.get(r), hi, lo, op.set(r));
  const horner: Code = [...op.f32x4(1 / 5040)];
  for (const c of [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1])
    horner.push(...code(op.get(r), op.f32x4Mul, op.f32x4(c), op.f32x4Add));
  const pow2 = code(op.get(k), op.i32x4TruncSatF32x4, op.i32x4(127), op.i32x4Add, op.i32(23), op.i32x4Shl); // float bits of 2^k
  return code(clamp, split, reduce, horner, pow2, op.f32x4Mul);
}

/** 1 / (1 + e^-x). Clobbers t, k, r. */
function sigmoidOf(x: number, s: Scratch): Code {
  return code(
    op.get(x),
    op.f32x4Neg,
    op.set(s.t),
    op.f32x4(1),
    op.f32x4(1),
    expOf(s.t, s),
    op.f32x4Add,
    op.f32x4Div,
  );
}

/**
 * tanh: for |x| < 0.3 its Taylor polynomial to x^9 (next term below 6e-8 relative), else
 * +-(1 - 2 / (e^2|x| + 1)) (the polynomial avoids that form's cancellation near 0).
 * Clobbers all of the scratch.
 */
function tanhOf(x: number, s: Scratch): Code {
  const x2 = code(op.get(x), op.get(x), op.f32x4Mul);
  const series: Code = [...op.f32x4(62 / 2835)];
  for (const c of [-17 / 315, 2 / 15, -1 / 3, 1])
    series.push(...code(x2, op.f32x4Mul, op.f32x4(c), op.f32x4Add));
  series.push(...op.get(x), ...op.f32x4Mul);
  const abs = code(op.get(x), op.f32x4Abs, op.set(s.abs));
  const e2 = code(op.get(s.abs), op.get(s.abs), op.f32x4Add, op.set(s.t), expOf(s.t, s));
  const large = code(
    op.f32x4(1),
    op.f32x4(2),
    e2,
    op.f32x4(1),
    op.f32x4Add,
    op.f32x4Div,
    op.f32x4Sub,
    op.set(s.t),
  );
  const signed = code(
    op.get(s.t),
    op.f32x4Neg,
    op.get(s.t),
    op.get(x),
    op.f32x4(0),
    op.f32x4Lt,
    op.bitselect,
  ); // x < 0 ? -t : t
  return code(abs, large, series, signed, op.get(s.abs), op.f32x4(0.3), op.f32x4Lt, op.bitselect); // |x| < 0.3 ? series : signed
}

/** for (p = ptr; p < ptr + 4 n; p += 16) store(p, f(load(p))). */
function mapFunction(name: string, f: (x: number, s: Scratch) => Code): WasmFunction {
  const [PTR, COUNT, END, X] = [0, 1, 2, 3];
  const scratch = { k: 4, r: 5, t: 6, abs: 7 };
  const end = code(op.get(PTR), op.get(COUNT), op.i32(2), op.shl, op.add, op.set(END));
  const step = code(op.get(PTR), op.v128Load(0), op.set(X), op.get(PTR), f(X, scratch), op.v128Store(0));
  const next = code(op.get(PTR), op.i32(16), op.add, op.set(PTR));
  const loop = code(
    op.block,
    op.loop,
    op.get(PTR),
    op.get(END),
    op.geU,
    op.brIf(1),
    step,
    next,
    op.br(0),
    op.end,
    op.end,
  );
  return { name, params: 2, i32Locals: 1, v128Locals: 5, body: code(end, loop) };
}

// ---- decay(rows, H, offs, ts, D, CB, C, O, E, X, TH, HH): the continuous-time LSTM's decayed state

/**
 * For row r (state at float offset offs[r] of the arrays D, CB, C, O: delta, cBar, c, o;
 * gap ts[r]) and unit j < H (a multiple of 4), with out = r H + j:
 *   E[out] = exp(-delta t), X[out] = cBar + (c - cBar) E[out], TH[out] = tanh(X[out]),
 *   HH[out] = o TH[out].
 * What NHP's intensity at sampled times and its recurrence's step to the next event
 * both compute (pointers in bytes).
 */
function decayFunction(): WasmFunction {
  const [ROWS, H, OFFS, TS, D, CB, C, O, EO, XO, THO, HO] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [ROW, JB, AOFF, OUT, HB] = [12, 13, 14, 15, 16]; // i32: row, byte in the row, state offset, output offset, row bytes
  const [TV, V, E, XX] = [17, 18, 19, 20]; // v128: gap, scratch, decay, decayed cell
  const scratch = { k: 21, r: 22, t: 23, abs: 24 };
  const at = (base: number) => code(op.get(base), op.get(AOFF), op.add, op.get(JB), op.add); // state address
  const out = (base: number) => code(op.get(base), op.get(OUT), op.add, op.get(JB), op.add); // output address
  // prettier-ignore
  const unit = code(
    at(D), op.v128Load(0), op.get(TV), op.f32x4Mul, op.f32x4Neg, op.set(V), expOf(V, scratch), op.set(E),
    at(CB), op.v128Load(0), at(C), op.v128Load(0), at(CB), op.v128Load(0), op.f32x4Sub, op.get(E), op.f32x4Mul, op.f32x4Add, op.set(XX),
    out(EO), op.get(E), op.v128Store(0), out(XO), op.get(XX), op.v128Store(0),
    tanhOf(XX, scratch), op.set(V), out(THO), op.get(V), op.v128Store(0),
    out(HO), at(O), op.v128Load(0), op.get(V), op.f32x4Mul, op.v128Store(0),
  );
  // prettier-ignore
  const row = code(
    op.get(OFFS), op.get(ROW), op.i32(2), op.shl, op.add, op.i32Load, op.i32(2), op.shl, op.set(AOFF),
    op.get(TS), op.get(ROW), op.i32(2), op.shl, op.add, op.f32Load, op.f32x4Splat, op.set(TV),
    op.get(ROW), op.get(HB), op.mul, op.set(OUT),
    forLoop(JB, HB, 16, unit),
  );
  const body = code(op.get(H), op.i32(2), op.shl, op.set(HB), forLoop(ROW, ROWS, 1, row));
  return { name: 'decay', params: 12, i32Locals: 5, v128Locals: 8, body };
}
