import { KernelArena, fastExp, kernelArena, transposeInto } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

// local bindings: calls through an imported binding go through the module's export getter
const exp = fastExp;

/**
 * FullyNN's cumulative-hazard network (Omi et al. 2019) as one op per use, with the
 * backward pass by hand. Per row (a position's projection u [M] and a gap tau):
 *   z1 = tanh(u + tau a1),         d1 = (1 - z1^2) a1               (d = dz/dtau)
 *   z2 = tanh(z1 A2 + b2),         d2 = (1 - z2^2) (d1 A2)
 *   z3 = z2 A3 + b3,               d3 = d2 A3
 *   Phi = softplus(z3) + tau eps,  lambda = sigmoid(z3) d3 + eps
 * a1, A2, A3, eps are the positive (softplus'd) weights. Written in tfjs this is ~40 ops
 * per direction on [rows, M] tensors; here the two products with A2 run on the wasm
 * kernel with the value and derivative rows stacked, and only the rows a caller needs
 * are evaluated (FullyNnModel scores only positions followed by an event).
 */
export interface HazardWeights {
  a1: tf.Tensor1D;
  A2: tf.Tensor2D;
  b2: tf.Tensor1D;
  A3: tf.Tensor2D;
  b3: tf.Tensor1D;
  eps: tf.Tensor1D;
}

/** The weights as arrays, in HazardWeights' order. */
interface Weights {
  M: number;
  K: number;
  a1: Float32Array;
  A2: Float32Array;
  b2: Float32Array;
  A3: Float32Array;
  b3: Float32Array;
  eps: Float32Array;
}

/**
 * What the forward pass keeps. Rows r < N are (position pos[r], gap tau[r]); the first Nd
 * of them also carry the derivative path (lambda), the others only Phi (the exact terms
 * need Phi at 0 but not lambda there). Value rows are N x M (z1, z2) or N x K (z3);
 * derivative rows Nd x M (v2 = d1 A2) or Nd x K (d3).
 */
interface HazardTape {
  N: number;
  Nd: number;
  pos: Int32Array;
  tau: Float32Array;
  z1: Float32Array;
  z2: Float32Array;
  v2: Float32Array;
  z3: Float32Array;
  d3: Float32Array;
}

const up4 = (n: number) => (n + 3) & ~3;
const up8 = (n: number) => (n + 7) & ~7;

/** log(1 + e^x), linear above 30 (float32 cannot tell the difference there). */
const softplus = (x: number) => (x > 30 ? x : Math.log1p(exp(x)));
const sigmoid = (x: number) => 1 / (1 + exp(-x));

/** M [rows, cols] into the arena at off with its columns padded to `width` (zeros). */
function setPadded(
  buf: Float32Array,
  off: number,
  m: Float32Array,
  rows: number,
  cols: number,
  width: number,
): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) buf[off + i * width + j] = m[i * cols + j];
}

/** z1 = tanh(u + tau a1) of each row into z1 and the arena rows at X (the tanh on the vector kernel), d1 = (1 - z1^2) a1 below them for the first Nd. */
function firstLayer(
  proj: Float32Array,
  pos: Int32Array,
  tau: Float32Array,
  a1: Float32Array,
  N: number,
  Nd: number,
  M: number,
  z1: Float32Array,
  arena: KernelArena,
  X: number,
): void {
  const buf = arena.buf;
  for (let r = 0; r < N; r++) {
    const u = pos[r] * M;
    const tr = tau[r];
    for (let m = 0; m < M; m++) buf[X + r * M + m] = proj[u + m] + tr * a1[m];
  }
  arena.tanh(X, N * M);
  z1.set(buf.subarray(X, X + N * M));
  for (let r = 0; r < Nd; r++) {
    for (let m = 0; m < M; m++) {
      const z = z1[r * M + m];
      buf[X + (N + r) * M + m] = (1 - z * z) * a1[m];
    }
  }
}

/** z2 = tanh(z1 A2 + b2) from the products at Y into z2 and the arena rows at X; for the first Nd rows v2 = d1 A2 and d2 = (1 - z2^2) v2 below. */
function secondLayer(
  arena: KernelArena,
  Y: number,
  b2: Float32Array,
  N: number,
  Nd: number,
  M: number,
  z2: Float32Array,
  v2: Float32Array,
  X: number,
): void {
  const buf = arena.buf;
  for (let r = 0; r < N; r++) for (let m = 0; m < M; m++) buf[Y + r * M + m] += b2[m];
  arena.tanh(Y, N * M);
  z2.set(buf.subarray(Y, Y + N * M));
  buf.set(z2, X);
  v2.set(buf.subarray(Y + N * M, Y + (N + Nd) * M));
  for (let r = 0; r < Nd; r++) {
    for (let m = 0; m < M; m++) {
      const z = z2[r * M + m];
      buf[X + (N + r) * M + m] = (1 - z * z) * v2[r * M + m];
    }
  }
}

