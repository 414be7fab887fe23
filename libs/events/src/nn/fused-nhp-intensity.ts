import { KernelArena, fastExp, fastTanh, kernelArena } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

// local bindings: calls through an imported binding go through the module's export getter
const exp = fastExp;
const tanh = fastTanh;

/** The per-position state of the continuous-time LSTM, [B, P, H] each, as arrays. */
interface NhpState {
  c: Float32Array;
  cBar: Float32Array;
  delta: Float32Array;
  o: Float32Array;
}

/** True when o is 0 for every unit of the position at so: then h(t) = 0 at every t. */
function outputGateClosed(o: Float32Array, so: number, H: number): boolean {
  for (let j = 0; j < H; j++) if (o[so + j] !== 0) return false;
  return true;
}

/** What the forward pass keeps for the open positions (row li S + s of position live[li] at its gap s). */
interface IntensityTape {
  live: Int32Array;
  /** exp(-delta dt) and tanh(c(dt)) per gap and unit, at (li S + s) H + j. */
  decay: Float32Array;
  tanhC: Float32Array;
  /** w_k . h and sigmoid(beta_k w_k . h) per row and type, at row K + k. */
  pre: Float32Array;
  sig: Float32Array;
}

/** Arena floats evaluateOpen needs: B P H state floats each of c, cBar, delta, o; N rows of H units. */
const openScratch = (statePerArray: number, N: number, H: number) => 4 * statePerArray + 2 * N + 2 * N * H;

/**
 * decay e = exp(-delta dt) and tanh(c(dt)) of every open position's units at its S gaps
 * (row li S + s, H wide) into the tape, and h = o tanh(c(dt)) into the arena at hOff,
 * by the arena's decay kernel. Arena scratch from `free` on (openScratch floats): the
 * state, per-row offsets and gaps, and the rows' e and tanh.
 */
function evaluateOpen(
  st: NhpState,
  H: number,
  S: number,
  dts: Float32Array,
  t: IntensityTape,
  arena: KernelArena,
  hOff: number,
  free: number,
): void {
  const { live, decay, tanhC } = t;
  const n = st.c.length; // B P H
  const N = live.length * S;
  const [D, CB, C, O] = [free, free + n, free + 2 * n, free + 3 * n];
  const offs = free + 4 * n;
  const ts = offs + N;
  const E = ts + N;
  const TH = E + N * H;
  const buf = arena.buf;
  [st.delta, st.cBar, st.c, st.o].forEach((a, q) => buf.set(a, free + q * n));
  for (let li = 0; li < live.length; li++) {
    for (let s = 0; s < S; s++) {
      arena.ints[offs + li * S + s] = live[li] * H;
      buf[ts + li * S + s] = dts[live[li] * S + s];
    }
  }
  // the decayed cell (x) is not needed here: written where tanh of it lands next
  arena.decay(N, H, offs, ts, D, CB, C, O, E, TH, TH, hOff);
  decay.set(buf.subarray(E, E + N * H));
  tanhC.set(buf.subarray(TH, TH + N * H));
}

/**
 * Backward through the units of open position live[li] given dL/dh per row in buf (at
 * dhOff, H wide): each unit's four state gradients summed over the gaps, written once.
 */
function unitsBackward(
  st: NhpState,
  bp: number,
  li: number,
  H: number,
  S: number,
  dts: Float32Array,
  t: IntensityTape,
  buf: Float32Array,
  dhOff: number,
  g: NhpState,
): void {
  const { decay, tanhC } = t;
  for (let j = 0; j < H; j++) {
    const u = bp * H + j;
    const diff = st.c[u] - st.cBar[u];
    const oj = st.o[u];
    let gO = 0;
    let gC = 0;
    let gCb = 0;
    let gD = 0;
    for (let s = 0; s < S; s++) {
      const at = (li * S + s) * H + j;
      const e = decay[at];
      const th = tanhC[at];
      const dh = buf[dhOff + at];
      gO += dh * th;
      const dcd = dh * oj * (1 - th * th);
      gC += dcd * e;
      gCb += dcd * (1 - e);
      gD -= dcd * diff * e * dts[bp * S + s];
    }
    g.o[u] = gO;
    g.c[u] = gC;
    g.cBar[u] = gCb;
    g.delta[u] = gD;
  }
}

/**
 * dL/do of a position whose gate was closed (o = 0, so h = 0 and only o gets a gradient),
 * given dL/d(w_k . h) at its gaps (dpre, S x K). Never reached in training (those are
 * padded positions, whose gradient is 0); kept so that the op is right for any input.
 */
