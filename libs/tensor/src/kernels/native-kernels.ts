import { existsSync } from 'fs';
import * as path from 'path';

/**
 * seqcast's optional native kernels (native/, C++ through N-API, built by `npm ci`'s
 * postinstall with node-gyp; see native/README.md). The same kernels as the WebAssembly
 * ones (gemm, exp / tanh / sigmoid, the LSTM decay) plus whole passes of the attention
 * models (layer norm, GELU, multi-head prefix attention) and the FFTs with the fused causal
 * convolution (native/src/fft-impl.h), compiled for AVX-512, AVX2 + FMA
 * and the baseline and chosen by the CPU at load. They read and write the callers' typed
 * arrays in place (no copies through an arena) and check every index before touching
 * memory, throwing RangeError. Without a compiler, or with SEQCAST_NATIVE=0, the addon is
 * absent and every caller runs its WebAssembly or plain-JS path: the platform needs none of it.
 */
export interface NativeKernels {
  /** Instruction set of the kernels in use: 'avx512', 'avx2' or 'base'. */
  isa(): string;
  /** Runs the widest build up to `limit` ('avx512', 'avx2', 'base'; '' for no limit) the CPU has. */
  selectIsa(limit: string): void;
  /**
   * The threads the kernels split large calls over (native/src/thread-pool.h): n >= 1, or 0
   * for every CPU the process may run on. One pool per process, shared by its worker threads;
   * results are the same bit for bit whatever n is. A RangeError naming n unless n is an
   * integer in 0 .. 1024.
   */
  setThreads(n: number): void;
  /** The threads the kernels use now (the calling thread included). */
  threads(): number;
  /** c[cOff + i ldc + j] += sum_p a[aOff + i lda + p acs] b[bOff + p ldb + j]. */
  gemm(
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    aOff: number,
    lda: number,
    acs: number,
    b: Float32Array,
    bOff: number,
    ldb: number,
    c: Float32Array,
    cOff: number,
    ldc: number,
  ): void;
  exp(buf: Float32Array, off: number, n: number): void;
  tanh(buf: Float32Array, off: number, n: number): void;
  sigmoid(buf: Float32Array, off: number, n: number): void;
  /** log(1 + e^x), in place. */
  softplus(buf: Float32Array, off: number, n: number): void;
  /** KernelArena.decay on buf and its int32 view. */
  decay(
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
  ): void;
  layerNormForward(
    x: Float32Array,
    g: Float32Array,
    b: Float32Array,
    d: number,
    eps: number,
    y: Float32Array,
    xhat: Float32Array,
    inv: Float64Array,
  ): void;
  /** dx written; dg, db accumulated. */
  layerNormBackward(
    gy: Float32Array,
    g: Float32Array,
    xhat: Float32Array,
    inv: Float64Array,
    d: number,
    dx: Float32Array,
    dg: Float64Array,
    db: Float64Array,
  ): void;
  /** LayerNorm over the channels of [B, H, L] (libs/tensor ssm/channel-layer-norm.ts); rstd [B L]. */
  channelNormForward(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    B: number,
    H: number,
    L: number,
    eps: number,
    y: Float32Array,
    xhat: Float32Array,
    rstd: Float64Array,
  ): void;
  /** dx written; dgamma, dbeta accumulated. */
  channelNormBackward(
    dy: Float32Array,
    gamma: Float32Array,
    xhat: Float32Array,
    rstd: Float64Array,
    B: number,
    H: number,
    L: number,
    dx: Float32Array,
    dgamma: Float64Array,
    dbeta: Float64Array,
  ): void;
  /** The biased GLU of ssm/glu-bias.ts: y [B, 2H, L] -> out [B, H, L]; scale, residual empty when absent. */
  gluForward(
    y: Float32Array,
    bias: Float32Array,
    scale: Float32Array,
    residual: Float32Array,
    B: number,
    H: number,
    L: number,
    lin: Float32Array,
    sig: Float32Array,
    out: Float32Array,
  ): void;
  /** dy written, dbias accumulated. */
  gluBackward(
    dout: Float32Array,
    lin: Float32Array,
    sig: Float32Array,
    scale: Float32Array,
    B: number,
    H: number,
    L: number,
    dy: Float32Array,
    dbias: Float64Array,
  ): void;
  /** ssm/channel-mix.ts: out [B, O, L] = W [O, H] z[b] + bias (empty: none). */
  channelMixForward(
    z: Float32Array,
    w: Float32Array,
    bias: Float32Array,
    B: number,
    H: number,
    L: number,
    O: number,
    out: Float32Array,
  ): void;
  /** dz written; dw and dbias (empty: no bias) accumulated. */
  channelMixBackward(
    dout: Float32Array,
    z: Float32Array,
    w: Float32Array,
    B: number,
    H: number,
    L: number,
    O: number,
    dz: Float32Array,
    dw: Float32Array,
    dbias: Float64Array,
  ): void;
  /** ssm/channel-skip.ts: out = y + D u on [B, H, L]. */
  channelSkipForward(
    y: Float32Array,
    u: Float32Array,
    D: Float32Array,
    B: number,
    H: number,
    L: number,
    out: Float32Array,
  ): void;
  /** du written, dD accumulated. */
  channelSkipBackward(
    g: Float32Array,
    u: Float32Array,
    D: Float32Array,
    B: number,
    H: number,
    L: number,
    du: Float32Array,
    dD: Float64Array,
  ): void;
  /** x [rows L] *= g (empty: 1) * scale[row] (empty: 1), in place. */
  scaleRows(x: Float32Array, g: Float32Array, scale: Float32Array, rows: number, L: number): void;
  geluForward(x: Float32Array, y: Float32Array, th: Float32Array): void;
  geluBackward(x: Float32Array, th: Float32Array, gy: Float32Array, dx: Float32Array): void;
  /** y = x Phi(x) (the exact GELU); der, unless empty, = Phi(x) + x phi(x). */
  geluErf(x: Float32Array, y: Float32Array, der: Float32Array): void;
  attentionForward(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    B: number,
    Q: number,
    N: number,
    d: number,
    heads: number,
    limits: Int32Array,
    nullKey: boolean,
    out: Float32Array,
  ): void;
  /** dq, dk, dv accumulated (pass zeros). */
  attentionBackward(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    g: Float32Array,
    B: number,
    Q: number,
    N: number,
    d: number,
    heads: number,
    limits: Int32Array,
    nullKey: boolean,
    dq: Float32Array,
    dk: Float32Array,
    dv: Float32Array,
  ): void;
  /**
   * A whole post-norm encoder layer (libs/events fused-encoder-layer.ts): w holds Wq, Wk, Wv,
   * Wo [d, d], W1 [d, F], W2 [F, d], bq, bk, bv, bo [d], b1 [F], b2, g1, be1, g2, be2 [d] in that
   * order; saved [7 N d + 3 N F] and invs [2 N] (N = B T) keep what the backward pass reads.
   */
  encoderForward(
    x: Float32Array,
    w: Float32Array,
    B: number,
    T: number,
    d: number,
    F: number,
    heads: number,
    limits: Int32Array,
    nullKey: boolean,
    y: Float32Array,
    saved: Float32Array,
    invs: Float64Array,
  ): void;
  /** dx and dw (the gradients of w, in its layout) written. */
  encoderBackward(
    gy: Float32Array,
    x: Float32Array,
    w: Float32Array,
    B: number,
    T: number,
    d: number,
    F: number,
    heads: number,
    limits: Int32Array,
    nullKey: boolean,
    saved: Float32Array,
    invs: Float64Array,
    dx: Float32Array,
    dw: Float32Array,
  ): void;
  /**
   * SAHP's intensities (libs/events fused-sahp-intensity.ts): mu, eta, gamma [BP, d], dt
   * [BP, S], W [d, K], b [K] -> pre (for the backward pass) and lambda [BP S, K].
   */
  sahpForward(
    mu: Float32Array,
    eta: Float32Array,
    gamma: Float32Array,
    dt: Float32Array,
    W: Float32Array,
    b: Float32Array,
    S: number,
    pre: Float32Array,
    lambda: Float32Array,
  ): void;
  /** Every input's gradient from dL/dlambda g (all written). */
  sahpBackward(
    g: Float32Array,
    mu: Float32Array,
    eta: Float32Array,
    gamma: Float32Array,
    dt: Float32Array,
    W: Float32Array,
    pre: Float32Array,
    S: number,
    dmu: Float32Array,
    deta: Float32Array,
    dgamma: Float32Array,
    ddt: Float32Array,
    dW: Float32Array,
    db: Float32Array,
  ): void;
  /**
   * THP's intensities (libs/events fused-thp-intensity.ts): base [BP, K], denom [BP], dt
   * [BP, S], alpha, logBeta [K] -> pre (for the backward pass) and lambda [BP S, K].
   */
  thpForward(
    base: Float32Array,
    denom: Float32Array,
    dt: Float32Array,
    alpha: Float32Array,
    logBeta: Float32Array,
    pre: Float32Array,
    lambda: Float32Array,
  ): void;
  /** The five inputs' gradients from dL/dlambda g (all written). */
  thpBackward(
    g: Float32Array,
    denom: Float32Array,
    dt: Float32Array,
    alpha: Float32Array,
    logBeta: Float32Array,
    pre: Float32Array,
    lambda: Float32Array,
    dBase: Float32Array,
    dDenom: Float32Array,
    dDt: Float32Array,
    dAlpha: Float32Array,
    dLogBeta: Float32Array,
  ): void;
  /**
   * The plain RNN (gru false) or GRU recurrence over every step (libs/events fusedRnn), in
   * the internal layout [T, B, ...] whose running rows at step t are the first active[t]:
   * x [T, B, G H] inputs, U [H, G H] -> hs [T, B, H] and, for a GRU, the gates z, r, n and
   * hn = h_{t-1} U_n (each [T, B, H]; empty arrays for a plain RNN).
   */
  rnnForward(
    gru: boolean,
    B: number,
    T: number,
    H: number,
    active: Int32Array,
    x: Float32Array,
    U: Float32Array,
    hs: Float32Array,
    z: Float32Array,
    r: Float32Array,
    n: Float32Array,
    hn: Float32Array,
  ): void;
  /** BPTT from dL/dh_t (gH, consumed: later steps add into earlier rows) -> dX [T, B, G H] and dU. */
  rnnBackward(
    gru: boolean,
    B: number,
    T: number,
    H: number,
    active: Int32Array,
    gH: Float32Array,
    U: Float32Array,
    hs: Float32Array,
    z: Float32Array,
    r: Float32Array,
    n: Float32Array,
    hn: Float32Array,
    dX: Float32Array,
    dU: Float32Array,
  ): void;
  /**
   * IntensityFree's exact terms (libs/events fused-intensity-free.ts): raw [BP, J, 3, M],
   * logits [BP, K], gaps and types [BP] -> out [2, BP]; store (6 J M + K + J floats per
   * scored position) keeps what ifBackward reads.
   */
  ifForward(
    raw: Float32Array,
    logits: Float32Array,
    gaps: Float32Array,
    types: Int32Array,
    J: number,
    M: number,
    mean: number,
    std: number,
    out: Float32Array,
    store: Float32Array,
  ): void;
  /** dRaw and dLogits accumulated (pass zeros) from dL/dout g. */
  ifBackward(
    g: Float32Array,
    raw: Float32Array,
    types: Int32Array,
    J: number,
    M: number,
    store: Float32Array,
    dRaw: Float32Array,
    dLogits: Float32Array,
  ): void;
  /**
   * The fused recurrences' inputs (libs/events step-inputs.ts): x[b, t] = table[ids[b, t]]
   * + sum_f feats[b, t, f] featW[f] for every running row of a step plan, into x [T, B, G]
   * (internal layout: row r of step t is batch row order[r]); feats and featW empty when F = 0.
   */
  stepRead(
    B: number,
    T: number,
    G: number,
    F: number,
    order: Int32Array,
    active: Int32Array,
    ids: Int32Array,
    feats: Float32Array,
    table: Float32Array,
    featW: Float32Array,
    x: Float32Array,
  ): void;
  /** The gradients dX [T, B, G] of those rows added into gTable [V, G] and gW [F, G]. */
  stepAccumulate(
    B: number,
    T: number,
    G: number,
    F: number,
    order: Int32Array,
    active: Int32Array,
    ids: Int32Array,
    feats: Float32Array,
    dX: Float32Array,
    gTable: Float64Array,
    gW: Float64Array,
  ): void;
  /** THP's temporal encoding (libs/events layers.ts): out [ts.length, d], sin on even dims, cos on odd. */
  temporalEncoding(ts: Float32Array, d: number, out: Float32Array): void;
  /**
   * THP's sampled likelihood terms (libs/events thp.ts): base [BP, K], denom, gaps and types
   * [BP] (types == K where padded), stratified uniforms u [BP, G], alpha, logBeta [K] -> out
   * [2, BP] (log intensity of the next event, Monte Carlo integral); pre and lambda
   * [BP (G + 1) K] keep what thpTermsBackward reads.
   */
  thpTermsForward(
    base: Float32Array,
    denom: Float32Array,
    gaps: Float32Array,
    types: Int32Array,
    u: Float32Array,
    alpha: Float32Array,
    logBeta: Float32Array,
    out: Float32Array,
    pre: Float32Array,
    lambda: Float32Array,
  ): void;
  /** The gradients of base, denom, alpha and logBeta from dL/dout g (all written). */
  thpTermsBackward(
    g: Float32Array,
    denom: Float32Array,
    gaps: Float32Array,
    types: Int32Array,
    u: Float32Array,
    alpha: Float32Array,
    logBeta: Float32Array,
    pre: Float32Array,
    lambda: Float32Array,
    dBase: Float32Array,
    dDenom: Float32Array,
    dAlpha: Float32Array,
    dLogBeta: Float32Array,
  ): void;
  /**
   * SAHP's sampled likelihood terms in one pass (thpTermsForward's, on sahpForward's
   * intensities): the heads' mu, eta, gamma [BP, d], next gaps and types [BP], u [BP, G],
   * W [d, K], b [K] -> out [2, BP]; pre and lambda [BP (G + 1) K] for sahpTermsBackward.
   */
  sahpTermsForward(
    mu: Float32Array,
    eta: Float32Array,
    gamma: Float32Array,
    gaps: Float32Array,
    types: Int32Array,
    u: Float32Array,
    W: Float32Array,
    b: Float32Array,
    out: Float32Array,
    pre: Float32Array,
    lambda: Float32Array,
  ): void;
  /** The gradients of mu, eta, gamma, W and b from dL/dout g (all written). */
  sahpTermsBackward(
    g: Float32Array,
    mu: Float32Array,
    eta: Float32Array,
    gamma: Float32Array,
    gaps: Float32Array,
    types: Int32Array,
    u: Float32Array,
    W: Float32Array,
    pre: Float32Array,
    lambda: Float32Array,
    dmu: Float32Array,
    deta: Float32Array,
    dgamma: Float32Array,
    dW: Float32Array,
    db: Float32Array,
  ): void;
  /**
   * SAHP's heads on the encoder's output h [BP, d]: mu = gelu(h Wmu + bmu), eta and gamma
   * softplus of theirs; w = Wmu, Weta, Wgamma [d, d] then bmu, beta, bgamma [d]; saved
   * [4, BP, d] for sahpHeadsBackward.
   */
  sahpHeadsForward(
    h: Float32Array,
    w: Float32Array,
    d: number,
    mu: Float32Array,
    eta: Float32Array,
    gamma: Float32Array,
    saved: Float32Array,
  ): void;
  /** dh and dw (w's layout) from the heads' gradients (all written). */
  sahpHeadsBackward(
    h: Float32Array,
    w: Float32Array,
    saved: Float32Array,
    dmu: Float32Array,
    deta: Float32Array,
    dgamma: Float32Array,
    d: number,
    dh: Float32Array,
    dw: Float32Array,
  ): void;
  /**
   * Running rows of width W between the fused recurrences' internal layout [T, B, W] and
   * the batch layout [B, T, W] (libs/events step-plan.ts copyRows): to batch, or from it
   * with inverse.
   */
  stepRows(
    B: number,
    T: number,
    W: number,
    order: Int32Array,
    active: Int32Array,
    src: Float32Array,
    dst: Float32Array,
    inverse: boolean,
  ): void;
  /**
   * Real FFTs of rows (native/src/fft-impl.h, mixed radix 2, 3, 4, 5 and any odd prime): x
   * [rows, len], each row zero-padded or cut to n -> outRe, outIm [rows, n / 2 + 1].
   */
  rfftRows(
    x: Float32Array,
    rows: number,
    len: number,
    n: number,
    outRe: Float32Array,
    outIm: Float32Array,
  ): void;
  /** The inverse of rfftRows (scaled by 1 / n; the DC and Nyquist bins' imaginary parts ignored): out [rows, n]. */
  irfftRows(re: Float32Array, im: Float32Array, rows: number, n: number, out: Float32Array): void;
  /** Complex FFTs of rows [rows, n] (inverse: sign +1, scaled by 1 / n). */
  fftRows(
    re: Float32Array,
    im: Float32Array,
    rows: number,
    n: number,
    inverse: boolean,
    outRe: Float32Array,
    outIm: Float32Array,
  ): void;
  /**
   * The causal convolution y [rows, L] of u [rows, L] with kernels k [kRows, K] (row r uses
   * kernel r mod kRows) by real FFTs of length n >= L + min(K, L) - 1.
   */
  fftConvForward(
    u: Float32Array,
    k: Float32Array,
    rows: number,
    L: number,
    kRows: number,
    K: number,
    n: number,
    y: Float32Array,
  ): void;
  /** Its gradients from dL/dy: du [rows, L] and dk [kRows, K] (taps past L: zero), both written. */
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
  ): void;
  /**
   * fftConvForward for M kernel sets k [M, kRows, K] on one signal u [rows, L]: y [M, rows, L],
   * u transformed once per row for all of them.
   */
  fftConvSharedForward(
    u: Float32Array,
    k: Float32Array,
    rows: number,
    L: number,
    kRows: number,
    K: number,
    n: number,
    M: number,
    y: Float32Array,
  ): void;
  /**
   * SpaceTime's companion powers (libs/forecast companion-ssm.ts): per head, v_{j+1} = T v_j +
   * sum_m P_m (Q_m . v_j) (T the down or up shift) into V [K, n, d] in double.
   */
  shiftPowersForward(
    v0: Float32Array,
    P: Float32Array,
    Q: Float32Array,
    K: number,
    d: number,
    M: number,
    n: number,
    down: boolean,
    V: Float64Array,
  ): void;
  /** Their adjoint from G = dL/dV and the forward V: dv0 [K, d], dP and dQ [K, M, d]. */
  shiftPowersBackward(
    G: Float32Array,
    V: Float64Array,
    P: Float32Array,
    Q: Float32Array,
    K: number,
    d: number,
    M: number,
    n: number,
    down: boolean,
    dv0: Float64Array,
    dP: Float64Array,
    dQ: Float64Array,
  ): void;
  /** Its gradients from dy [M, rows, L]: du [rows, L] (the sets' sum) and dk [M, kRows, K]. */
  fftConvSharedBackward(
    dy: Float32Array,
    u: Float32Array,
    k: Float32Array,
    rows: number,
    L: number,
    kRows: number,
    K: number,
    n: number,
    M: number,
    du: Float32Array,
    dk: Float32Array,
  ): void;
}