/**
 * Phi (N x K) and lambda (Nd x K) of rows (pos[r], tau[r]) of proj [*, M]. The arena
 * holds A2, A3 (K padded to 8 columns for the kernel) and the stacked rows [values;
 * derivatives], R = N + Nd of them (padded to 4), M or 8 wide.
 */
function hazardForward(
  w: Weights,
  proj: Float32Array,
  pos: Int32Array,
  tau: Float32Array,
  Nd: number,
): { tape: HazardTape; Phi: Float32Array; lam: Float32Array } {
  const { M, K } = w;
  const N = pos.length;
  const K8 = up8(K);
  const R = up4(N + Nd);
  const A2 = 0;
  const A3 = A2 + M * M;
  const X = A3 + M * K8;
  const Y = X + R * M;
  const Z3 = Y + R * M;
  const arena = kernelArena(Z3 + R * K8);
  const buf = arena.buf;
  buf.fill(0, 0, Z3 + R * K8);
  buf.set(w.A2, A2);
  setPadded(buf, A3, w.A3, M, K, K8);
  const t: HazardTape = {
    N,
    Nd,
    pos,
    tau,
    z1: new Float32Array(N * M),
    z2: new Float32Array(N * M),
    v2: new Float32Array(Nd * M),
    z3: new Float32Array(N * K),
    d3: new Float32Array(Nd * K),
  };
  firstLayer(proj, pos, tau, w.a1, N, Nd, M, t.z1, arena, X);
  arena.gemm(R, M, M, X, M, A2, M, Y, M); // [z1 A2; d1 A2]
  secondLayer(arena, Y, w.b2, N, Nd, M, t.z2, t.v2, X);
  arena.gemm(R, K8, M, X, M, A3, K8, Z3, K8); // [z2 A3; d2 A3]
  const Phi = new Float32Array(N * K);
  const lam = new Float32Array(Nd * K);
  for (let r = 0; r < N; r++) {
    for (let k = 0; k < K; k++) {
      const z3 = buf[Z3 + r * K8 + k] + w.b3[k];
      t.z3[r * K + k] = z3;
      Phi[r * K + k] = softplus(z3) + tau[r] * w.eps[k];
      if (r >= Nd) continue;
      const d3 = buf[Z3 + (N + r) * K8 + k];
      t.d3[r * K + k] = d3;
      lam[r * K + k] = sigmoid(z3) * d3 + w.eps[k];
    }
  }
  return { tape: t, Phi, lam };
}

/**
 * Gradients w.r.t. proj ([P, M] for P positions) and the weights, in HazardWeights' order
 * after proj, from dL/dPhi (N x K) and dL/dlambda (Nd x K).
 */