function closedPositionBackward(
  st: NhpState,
  bp: number,
  H: number,
  S: number,
  K: number,
  dts: Float32Array,
  ws: Float32Array,
  dpre: Float64Array,
  g: NhpState,
): void {
  for (let j = 0; j < H; j++) {
    const u = bp * H + j;
    const cb = st.cBar[u];
    let gO = 0;
    for (let s = 0; s < S; s++) {
      let dh = 0;
      for (let k = 0; k < K; k++) dh += dpre[s * K + k] * ws[j * K + k];
      gO += dh * tanh(cb + (st.c[u] - cb) * exp(-st.delta[u] * dts[bp * S + s]));
    }
    g.o[u] = gO;
  }
}

const up4 = (n: number) => (n + 3) & ~3;
const up8 = (n: number) => (n + 7) & ~7;

/**
 * NHP's intensities at sampled times as one op: for each position (b, p) with state
 * c, cBar, delta, o [B, P, H] and each gap dt [B, P, S] (no gradient: data times
 * uniforms), h = o tanh(cBar + (c - cBar) exp(-delta dt)), lambda_k = softplus(beta_k
 * w_k . h) / beta_k with beta = exp(logBeta): [B, P, S, K]. Fused because the tfjs
 * version spends ~20 elementwise ops per direction on [B, P, S, H] tensors, which
 * dominated NHP's epoch (tfjs-cpu elementwise ops run at ~20 ns per element). The
 * products with w (h w, dpre w^T, h^T dpre) run on the wasm kernel with K padded to 8.
 *
 * Positions whose output gate is exactly 0 (past a sequence's end, where fusedCtLstm
 * returns zeros) have h = 0 at every time: their intensity is softplus(0) / beta without
 * evaluating the state (same values; padding is ~40% of a batch of random sequences).
 */