const ADDON = path.join('native', 'build', 'Release', 'seqcast_kernels.node');

// Every function the addon must export; the Record makes the compiler keep it complete. An
// addon built from older sources lacks some and is not used (rather than failing mid-training).
const EXPORTS: Record<keyof NativeKernels, true> = {
  isa: true,
  selectIsa: true,
  setThreads: true,
  threads: true,
  gemm: true,
  exp: true,
  tanh: true,
  sigmoid: true,
  softplus: true,
  decay: true,
  layerNormForward: true,
  layerNormBackward: true,
  channelNormForward: true,
  channelNormBackward: true,
  gluForward: true,
  gluBackward: true,
  channelMixForward: true,
  channelMixBackward: true,
  channelSkipForward: true,
  channelSkipBackward: true,
  scaleRows: true,
  geluForward: true,
  geluBackward: true,
  geluErf: true,
  attentionForward: true,
  attentionBackward: true,
  encoderForward: true,
  encoderBackward: true,
  sahpForward: true,
  sahpBackward: true,
  thpForward: true,
  thpBackward: true,
  rnnForward: true,
  rnnBackward: true,
  ifForward: true,
  ifBackward: true,
  stepRead: true,
  stepAccumulate: true,
  temporalEncoding: true,
  thpTermsForward: true,
  thpTermsBackward: true,
  sahpTermsForward: true,
  sahpTermsBackward: true,
  sahpHeadsForward: true,
  sahpHeadsBackward: true,
  stepRows: true,
  rfftRows: true,
  irfftRows: true,
  fftRows: true,
  fftConvForward: true,
  fftConvBackward: true,
  fftConvSharedForward: true,
  fftConvSharedBackward: true,
  shiftPowersForward: true,
  shiftPowersBackward: true,
};

