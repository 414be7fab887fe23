import { Code, WasmFunction, code, op, uleb, wasmModule } from '../kernels/wasm-assembler';

/**
 * The WebAssembly SIMD inner loops of the wasm tier's FFT (wasm-fft.ts drives them): the
 * complex Stockham passes of radix 2, 3, 4, 5, 7, 11 and 13 (the same decimation in frequency as
 * mixed-radix-fft.ts and the native kernels, which explain the indices), the real
 * transform's split passes, and the spectrum products of the fused convolution.
 *
 * Data: four rows at once, one per f32x4 lane, so that every butterfly runs at full width
 * whatever the length's factors and no shuffles are needed; complex element j of a group
 * is two vectors, the real parts of the four rows at byte 32 j and the imaginary parts at
 * 32 j + 16. Twiddles are the same for the four rows: scalars (float32 pairs, computed in
 * double and rounded once) loaded with v128.load32_splat. All pointers are byte addresses.
 */

/** The exports, as JS sees them (every argument an i32). */
export interface WasmFftExports {
  /** One radix-p pass of a plan: L sub-transforms of length p m from src to dst, twiddles at tw. */
  pass2(L: number, m: number, src: number, dst: number, tw: number): void;
  pass3(L: number, m: number, src: number, dst: number, tw: number): void;
  pass4(L: number, m: number, src: number, dst: number, tw: number): void;
  pass5(L: number, m: number, src: number, dst: number, tw: number): void;
  pass7(L: number, m: number, src: number, dst: number, tw: number): void;
  pass11(L: number, m: number, src: number, dst: number, tw: number): void;
  pass13(L: number, m: number, src: number, dst: number, tw: number): void;
  /** Real forward split: the n / 2 + 1 bins x from z, the complex transform of length m = n / 2 (z needs room for m + 1). */
  rpost(m: number, z: number, x: number, w: number): void;
  /** Real inverse merge: from bins x the m elements z whose unscaled inverse is 2 m times the signal, stored with re and im swapped. */
  rpre(m: number, x: number, z: number, w: number): void;
  /** x[j] *= k[j] over bins, k's real and imaginary vectors at kre + j stride and kim + j stride. */
  cmul(bins: number, x: number, kre: number, kim: number, stride: number): void;
  /** x[j] *= conj(k[j]). */
  cmulConj(bins: number, x: number, kre: number, kim: number, stride: number): void;
  /** acc[j] += x[j] conj(y[j]), acc's vectors at are + j stride and aim + j stride. */
  macConj(bins: number, x: number, y: number, are: number, aim: number, stride: number): void;
  /** Copies group x's vectors to the table: real parts to tre + j stride, imaginary to tim + j stride. */
  spread(bins: number, x: number, tre: number, tim: number, stride: number): void;
  /** The reverse of spread: the table's vectors into group x. */
  gather(bins: number, tre: number, tim: number, stride: number, x: number): void;
  /** Four staged rows (stride bytes apart) into group z as a real transform's input (rowsFunction). */
  packRows(m: number, src: number, stride: number, z: number): void;
  /** Group z's inverse real transform output into four staged rows. */
  unpackRows(m: number, z: number, dst: number, stride: number): void;
  /** Four staged rows of real parts at re and four of imaginary parts at re + 4 stride into group x's bins (unpackBins' inverse). */
  packBins(bins: number, re: number, stride: number, x: number): void;
  /** Group x's bins into four staged rows of real parts at re and four of imaginary parts at re + 4 stride. */
  unpackBins(bins: number, x: number, re: number, stride: number): void;
}

/** The odd primes above 5 with passes of their own (the JS mixed-radix plans' too: mixed-radix-fft.ts). */
export const WASM_ODD_RADICES = [7, 11, 13];

// instructions the shared assembler does not have
const i32Sub = [0x6b];
const loadSplat = (offset: number): Code => [0xfd, 9, 2, ...uleb(offset)]; // v128.load32_splat, align 4

/*
 * Locals: the parameters, then a fixed block of I32_LOCALS i32 locals, then v128 locals;
 * a function's generator asks for them by name from a Locals, which numbers them.
 */
const I32_LOCALS = 40;