function hazardBackward(
  w: Weights,
  t: HazardTape,
  P: number,
  gPhi: Float32Array,
  gLam: Float32Array,
): Float32Array[] {
  const { M, K } = w;
  const { N, Nd, z1, z2, v2, pos, tau } = t; // locals: V8 does not hoist these loads out of the loops
  const a1 = w.a1;
  const K8 = up8(K);
  const R = up4(N + Nd);
  const g = {
    proj: new Float32Array(P * M),
    a1: new Float64Array(M),
    b2: new Float64Array(M),
    b3: new Float64Array(K),
    eps: new Float64Array(K),
  };
  const [gProj, gA1, gB2] = [g.proj, g.a1, g.b2];
  // layout: A3^T and A2^T, [dz3; dd3], [z2; d2] then [z1; d1], dA3, [dz2; dd2], [du2; dv2], dA2, [dz1; dd1]
  const A3t = 0;
  const A2t = A3t + K8 * M;
  const G3 = A2t + M * M;
  const XS = G3 + R * K8; // the stacked rows the weight gradients read transposed
  const GA3 = XS + M * (N + Nd);
  const G2 = GA3 + M * K8;
  const GU = G2 + R * M;
  const GA2 = GU + R * M;
  const G1 = GA2 + M * M;
  const arena = kernelArena(G1 + R * M);
  const buf = arena.buf;
  buf.fill(0, 0, G1 + R * M);
  for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) buf[A3t + k * M + m] = w.A3[m * K + k];
  transposeInto(w.A2, 0, M, M, buf, A2t);
  outputLayerBackward(w, t, gPhi, gLam, buf, G3, g);
  // dA3 = [z2; d2]^T [dz3; dd3]
  stackedRows(z2, v2, true, N, Nd, M, buf, XS);
  arena.gemm(M, K8, N + Nd, XS, 1, G3, K8, GA3, K8, M);
  arena.gemm(R, M, K8, G3, K8, A3t, M, G2, M); // [dz2; dd2] = [dz3; dd3] A3^T
  for (let r = 0; r < N; r++) {
    for (let m = 0; m < M; m++) {
      const zz = z2[r * M + m];
      const s = 1 - zz * zz;
      let gz2 = buf[G2 + r * M + m];
      if (r < Nd) {
        const gd2 = buf[G2 + (N + r) * M + m];
        gz2 -= 2 * zz * v2[r * M + m] * gd2; // d2 = (1 - z2^2) v2 depends on z2 too
        buf[GU + (N + r) * M + m] = gd2 * s;
      }
      buf[GU + r * M + m] = gz2 * s;
      gB2[m] += gz2 * s;
    }
  }
  // dA2 = [z1; d1]^T [du2; dv2]
  stackedRows(z1, a1, false, N, Nd, M, buf, XS);
  arena.gemm(M, M, N + Nd, XS, 1, GU, M, GA2, M, M);
  arena.gemm(R, M, M, GU, M, A2t, M, G1, M); // [dz1; dd1] = [du2; dv2] A2^T
  for (let r = 0; r < N; r++) {
    for (let m = 0; m < M; m++) {
      const zz = z1[r * M + m];
      const s = 1 - zz * zz;
      const gd1 = r < Nd ? buf[G1 + (N + r) * M + m] : 0;
      const gu1 = (buf[G1 + r * M + m] - 2 * zz * a1[m] * gd1) * s; // d1 = (1 - z1^2) a1 depends on z1 too
      gProj[pos[r] * M + m] += gu1;
      gA1[m] += gd1 * s + gu1 * tau[r];
    }
  }
  const dA3 = new Float32Array(M * K);
  for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) dA3[m * K + k] = buf[GA3 + m * K8 + k];
  const f32 = (x: Float64Array) => Float32Array.from(x);
  return [g.proj, f32(g.a1), buf.slice(GA2, GA2 + M * M), f32(g.b2), dA3, f32(g.b3), f32(g.eps)];
}

/**
 * [values; derivatives] into the arena at off, (N + Nd) rows of M: row r < N is values row
 * r, row N + r (r < Nd) is (1 - values[r]^2) scale with scale = the per-row factors
 * (v2, for d2) or, when perRow is false, one factor per unit (a1, for d1).
 */
function stackedRows(
  values: Float32Array,
  scale: Float32Array,
  perRow: boolean,
  N: number,
  Nd: number,
  M: number,
  buf: Float32Array,
  off: number,
): void {
  buf.set(values, off);
  for (let r = 0; r < Nd; r++) {
    for (let m = 0; m < M; m++) {
      const z = values[r * M + m];
      buf[off + (N + r) * M + m] = (1 - z * z) * scale[perRow ? r * M + m : m];
    }
  }
}

/** From dL/dPhi and dL/dlambda per row: [dz3; dd3] into the arena at G3 (K8 wide), and the gradients of b3 and eps. */
function outputLayerBackward(
  w: Weights,
  t: HazardTape,
  gPhi: Float32Array,
  gLam: Float32Array,
  buf: Float32Array,
  G3: number,
  g: { b3: Float64Array; eps: Float64Array },
): void {
  const K = w.K;
  const K8 = up8(K);
  const { N, Nd } = t;
  for (let r = 0; r < N; r++) {
    for (let k = 0; k < K; k++) {
      const s = sigmoid(t.z3[r * K + k]);
      let gz3 = gPhi[r * K + k] * s;
      g.eps[k] += gPhi[r * K + k] * t.tau[r];
      if (r < Nd) {
        const gl = gLam[r * K + k];
        gz3 += gl * t.d3[r * K + k] * s * (1 - s);
        buf[G3 + (N + r) * K8 + k] = gl * s;
        g.eps[k] += gl;
      }
      buf[G3 + r * K8 + k] = gz3;
      g.b3[k] += gz3;
    }
  }
}

function readWeights(M: number, K: number, ts: tf.Tensor[]): Weights {
  const [a1, A2, b2, A3, b3, eps] = ts.map((x) => x.dataSync() as Float32Array);
  return { M, K, a1, A2, b2, A3, b3, eps };
}

/** One use of the network: its rows' forward pass, the op's value, and how the op's output gradient maps to dL/dPhi, dL/dlambda per row. */
type HazardOp = (
  proj: Float32Array,
  w: Weights,
) => {
  value: tf.Tensor;
  backward: (dy: Float32Array) => { gPhi: Float32Array; gLam: Float32Array };
  tape: HazardTape;
};