let loaded: NativeKernels | null | undefined;
let why = '';
// set from the configuration by configureKernels (configure-kernels.ts)
let allowed = true;
let isaLimit = '';
// undefined until configured in this thread: a worker thread's load must not reset the
// process's one pool to the default
let threadCount: number | undefined;

/** The addon, or null: not built, switched off (SEQCAST_NATIVE=0, useNativeKernels(false)) or failing to load. */
/** An empty array: what the native kernels take for an optional array that is absent. */
export const NO_FLOATS = new Float32Array(0);

export function nativeKernels(): NativeKernels | null {
  if (!allowed) return null;
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** Whether the addon is built and loads (whether or not it is in use). */
export function nativeKernelsBuilt(): boolean {
  if (loaded === undefined) loaded = load();
  return loaded !== null;
}

/** For tests and benchmarks: allow (default, unless SEQCAST_NATIVE=0) or forbid the native kernels. */
export function useNativeKernels(on: boolean): void {
  allowed = on;
}

/** The widest instruction set the addon may use ('' for the widest the CPU has), now and once it loads. */
export function useNativeIsa(limit: string): void {
  isaLimit = limit;
  loaded?.selectIsa(limit);
}

/**
 * The threads the native kernels use (0: every usable CPU), now and once the addon loads:
 * the pool is the process's, so worker threads given the same setting change nothing.
 */
export function useNativeThreads(n: number): void {
  threadCount = n;
  loaded?.setThreads(n);
}

/** One line for backend details: the instruction set in use, or why the native kernels are not. */
export function nativeKernelsStatus(): string {
  const k = nativeKernels();
  if (k) return `native kernels (${k.isa()})`;
  if (!allowed) return 'native kernels off';
  return `no native kernels (${why})`;
}

function load(): NativeKernels | null {
  // from libs/tensor/src/kernels (ts) or dist/libs/tensor/src/kernels (built) up to the repository root
  let dir = __dirname;
  for (let up = 0; up < 8; up++, dir = path.dirname(dir)) {
    const file = path.join(dir, ADDON);
    if (!existsSync(file)) continue;
    try {
      const addon = require(file) as NativeKernels; // eslint-disable-line @typescript-eslint/no-require-imports
      const missing = Object.keys(EXPORTS).filter(
        (name) => typeof addon[name as keyof NativeKernels] !== 'function',
      );
      if (missing.length === 0) {
        addon.selectIsa(isaLimit);
        if (threadCount !== undefined) addon.setThreads(threadCount);
        return addon;
      }
      why = `${file} is older than its sources (no ${missing.join(', ')}); npm run build:native`;
      return null;
    } catch (err) {
      why = `${file} does not load: ${(err as Error).message}`;
      return null;
    }
  }
  why = `${ADDON} not built; npm run build:native`;
  return null;
}