class Locals {
  private i32 = 0;
  private v128 = 0;
  constructor(private readonly params: number) {}
  int(): number {
    if (this.i32 === I32_LOCALS) throw new Error('wasm-fft: out of i32 locals');
    return this.params + this.i32++;
  }
  vec(): number {
    return this.params + I32_LOCALS + this.v128++;
  }
  fn(name: string, body: Code): WasmFunction {
    return { name, params: this.params, i32Locals: I32_LOCALS, v128Locals: this.v128, body };
  }
}

// vector expressions: each pushes one v128
const get = (i: number): Code => op.get(i);
const add = (a: Code, b: Code): Code => code(a, b, op.f32x4Add);
const sub = (a: Code, b: Code): Code => code(a, b, op.f32x4Sub);
const mul = (a: Code, b: Code): Code => code(a, b, op.f32x4Mul);
const scaled = (c: number, a: Code): Code => mul(op.f32x4(c), a);
const load = (address: Code, offset: number): Code => code(address, op.v128Load(offset));
const store = (address: Code, offset: number, value: Code): Code =>
  code(address, value, op.v128Store(offset));
const set = (i: number, value: Code): Code => code(value, op.set(i));
const plus = (a: number, b: number): Code => code(op.get(a), op.get(b), op.add); // i32 a + b

/** i = i + by (i32 locals or a constant). */
function step(i: number, by: number | Code): Code {
  return code(op.get(i), typeof by === 'number' ? op.i32(by) : by, op.add, op.set(i));
}

/** do { body } while (ptr < end), unsigned: callers guarantee at least one iteration. */
function doWhile(ptr: number, end: number, body: Code): Code {
  return code(op.loop, body, op.get(ptr), op.get(end), [0x49] /* i32.lt_u */, op.brIf(0), op.end);
}

/** while (ptr < end) { body }, unsigned. */
function whileBelow(ptr: number, end: number, body: Code): Code {
  return code(
    op.block,
    op.loop,
    op.get(ptr),
    op.get(end),
    op.geU,
    op.brIf(1),
    body,
    op.br(0),
    op.end,
    op.end,
  );
}

/** A complex value held in two v128 locals. */
interface Cx {
  re: number;
  im: number;
}

/**
 * A butterfly: given its inputs in locals, the code computing into temporaries and each
 * output as a pair of expressions (read once each, in order re, im).
 */
type Butterfly = (x: Cx[], v: Locals) => { prologue: Code; out: [Code, Code][] };

const SIN_60 = Math.sqrt(3) / 2;
const C1 = Math.cos((2 * Math.PI) / 5);
const C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5);
const S2 = Math.sin((4 * Math.PI) / 5);

const radix2: Butterfly = ([x0, x1]) => ({
  prologue: [],
  out: [
    [add(get(x0.re), get(x1.re)), add(get(x0.im), get(x1.im))],
    [sub(get(x0.re), get(x1.re)), sub(get(x0.im), get(x1.im))],
  ],
});

const radix3: Butterfly = ([x0, x1, x2], v) => {
  const [tr, ti, ur, ui, vr, vi] = [v.vec(), v.vec(), v.vec(), v.vec(), v.vec(), v.vec()];
  const prologue = code(
    set(tr, add(get(x1.re), get(x2.re))),
    set(ti, add(get(x1.im), get(x2.im))),
    set(ur, sub(get(x0.re), scaled(0.5, get(tr)))),
    set(ui, sub(get(x0.im), scaled(0.5, get(ti)))),
    // v = -i sin(60) (x1 - x2)
    set(vr, scaled(SIN_60, sub(get(x1.im), get(x2.im)))),
    set(vi, scaled(SIN_60, sub(get(x2.re), get(x1.re)))),
  );
  return {
    prologue,
    out: [
      [add(get(x0.re), get(tr)), add(get(x0.im), get(ti))],
      [add(get(ur), get(vr)), add(get(ui), get(vi))],
      [sub(get(ur), get(vr)), sub(get(ui), get(vi))],
    ],
  };
};