/** The customGrad plumbing shared by the two uses: inputs proj [B, P, M] and the six weights. */
function hazardOp(proj: tf.Tensor3D, wts: HazardWeights, run: HazardOp): tf.Tensor {
  const [B, P, M] = proj.shape;
  const K = wts.A3.shape[1];
  const op = tf.customGrad(((...ins: tf.Tensor[]) => {
    const w = readWeights(M, K, ins.slice(1, 7));
    const { value, backward, tape } = run(ins[0].dataSync() as Float32Array, w);
    const gradFunc = (dy: tf.Tensor) => {
      const { gPhi, gLam } = backward(dy.dataSync() as Float32Array);
      const [gProj, ...gw] = hazardBackward(w, tape, B * P, gPhi, gLam);
      return [tf.tensor3d(gProj, [B, P, M]), ...gw.map((x, i) => tf.tensor(x, ins[i + 1].shape))];
    };
    return { value, gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(proj, wts.a1, wts.A2, wts.b2, wts.A3, wts.b3, wts.eps) as tf.Tensor;
}

/** Positions whose next type is an event type (< K; padding is K). */
function scoredPositions(types: Int32Array, K: number): Int32Array {
  let n = 0;
  for (const k of types) if (k >= 0 && k < K) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let i = 0; i < types.length; i++) if (types[i] >= 0 && types[i] < K) out[n++] = i;
  return out;
}

/** lambda_k at gaps dt [B, P, S] after each position: [B, P, S, K]. */
export function fullyNnIntensity(proj: tf.Tensor3D, dt: tf.Tensor3D, wts: HazardWeights): tf.Tensor4D {
  const [B, P, S] = dt.shape;
  const K = wts.A3.shape[1];
  const tau = dt.dataSync() as Float32Array;
  const pos = new Int32Array(B * P * S);
  for (let r = 0; r < B * P * S; r++) pos[r] = (r / S) | 0;
  return hazardOp(proj, wts, (u, w) => {
    const { tape, lam } = hazardForward(w, u, pos, tau, pos.length);
    const backward = (dy: Float32Array) => ({ gPhi: new Float32Array(dy.length), gLam: dy });
    return { value: tf.tensor4d(lam, [B, P, S, K]), backward, tape };
  }) as tf.Tensor4D;
}

/**
 * FullyNN's exact terms [2, B, P]: log(lambda_{k'}(tau) + 1e-9) for the next event's type
 * k' and gap tau, and the compensator sum_k Phi_k(tau) - Phi_k(0). Positions whose next
 * type is padding (>= K) are not evaluated and hold 0 (the models mask them out).
 */
export function fullyNnExactTerms(
  proj: tf.Tensor3D,
  nextGaps: tf.Tensor2D,
  nextTypes: tf.Tensor2D,
  wts: HazardWeights,
): tf.Tensor3D {
  const [B, P] = nextGaps.shape;
  const K = wts.A3.shape[1];
  const gaps = nextGaps.dataSync() as Float32Array;
  const types = nextTypes.dataSync() as Int32Array;
  const live = scoredPositions(types, K);
  const L = live.length;
  // rows 0..L: at the gap; rows L..2L: at 0
  const pos = new Int32Array(2 * L);
  const tau = new Float32Array(2 * L);
  for (let i = 0; i < L; i++) [pos[i], pos[L + i], tau[i]] = [live[i], live[i], gaps[live[i]]];
  return hazardOp(proj, wts, (u, w) => {
    const { tape, Phi, lam } = hazardForward(w, u, pos, tau, L); // lambda at the gaps only
    const out = new Float32Array(2 * B * P);
    for (let i = 0; i < L; i++) {
      const p = live[i];
      out[p] = Math.log(lam[i * K + types[p]] + 1e-9);
      let integral = 0;
      for (let k = 0; k < K; k++) integral += Phi[i * K + k] - Phi[(L + i) * K + k];
      out[B * P + p] = integral;
    }
    const backward = (dy: Float32Array) => {
      const gPhi = new Float32Array(2 * L * K);
      const gLam = new Float32Array(L * K);
      for (let i = 0; i < L; i++) {
        const p = live[i];
        gLam[i * K + types[p]] = dy[p] / (lam[i * K + types[p]] + 1e-9);
        for (let k = 0; k < K; k++) {
          gPhi[i * K + k] = dy[B * P + p];
          gPhi[(L + i) * K + k] = -dy[B * P + p];
        }
      }
      return { gPhi, gLam };
    };
    return { value: tf.tensor3d(out, [2, B, P]), backward, tape };
  }) as tf.Tensor3D;
}