export function fusedNhpIntensity(
  c: tf.Tensor3D,
  cBar: tf.Tensor3D,
  delta: tf.Tensor3D,
  o: tf.Tensor3D,
  dt: tf.Tensor3D,
  W: tf.Tensor2D,
  logBeta: tf.Tensor1D,
): tf.Tensor4D {
  const [B, P, S] = dt.shape;
  const H = c.shape[2];
  const K = W.shape[1];
  const K8 = up8(K);
  const dts = dt.dataSync() as Float32Array;
  const op = tf.customGrad(((
    cT: tf.Tensor,
    cbT: tf.Tensor,
    dT: tf.Tensor,
    oT: tf.Tensor,
    wT: tf.Tensor,
    lbT: tf.Tensor,
  ) => {
    const st: NhpState = {
      c: cT.dataSync() as Float32Array,
      cBar: cbT.dataSync() as Float32Array,
      delta: dT.dataSync() as Float32Array,
      o: oT.dataSync() as Float32Array,
    };
    const ws = wT.dataSync() as Float32Array;
    const beta = Float32Array.from(lbT.dataSync() as Float32Array, Math.exp);
    const live = Int32Array.from({ length: B * P }, (_, bp) => bp).filter(
      (bp) => !outputGateClosed(st.o, bp * H, H),
    );
    const N = live.length * S;
    const tape: IntensityTape = {
      live,
      decay: new Float32Array(N * H),
      tanhC: new Float32Array(N * H),
      pre: new Float32Array(N * K),
      sig: new Float32Array(N * K),
    };
    // arena: w padded to K8 columns, h rows, h w, then evaluateOpen's scratch
    const Wp = 0;
    const hOff = Wp + H * K8;
    const preOff = hOff + up4(N) * H;
    const free = preOff + up4(N) * K8;
    const arena = kernelArena(free + openScratch(B * P * H, N, H));
    const buf = arena.buf;
    buf.fill(0, Wp, hOff); // w's padding columns
    buf.fill(0, hOff + N * H, free); // h's padding rows, and h w (accumulated into)
    for (let j = 0; j < H; j++) for (let k = 0; k < K; k++) buf[Wp + j * K8 + k] = ws[j * K + k];
    evaluateOpen(st, H, S, dts, tape, arena, hOff, free);
    arena.gemm(up4(N), K8, H, hOff, H, Wp, K8, preOff, K8);
    const lam = intensitiesFrom(buf, preOff, K8, tape, beta, B * P * S, S, K);
    const gradFunc = (dy: tf.Tensor) =>
      intensityBackward(st, tape, dy.dataSync() as Float32Array, lam, beta, ws, dts, [B, P, S, H, K]);
    return { value: tf.tensor4d(lam, [B, P, S, K]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(c, cBar, delta, o, W, logBeta) as tf.Tensor4D;
}

/**
 * lambda [B P S, K] from w . h of the open rows (arena at preOff, K8 wide), keeping w . h
 * and sigmoid(beta w . h) in the tape; closed positions have w . h = 0, lambda =
 * softplus(0) / beta.
 */
function intensitiesFrom(
  buf: Float32Array,
  preOff: number,
  K8: number,
  t: IntensityTape,
  beta: Float32Array,
  rows: number,
  S: number,
  K: number,
): Float32Array {
  const { live, pre, sig } = t;
  const lam = new Float32Array(rows * K);
  for (let q = 0; q < rows; q++) for (let k = 0; k < K; k++) lam[q * K + k] = Math.LN2 / beta[k];
  for (let li = 0; li < live.length; li++) {
    for (let s = 0; s < S; s++) {
      const row = li * S + s;
      for (let k = 0; k < K; k++) {
        const a = buf[preOff + row * K8 + k];
        const x = beta[k] * a;
        const e = exp(x);
        pre[row * K + k] = a;
        sig[row * K + k] = x > 30 ? 1 : e / (1 + e); // the link's derivative, for the backward pass
        lam[(live[li] * S + s) * K + k] = (x > 30 ? x : Math.log1p(e)) / beta[k]; // linear above 30 like tf.softplus
      }
    }
  }
  return lam;
}

/** fusedNhpIntensity's gradients w.r.t. c, cBar, delta, o, W and logBeta. */
function intensityBackward(
  st: NhpState,
  t: IntensityTape,
  gy: Float32Array,
  lam: Float32Array,
  beta: Float32Array,
  ws: Float32Array,
  dts: Float32Array,
  dims: number[],
): tf.Tensor[] {
  const [B, P, S, H, K] = dims;
  const K8 = up8(K);
  const { live } = t;
  const N = live.length * S;
  const n = B * P * H;
  const g: NhpState = {
    c: new Float32Array(n),
    cBar: new Float32Array(n),
    delta: new Float32Array(n),
    o: new Float32Array(n),
  };
  const dLogBeta = new Float64Array(K);
  // arena: w^T padded to K8 rows, dL/d(w . h) per open row, dL/dh, h, dW
  const Wt = 0;
  const dpOff = Wt + K8 * H;
  const dhOff = dpOff + up4(N) * K8;
  const hRows = dhOff + up4(N) * H;
  const dW = hRows + H * N;
  const arena = kernelArena(dW + H * K8);
  const buf = arena.buf;
  buf.fill(0, 0, hRows); // w^T's padding, dpre's padding rows and columns, dL/dh (accumulated into)
  buf.fill(0, dW, dW + H * K8);
  for (let j = 0; j < H; j++) for (let k = 0; k < K; k++) buf[Wt + k * H + j] = ws[j * K + k];
  // d/dbeta [softplus(beta a) / beta] = (a sig - lambda) / beta; times beta for logBeta
  const isLive = new Int32Array(B * P).fill(-1);
  live.forEach((bp, li) => (isLive[bp] = li));
  const dpre = new Float64Array(S * K);
  const { sig: sigs, pre } = t; // locals: V8 does not hoist property loads out of loops
  for (let bp = 0; bp < B * P; bp++) {
    const li = isLive[bp];
    let any = false;
    for (let q = 0; q < S * K; q++) {
      const k = q % K;
      const gq = gy[bp * S * K + q];
      const row = li * S * K + q; // (li S + s) K + k
      const sig = li >= 0 ? sigs[row] : 0.5;
      dLogBeta[k] += gq * ((li >= 0 ? pre[row] * sig : 0) - lam[bp * S * K + q]);
      dpre[q] = gq * sig;
      if (dpre[q] !== 0) any = true;
    }
    if (!any) continue; // padded positions carry zero gradient
    if (li < 0) closedPositionBackward(st, bp, H, S, K, dts, ws, dpre, g);
    else for (let q = 0; q < S * K; q++) buf[dpOff + (li * S + Math.floor(q / K)) * K8 + (q % K)] = dpre[q];
  }
  arena.gemm(up4(N), H, K8, dpOff, K8, Wt, H, dhOff, H); // dL/dh = dpre w^T
  const { tanhC } = t;
  const o = st.o; // locals: V8 does not hoist property loads out of loops
  for (let li = 0; li < live.length; li++) {
    const u = live[li] * H;
    for (let row = li * S * H; row < (li + 1) * S * H; row += H)
      for (let j = 0; j < H; j++) buf[hRows + row + j] = o[u + j] * tanhC[row + j];
  }
  arena.gemm(H, K8, N, hRows, 1, dpOff, K8, dW, K8, H); // dW = h^T dpre (h's rows read transposed)
  for (let li = 0; li < live.length; li++) unitsBackward(st, live[li], li, H, S, dts, t, buf, dhOff, g);
  const dWk = new Float32Array(H * K);
  for (let j = 0; j < H; j++) for (let k = 0; k < K; k++) dWk[j * K + k] = buf[dW + j * K8 + k];
  const shape: [number, number, number] = [B, P, H];
  return [
    tf.tensor3d(g.c, shape),
    tf.tensor3d(g.cBar, shape),
    tf.tensor3d(g.delta, shape),
    tf.tensor3d(g.o, shape),
    tf.tensor2d(dWk, [H, K]),
    tf.tensor1d(Float32Array.from(dLogBeta)),
  ];
}