const radix4: Butterfly = ([x0, x1, x2, x3], v) => {
  const [sr, si, dr, di, cr, ci, er, ei] = Array.from({ length: 8 }, () => v.vec());
  const prologue = code(
    set(sr, add(get(x0.re), get(x2.re))),
    set(si, add(get(x0.im), get(x2.im))),
    set(dr, sub(get(x0.re), get(x2.re))),
    set(di, sub(get(x0.im), get(x2.im))),
    set(cr, add(get(x1.re), get(x3.re))),
    set(ci, add(get(x1.im), get(x3.im))),
    // e = -i (x1 - x3)
    set(er, sub(get(x1.im), get(x3.im))),
    set(ei, sub(get(x3.re), get(x1.re))),
  );
  return {
    prologue,
    out: [
      [add(get(sr), get(cr)), add(get(si), get(ci))],
      [add(get(dr), get(er)), add(get(di), get(ei))],
      [sub(get(sr), get(cr)), sub(get(si), get(ci))],
      [sub(get(dr), get(er)), sub(get(di), get(ei))],
    ],
  };
};

const radix5: Butterfly = ([x0, x1, x2, x3, x4], v) => {
  const [a1r, a1i, b1r, b1i, a2r, a2i, b2r, b2i] = Array.from({ length: 8 }, () => v.vec());
  const [r1r, r1i, r2r, r2i, q1r, q1i, q2r, q2i] = Array.from({ length: 8 }, () => v.vec());
  const prologue = code(
    set(a1r, add(get(x1.re), get(x4.re))),
    set(a1i, add(get(x1.im), get(x4.im))),
    set(b1r, sub(get(x1.re), get(x4.re))),
    set(b1i, sub(get(x1.im), get(x4.im))),
    set(a2r, add(get(x2.re), get(x3.re))),
    set(a2i, add(get(x2.im), get(x3.im))),
    set(b2r, sub(get(x2.re), get(x3.re))),
    set(b2i, sub(get(x2.im), get(x3.im))),
    set(r1r, add(add(get(x0.re), scaled(C1, get(a1r))), scaled(C2, get(a2r)))),
    set(r1i, add(add(get(x0.im), scaled(C1, get(a1i))), scaled(C2, get(a2i)))),
    set(r2r, add(add(get(x0.re), scaled(C2, get(a1r))), scaled(C1, get(a2r)))),
    set(r2i, add(add(get(x0.im), scaled(C2, get(a1i))), scaled(C1, get(a2i)))),
    // q = -i (s b): (s bi, -s br)
    set(q1r, add(scaled(S1, get(b1i)), scaled(S2, get(b2i)))),
    set(q1i, sub(scaled(-S1, get(b1r)), scaled(S2, get(b2r)))),
    set(q2r, sub(scaled(S2, get(b1i)), scaled(S1, get(b2i)))),
    set(q2i, sub(scaled(S1, get(b2r)), scaled(S2, get(b1r)))),
  );
  return {
    prologue,
    out: [
      [add(add(get(x0.re), get(a1r)), get(a2r)), add(add(get(x0.im), get(a1i)), get(a2i))],
      [add(get(r1r), get(q1r)), add(get(r1i), get(q1i))],
      [add(get(r2r), get(q2r)), add(get(r2i), get(q2i))],
      [sub(get(r2r), get(q2r)), sub(get(r2i), get(q2i))],
      [sub(get(r1r), get(q1r)), sub(get(r1i), get(q1i))],
    ],
  };
};

/**
 * An odd prime p > 5: with a_j = x_j + x_{p-j}, b_j = x_j - x_{p-j} (j = 1 .. h, h = (p - 1) / 2),
 * y_0 = x_0 + sum a_j and, for k = 1 .. h, r_k = x_0 + sum_j cos(2 pi j k / p) a_j,
 * q_k = sum_j sin(2 pi j k / p) b_j, y_k = r_k - i q_k, y_{p-k} = r_k + i q_k: h^2 products
 * of each kind where the direct sum has p^2, every cosine and sine a constant.
 */
function oddRadix(p: number): Butterfly {
  return (x, v) => {
    const h = (p - 1) / 2;
    const js = Array.from({ length: h }, (_, i) => i + 1);
    const a = js.map(() => ({ re: v.vec(), im: v.vec() }));
    const b = js.map(() => ({ re: v.vec(), im: v.vec() }));
    const r = js.map(() => ({ re: v.vec(), im: v.vec() }));
    const q = js.map(() => ({ re: v.vec(), im: v.vec() }));
    const prologue: Code = [];
    for (const j of js) {
      for (const part of ['re', 'im'] as const) {
        prologue.push(...set(a[j - 1][part], add(get(x[j][part]), get(x[p - j][part]))));
        prologue.push(...set(b[j - 1][part], sub(get(x[j][part]), get(x[p - j][part]))));
      }
    }
    // sum_j c_j v_j for one part, c_j = f(2 pi j k / p)
    const weighted = (
      k: number,
      f: (t: number) => number,
      terms: Cx[],
      part: 're' | 'im',
      start: Code | null,
    ) =>
      js.reduce<Code | null>((acc, j) => {
        const term = scaled(f((2 * Math.PI * ((j * k) % p)) / p), get(terms[j - 1][part]));
        return acc ? add(acc, term) : term;
      }, start) as Code;
    for (const k of js) {
      for (const part of ['re', 'im'] as const) {
        prologue.push(...set(r[k - 1][part], weighted(k, Math.cos, a, part, get(x[0][part]))));
        prologue.push(...set(q[k - 1][part], weighted(k, Math.sin, b, part, null)));
      }
    }
    const out: [Code, Code][] = new Array(p);
    out[0] = [
      js.reduce((acc, j) => add(acc, get(a[j - 1].re)), get(x[0].re)),
      js.reduce((acc, j) => add(acc, get(a[j - 1].im)), get(x[0].im)),
    ];
    for (const k of js) {
      const [rk, qk] = [r[k - 1], q[k - 1]];
      // -i q = (q.im, -q.re)
      out[k] = [add(get(rk.re), get(qk.im)), sub(get(rk.im), get(qk.re))];
      out[p - k] = [sub(get(rk.re), get(qk.im)), add(get(rk.im), get(qk.re))];
    }
    return { prologue, out };
  };
}

/**
 * passP(L, m, src, dst, tw): for t1 < m (twiddles w_k2 = tw[t1 p + k2], loaded once) and
 * b < L, the butterfly of inputs src[b + L t1 + t2 L m] (t2 < p) into
 * dst[b + p L t1 + k2 L] = y_k2 w_k2 (k2 = 0: w = 1, no product). The b loop walks
 * contiguous vectors in and out.
 */
function passFunction(p: number, butterfly: Butterfly): WasmFunction {
  const v = new Locals(5);
  const [L, M, SRC, DST, TW] = [0, 1, 2, 3, 4];
  const [T1, IP, OP, TP, BEND, OS, OSKIP] = Array.from({ length: 7 }, () => v.int());
  // t2 L m and k2 L in bytes (entry 0 unused: no offset)
  const inStride = [-1, ...Array.from({ length: p - 1 }, () => v.int())];
  const outStride = [-1, ...Array.from({ length: p - 1 }, () => v.int())];
  const w = Array.from({ length: p }, () => ({ re: v.vec(), im: v.vec() }));
  const x = Array.from({ length: p }, () => ({ re: v.vec(), im: v.vec() }));
  const [yr, yi] = [v.vec(), v.vec()];
  const { prologue, out } = butterfly(x, v);

  // prettier-ignore
  const setup: Code = code(
    op.get(L), op.i32(5), op.shl, op.set(OS), // 32 L
    op.get(OS), op.i32(p - 1), op.mul, op.set(OSKIP),
  );
  for (let k = 1; k < p; k++) {
    setup.push(...code(op.get(OS), op.get(M), op.mul, op.i32(k), op.mul, op.set(inStride[k])));
    setup.push(...code(op.get(OS), op.i32(k), op.mul, op.set(outStride[k])));
  }
  setup.push(...code(op.get(SRC), op.set(IP), op.get(DST), op.set(OP), op.get(TW), op.set(TP)));

  const at = (ptr: number, strides: number[], k: number): Code =>
    k === 0 ? get(ptr) : plus(ptr, strides[k]);
  const twiddles: Code = [];
  for (let k = 1; k < p; k++) {
    twiddles.push(
      ...set(w[k].re, code(op.get(TP), loadSplat(8 * k))),
      ...set(w[k].im, code(op.get(TP), loadSplat(8 * k + 4))),
    );
  }
  const body: Code = [];
  for (let t2 = 0; t2 < p; t2++) {
    body.push(
      ...set(x[t2].re, load(at(IP, inStride, t2), 0)),
      ...set(x[t2].im, load(at(IP, inStride, t2), 16)),
    );
  }
  body.push(...prologue);
  out.forEach(([re, im], k) => {
    if (k === 0) {
      body.push(...store(get(OP), 0, re), ...store(get(OP), 16, im));
      return;
    }
    const o = at(OP, outStride, k);
    body.push(
      ...set(yr, re),
      ...set(yi, im),
      ...store(o, 0, sub(mul(get(yr), get(w[k].re)), mul(get(yi), get(w[k].im)))),
      ...store(o, 16, add(mul(get(yr), get(w[k].im)), mul(get(yi), get(w[k].re)))),
    );
  });
  body.push(...step(IP, 32), ...step(OP, 32));

  // prettier-ignore
  const perT1 = code(
    twiddles,
    op.get(IP), op.get(OS), op.add, op.set(BEND),
    doWhile(IP, BEND, body),
    step(OP, op.get(OSKIP)),
    step(TP, 8 * p),
  );
  // for (t1 = 0; t1 < m; t1++)
  // prettier-ignore
  const loop = code(
    op.i32(0), op.set(T1),
    op.block, op.loop,
    op.get(T1), op.get(M), op.geS, op.brIf(1),
    perT1,
    step(T1, 1),
    op.br(0), op.end, op.end,
  );
  return v.fn(`pass${p}`, code(setup, loop));
}

/**
 * rpost(m, z, x, w): the bins X_k, k = 0 .. m, of a real signal of length 2 m from the
 * complex transform Z of its even (real part) and odd (imaginary part) samples:
 * X_k = E_k + O_k W^k with E_k = (Z_k + conj Z_{m-k}) / 2, O_k = (Z_k - conj Z_{m-k}) / 2i,
 * W = e^{-2 pi i / 2m}. Z_m is Z_0 (copied there first). The table w holds, per k,
 * (cos / 2, sin / 2, cos, sin) of the angle -2 pi k / 2m, exact at k = 0 and m, so that the
 * DC and Nyquist bins come out real.
 */
function rpostFunction(): WasmFunction {
  const v = new Locals(4);
  const [M, Z, X, W] = [0, 1, 2, 3];
  const [AP, BP, XP, WP, END] = Array.from({ length: 5 }, () => v.int());
  const [ar, ai, br, bi, sr, si, dr, di, hc, hs] = Array.from({ length: 10 }, () => v.vec());
  // prettier-ignore
  const setup = code(
    op.get(Z), op.get(M), op.i32(5), op.shl, op.add, op.set(BP), // Z_m
    store(get(BP), 0, load(get(Z), 0)),
    store(get(BP), 16, load(get(Z), 16)),
    op.get(Z), op.set(AP), op.get(X), op.set(XP), op.get(W), op.set(WP),
    op.get(X), op.get(M), op.i32(1), op.add, op.i32(5), op.shl, op.add, op.set(END),
  );
  // prettier-ignore
  const body = code(
    set(ar, load(get(AP), 0)), set(ai, load(get(AP), 16)),
    set(br, load(get(BP), 0)), set(bi, load(get(BP), 16)),
    set(hc, code(op.get(WP), loadSplat(0))), set(hs, code(op.get(WP), loadSplat(4))),
    set(sr, add(get(ar), get(br))), set(dr, sub(get(ar), get(br))),
    set(si, add(get(ai), get(bi))), set(di, sub(get(ai), get(bi))),
    // X = (sr / 2 + si hc + dr hs, di / 2 + si hs - dr hc)
    store(get(XP), 0, add(add(scaled(0.5, get(sr)), mul(get(si), get(hc))), mul(get(dr), get(hs)))),
    store(get(XP), 16, sub(add(scaled(0.5, get(di)), mul(get(si), get(hs))), mul(get(dr), get(hc)))),
    step(AP, 32), op.get(BP), op.i32(32), i32Sub, op.set(BP), step(XP, 32), step(WP, 16),
  );
  return v.fn('rpost', code(setup, doWhile(XP, END, body)));
}

/**
 * rpre(m, x, z, w): the inverse of rpost: Z'_k = (E'_k + i O'_k) / n for k < m with
 * E' = X_k + conj X_{m-k}, O' = (X_k - conj X_{m-k}) W^-k, so that the unscaled inverse
 * transform of Z' is the even and odd samples (the irfft's 1 / n applied here, on the way
 * in). Stored with re and im swapped: the forward passes then compute the inverse
 * (swap(F(swap(z))) = m F^-1 z). The table holds (cos / n, sin / n) at bytes 8 and 12 of
 * each k's entry, and 1 / n at entry m + 1.
 */
function rpreFunction(): WasmFunction {
  const v = new Locals(4);
  const [M, X, Z, W] = [0, 1, 2, 3];
  const [AP, BP, ZP, WP, END] = Array.from({ length: 5 }, () => v.int());
  const [ar, ai, br, bi, sr, si, dr, di, c, s, scale] = Array.from({ length: 11 }, () => v.vec());
  // prettier-ignore
  const setup = code(
    op.get(W), op.get(M), op.i32(1), op.add, op.i32(4), op.shl, op.add, loadSplat(0), op.set(scale),
    op.get(X), op.set(AP),
    op.get(X), op.get(M), op.i32(5), op.shl, op.add, op.set(BP),
    op.get(Z), op.set(ZP), op.get(W), op.set(WP),
    op.get(Z), op.get(M), op.i32(5), op.shl, op.add, op.set(END),
  );
  // prettier-ignore
  const body = code(
    set(ar, load(get(AP), 0)), set(ai, load(get(AP), 16)),
    set(br, load(get(BP), 0)), set(bi, load(get(BP), 16)),
    set(c, code(op.get(WP), loadSplat(8))), set(s, code(op.get(WP), loadSplat(12))),
    set(sr, add(get(ar), get(br))), set(dr, sub(get(ar), get(br))),
    set(si, add(get(ai), get(bi))), set(di, sub(get(ai), get(bi))),
    // Z' = (sr / n - si c / n + dr s / n, di / n + dr c / n + si s / n), real part into the imaginary slot and back
    store(get(ZP), 16, add(sub(mul(get(sr), get(scale)), mul(get(si), get(c))), mul(get(dr), get(s)))),
    store(get(ZP), 0, add(add(mul(get(di), get(scale)), mul(get(dr), get(c))), mul(get(si), get(s)))),
    step(AP, 32), op.get(BP), op.i32(32), i32Sub, op.set(BP), step(ZP, 32), step(WP, 16),
  );
  return v.fn('rpre', code(setup, whileBelow(ZP, END, body)));
}

/** cmul / cmulConj(bins, x, kre, kim, stride): x[j] *= k[j] (or conj k[j]). */
function cmulFunction(conj: boolean): WasmFunction {
  const v = new Locals(5);
  const [BINS, X, KRE, KIM, STRIDE] = [0, 1, 2, 3, 4];
  const [XP, END] = [v.int(), v.int()];
  const [xr, xi, kr, ki] = Array.from({ length: 4 }, () => v.vec());
  // prettier-ignore
  const setup = code(op.get(X), op.set(XP), op.get(X), op.get(BINS), op.i32(5), op.shl, op.add, op.set(END));
  const re = conj
    ? add(mul(get(xr), get(kr)), mul(get(xi), get(ki)))
    : sub(mul(get(xr), get(kr)), mul(get(xi), get(ki)));
  const im = conj
    ? sub(mul(get(xi), get(kr)), mul(get(xr), get(ki)))
    : add(mul(get(xr), get(ki)), mul(get(xi), get(kr)));
  // prettier-ignore
  const body = code(
    set(xr, load(get(XP), 0)), set(xi, load(get(XP), 16)),
    set(kr, load(get(KRE), 0)), set(ki, load(get(KIM), 0)),
    store(get(XP), 0, re), store(get(XP), 16, im),
    step(XP, 32), step(KRE, op.get(STRIDE)), step(KIM, op.get(STRIDE)),
  );
  return v.fn(conj ? 'cmulConj' : 'cmul', code(setup, whileBelow(XP, END, body)));
}

/** macConj(bins, x, y, are, aim, stride): acc[j] += x[j] conj(y[j]). */
function macConjFunction(): WasmFunction {
  const v = new Locals(6);
  const [BINS, X, Y, ARE, AIM, STRIDE] = [0, 1, 2, 3, 4, 5];
  const [XP, END] = [v.int(), v.int()];
  const [xr, xi, yr, yi] = Array.from({ length: 4 }, () => v.vec());
  // prettier-ignore
  const setup = code(op.get(X), op.set(XP), op.get(X), op.get(BINS), op.i32(5), op.shl, op.add, op.set(END));
  // prettier-ignore
  const body = code(
    set(xr, load(get(XP), 0)), set(xi, load(get(XP), 16)),
    set(yr, load(get(Y), 0)), set(yi, load(get(Y), 16)),
    store(get(ARE), 0, add(load(get(ARE), 0), add(mul(get(xr), get(yr)), mul(get(xi), get(yi))))),
    store(get(AIM), 0, add(load(get(AIM), 0), sub(mul(get(xi), get(yr)), mul(get(xr), get(yi))))),
    step(XP, 32), step(Y, 32), step(ARE, op.get(STRIDE)), step(AIM, op.get(STRIDE)),
  );
  return v.fn('macConj', code(setup, whileBelow(XP, END, body)));
}

/** spread(bins, x, tre, tim, stride) and gather(bins, tre, tim, stride, x): group <-> table. */
function copyFunction(toTable: boolean): WasmFunction {
  const v = new Locals(5);
  const [BINS, X, TRE, TIM, STRIDE] = toTable ? [0, 1, 2, 3, 4] : [0, 4, 1, 2, 3];
  const [XP, END] = [v.int(), v.int()];
  // prettier-ignore
  const setup = code(op.get(X), op.set(XP), op.get(X), op.get(BINS), op.i32(5), op.shl, op.add, op.set(END));
  const move = toTable
    ? code(store(get(TRE), 0, load(get(XP), 0)), store(get(TIM), 0, load(get(XP), 16)))
    : code(store(get(XP), 0, load(get(TRE), 0)), store(get(XP), 16, load(get(TIM), 0)));
  // prettier-ignore
  const body = code(move, step(XP, 32), step(TRE, op.get(STRIDE)), step(TIM, op.get(STRIDE)));
  return v.fn(toTable ? 'spread' : 'gather', code(setup, whileBelow(XP, END, body)));
}

/** The f32x4 with lanes (a or b)[i] (i < 4: a's lane i, else b's lane i - 4). */
function shuffle(a: Code, b: Code, lanes: number[]): Code {
  return code(
    a,
    b,
    [0xfd, 13],
    lanes.flatMap((i) => [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3]),
  );
}

/** Stores the 4 x 4 transpose of the vectors in v (out lane j of vector i = lane i of vector j) via put(i, value). */
function transpose(v: number[], t: number[], put: (i: number, value: Code) => Code): Code {
  return code(
    set(t[0], shuffle(get(v[0]), get(v[1]), [0, 4, 1, 5])), // (v0[0], v1[0], v0[1], v1[1])
    set(t[1], shuffle(get(v[2]), get(v[3]), [0, 4, 1, 5])),
    set(t[2], shuffle(get(v[0]), get(v[1]), [2, 6, 3, 7])),
    set(t[3], shuffle(get(v[2]), get(v[3]), [2, 6, 3, 7])),
    put(0, shuffle(get(t[0]), get(t[1]), [0, 1, 4, 5])),
    put(1, shuffle(get(t[0]), get(t[1]), [2, 3, 6, 7])),
    put(2, shuffle(get(t[2]), get(t[3]), [0, 1, 4, 5])),
    put(3, shuffle(get(t[2]), get(t[3]), [2, 3, 6, 7])),
  );
}

/**
 * Rows into lanes and back, four samples of four rows per step (a 4 x 4 transpose), between
 * a group and four staged rows (`stride` bytes apart, copied in and out by JS: typed array
 * copies are fast in JS, element-wise loops over lanes were not, about half of an rfft's time):
 *  - packRows(m, src, stride, z): z_j = x_2j + i x_2j+1 for j < 2 ceil(m / 2) (rows padded to that);
 *  - unpackRows(m, z, dst, stride): the inverse passes' output (even samples in the imaginary
 *    slots, see rpre) back into 4 ceil(m / 2) samples per row;
 *  - unpackBins(bins, x, re, stride): the real parts of 4 ceil(bins / 4) elements into rows
 *    at re, the imaginary parts into rows at re + 4 stride; packBins(bins, re, stride, x) back.
 */
function rowsFunction(kind: 'packRows' | 'unpackRows' | 'packBins' | 'unpackBins'): WasmFunction {
  const v = new Locals(4);
  const packs = kind === 'packRows' || kind === 'packBins';
  const bins = kind === 'packBins' || kind === 'unpackBins';
  const [COUNT, FROM, TO, STRIDE] = packs ? [0, 1, 3, 2] : [0, 1, 2, 3];
  const [G, R, END, S2, S3, S4] = Array.from({ length: 6 }, () => v.int()); // group and row pointers, strides
  const vs = Array.from({ length: 4 }, () => v.vec());
  const ts = Array.from({ length: 4 }, () => v.vec());
  const group = packs ? TO : FROM;
  const rows = packs ? FROM : TO;
  const row = (i: number): Code =>
    i === 0 ? get(R) : i === 1 ? plus(R, STRIDE) : plus(R, i === 2 ? S2 : S3);
  // bytes of group per step: two elements (4 samples), or four elements' real and imaginary parts
  const groupStep = bins ? 128 : 64;
  const steps = bins
    ? code(op.get(COUNT), op.i32(3), op.add, op.i32(2), [0x76] /* shr_u */)
    : code(op.get(COUNT), op.i32(1), op.add, op.i32(1), [0x76]);
  // prettier-ignore
  const setup = code(
    op.get(group), op.set(G), op.get(rows), op.set(R),
    op.get(G), steps, op.i32(groupStep), op.mul, op.add, op.set(END),
    op.get(STRIDE), op.i32(1), op.shl, op.set(S2), op.get(S2), op.get(STRIDE), op.add, op.set(S3),
    op.get(STRIDE), op.i32(2), op.shl, op.set(S4),
  );
  let move: Code;
  if (kind === 'packRows') {
    move = code(
      ...[0, 1, 2, 3].map((i) => set(vs[i], load(row(i), 0))),
      transpose(vs, ts, (i, value) => store(get(G), 16 * i, value)),
    );
  } else if (kind === 'unpackRows') {
    // samples 4q .. 4q + 3: element 2q's imaginary then real slot, element 2q + 1's likewise
    move = code(
      ...[16, 0, 48, 32].map((offset, i) => set(vs[i], load(get(G), offset))),
      transpose(vs, ts, (i, value) => store(row(i), 0, value)),
    );
  } else if (kind === 'packBins') {
    const imRow = (i: number) => code(row(i), op.get(S4), op.add);
    move = code(
      ...[0, 1, 2, 3].map((i) => set(vs[i], load(row(i), 0))),
      transpose(vs, ts, (i, value) => store(get(G), 32 * i, value)),
      ...[0, 1, 2, 3].map((i) => set(vs[i], load(imRow(i), 0))),
      transpose(vs, ts, (i, value) => store(get(G), 32 * i + 16, value)),
    );
  } else {
    move = code(
      ...[0, 32, 64, 96].map((offset, i) => set(vs[i], load(get(G), offset))),
      transpose(vs, ts, (i, value) => store(row(i), 0, value)),
      ...[16, 48, 80, 112].map((offset, i) => set(vs[i], load(get(G), offset))),
      // the imaginary parts' rows four rows further on
      transpose(vs, ts, (i, value) => store(code(row(i), op.get(S4), op.add), 0, value)),
    );
  }
  const body = code(move, step(G, groupStep), step(R, 16));
  return v.fn(kind, code(setup, whileBelow(G, END, body)));
}

/** The module's bytes (it imports env.memory). */
export function wasmFftModuleBytes(): Uint8Array {
  return wasmModule([
    passFunction(2, radix2),
    passFunction(3, radix3),
    passFunction(4, radix4),
    passFunction(5, radix5),
    ...WASM_ODD_RADICES.map((p) => passFunction(p, oddRadix(p))),
    rpostFunction(),
    rpreFunction(),
    cmulFunction(false),
    cmulFunction(true),
    macConjFunction(),
    copyFunction(true),
    copyFunction(false),
    rowsFunction('packRows'),
    rowsFunction('unpackRows'),
    rowsFunction('packBins'),
    rowsFunction('unpackBins'),
  ]);
}
