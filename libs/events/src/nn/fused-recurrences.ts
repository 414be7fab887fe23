import { KernelArena, fastExp, kernelArena, transposeInto } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { StepInputGrads, StepInputReader, StepInputs, stepInputTensors } from './step-inputs';
import { StepPlan, copyRows, stepPlan } from './step-plan';
import { pass } from './native-passes';

// local bindings: calls through an imported binding go through the module's export getter
const exp = fastExp;

/**
 * Recurrences over all time steps as ONE tfjs op each (tf.customGrad), with forward and
 * backward (BPTT by hand) loops on Float32Arrays in plain JS.
 *
 * Why: written step by step in tfjs, a recurrence costs ~10-30 ops per event per
 * direction, and on tfjs-cpu every op costs ~30 us of overhead regardless of size; with
 * B x H = 64 x 32 states the arithmetic itself is a small fraction of that. One fused op
 * removes the per-step overhead entirely (gradients are checked against the step-by-step
 * tfjs versions, kept below as references, in fused-recurrences.spec.ts).
 *
 * Inside, a step advances every sequence of the batch at once, so the recurrent product
 * is one [B, H] x [H, G H] matrix product on the wasm kernel (wasm-kernels.ts; the loop of
 * row-vector products this replaced ran ~20x slower), sequences that have ended drop out
 * (step-plan.ts), inputs are read from per-type tables (step-inputs.ts), and the
 * transcendental functions run on the kernels' vector exp / tanh / sigmoid. Where the
 * native kernels are in use, fusedRnn's whole recurrence is one native call each way
 * instead (native-rnn.ts). Intermediates live in the op's closure between forward and backward (never tensors,
 * so nothing leaks when no gradient is taken).
 */

export type FusedCell = 'rnn' | 'gru';

/**
 * Row counts of step products rounded up to a multiple of 4, the kernel's tile height:
 * the arenas hold up4(B) rows, and the rows past the running ones are scratch (zeros or
 * finite values of earlier steps, never read), so the kernel needs no ragged-edge path.
 */
const up4 = (n: number) => (n + 3) & ~3;

/** An arena with its first `floats` floats zeroed. */
function zeroedArena(floats: number): KernelArena {
  const arena = kernelArena(floats);
  arena.buf.fill(0, 0, floats);
  return arena;
}

/** A [B, T, W] batch-layout array in the internal [T, B, W] layout (positions past the end stay 0). */
function toInternal(plan: StepPlan, W: number, src: Float32Array, srcOff = 0): Float32Array {
  const out = new Float32Array(plan.T * plan.B * W);
  copyRows(plan, W, src, srcOff, out, 0, true);
  return out;
}

/** The recurrent state of fusedRnn: h per step and, for a GRU, what its backward pass needs. */
interface RnnTape {
  cell: FusedCell;
  H: number;
  GH: number;
  /** h_t, internal layout [T, B, H]. */
  hs: Float32Array;
  /** gru: z, r, n and hn (the recurrent part of n's pre-activation), each [T, B, H]. */
  z: Float32Array;
  r: Float32Array;
  n: Float32Array;
  hn: Float32Array;
}

/**
 * h_t for t = 0..T-1 from h_{-1} = 0: [B, T, H], inputs x_t from `inputs` (step-inputs.ts).
 * rnn: h_t = tanh(x_t + h_{t-1} U), x_t [H], U [H, H].
 * gru: [xz, xr, xn] = x_t, [hz, hr, hn] = h_{t-1} U (gate order z, r, n as in the tfjs
 * reference), z = sigma(xz + hz), r = sigma(xr + hr), n = tanh(xn + r hn),
 * h_t = (1 - z) n + z h_{t-1}; x_t [3H], U [H, 3H].
 * lengths[b]: events of sequence b; h is 0 after them (default: all T).
 */
export function fusedRnn(
  inputs: StepInputs,
  U: tf.Tensor2D,
  cell: FusedCell,
  lengths?: ArrayLike<number>,
): tf.Tensor3D {
  const [B, T] = inputs.ids.shape;
  const H = U.shape[0];
  const GH = (cell === 'gru' ? 3 : 1) * H;
  if (U.shape[1] !== GH) throw new Error(`fusedRnn: U [${U.shape}] does not match a ${cell} cell`);
  return rnn(inputs, U, cell === 'gru', stepPlan(B, T, lengths));
}

/** fusedRnn on native-rnn.ts where the native kernels are in use, else in JS loops on the kernel arena. */
const rnn = pass('rnn', (inputs, U, gru, plan) => {
  const { B, T } = plan;
  const cell: FusedCell = gru ? 'gru' : 'rnn';
  const H = U.shape[0];
  const GH = U.shape[1];
  const op = tf.customGrad(((...ins: tf.Tensor[]) => {
    const reader = new StepInputReader(inputs, GH, 'fusedRnn');
    const us = ins[stepInputTensors(inputs).length].dataSync() as Float32Array; // after the input tensors (customGrad appends `save`)
    const N = T * B * H;
    const tape: RnnTape = {
      cell,
      H,
      GH,
      hs: new Float32Array(N),
      z: new Float32Array(gru ? N : 0),
      r: new Float32Array(gru ? N : 0),
      n: new Float32Array(gru ? N : 0),
      hn: new Float32Array(gru ? N : 0),
    };
    const fa = rnnForwardArena(B, H, GH, us);
    for (let t = 0; t < T; t++) rnnForwardStep(tape, plan, t, reader, fa);
    const out = new Float32Array(B * T * H);
    copyRows(plan, H, tape.hs, 0, out, 0, false);
    const gradFunc = (dy: tf.Tensor) => {
      const gH = toInternal(plan, H, dy.dataSync() as Float32Array); // dL/dh_t, later steps add in
      const gIn = reader.grads();
      const ba = rnnBackwardArena(B, H, GH, us);
      for (let t = T - 1; t >= 0; t--) rnnBackwardStep(tape, plan, t, gH, reader, gIn, ba);
      return [
        ...reader.gradTensors(gIn, inputs),
        tf.tensor2d(ba.arena.buf.slice(ba.dU, ba.dU + H * GH), [H, GH]),
      ];
    };
    return { value: tf.tensor3d(out, [B, T, H]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(...stepInputTensors(inputs), U) as tf.Tensor3D;
});

/**
 * fusedRnn's forward products in the arena (offsets in floats): U; the previous step's h
 * rows; the step's pre-activations x_t + h_{t-1} U (for a GRU only in the z and r blocks:
 * its n block keeps x_n, and hn = h_{t-1} U_n has its own rows); the GRU's n
 * pre-activations nb.
 */
interface RnnForwardArena {
  arena: KernelArena;
  U: number;
  hPrev: number;
  hu: number;
  hn: number;
  nb: number;
}

function rnnForwardArena(B: number, H: number, GH: number, us: Float32Array): RnnForwardArena {
  const U = 0;
  const hPrev = H * GH;
  const hu = hPrev + up4(B) * H;
  const gru = GH > H;
  const hn = hu + up4(B) * GH;
  const nb = hn + (gru ? up4(B) * H : 0);
  const arena = zeroedArena(nb + (gru ? B * H : 0));
  arena.buf.set(us, U);
  return { arena, U, hPrev, hu, hn, nb };
}

/** One step of fusedRnn's forward pass for the rows still running. */
function rnnForwardStep(
  s: RnnTape,
  plan: StepPlan,
  t: number,
  reader: StepInputReader,
  w: RnnForwardArena,
): void {
  const { H, GH, hs } = s;
  const nA = plan.active[t];
  const o = t * plan.B * H; // this step's h rows
  const po = o - plan.B * H; // the previous step's
  const { arena, hu } = w;
  const buf = arena.buf;
  // x_t read straight into the product's rows, which the gemm then accumulates onto
  for (let r = 0; r < nA; r++) reader.read(plan.order[r], t, buf, hu + r * GH);
  buf.fill(0, hu + nA * GH, hu + up4(nA) * GH); // scratch rows: kept finite
  if (t > 0) buf.set(hs.subarray(po, po + nA * H), w.hPrev);
  if (s.cell === 'rnn') {
    if (t > 0) arena.gemm(up4(nA), GH, H, w.hPrev, H, w.U, GH, hu, GH);
    arena.tanh(hu, nA * H);
    hs.set(buf.subarray(hu, hu + nA * H), o);
    return;
  }
  // GRU: z and r blocks accumulate h U_zr onto x; hn = h U_n apart (n = tanh(x_n + r hn))
  buf.fill(0, w.hn, w.hn + up4(nA) * H);
  if (t > 0) {
    arena.gemm(up4(nA), 2 * H, H, w.hPrev, H, w.U, GH, hu, GH);
    arena.gemm(up4(nA), H, H, w.hPrev, H, w.U + 2 * H, GH, w.hn, H);
  }
  gruGates(s, arena, w, nA, o, t > 0 ? po : -1);
}

/**
 * A GRU step's gates from the pre-activations at w.hu ([z, r] with h U added, x_n) and
 * hn at w.hn: z and r through one vector sigmoid over the whole rows (x_n copied out to
 * nb first), n through one vector tanh over nb. prev: the previous step's h rows (-1: none).
 */
function gruGates(
  s: RnnTape,
  arena: KernelArena,
  w: RnnForwardArena,
  nA: number,
  o: number,
  prev: number,
): void {
  const { H, GH, hs, z: zs, r: rs, n: ns, hn } = s; // locals: V8 does not hoist these loads out of the loops
  const { hu, nb } = w;
  const hnb = w.hn;
  const buf = arena.buf;
  for (let r = 0; r < nA; r++) buf.copyWithin(nb + r * H, hu + r * GH + 2 * H, hu + r * GH + 3 * H);
  arena.sigmoid(hu, nA * GH);
  for (let r = 0; r < nA; r++) {
    const rr = hu + r * GH + H;
    for (let k = 0; k < H; k++) buf[nb + r * H + k] += buf[rr + k] * buf[hnb + r * H + k];
  }
  arena.tanh(nb, nA * H);
  hn.set(buf.subarray(hnb, hnb + nA * H), o);
  for (let r = 0; r < nA; r++) {
    for (let k = 0; k < H; k++) {
      const i = o + r * H + k;
      const z = buf[hu + r * GH + k];
      const n = buf[nb + r * H + k];
      hs[i] = (1 - z) * n + z * (prev >= 0 ? hs[prev + r * H + k] : 0);
      zs[i] = z;
      rs[i] = buf[hu + r * GH + H + k];
      ns[i] = n;
    }
  }
}

/**
 * fusedRnn's backward products in the arena: U transposed, the gradient w.r.t. h_{t-1} U
 * (dPre), h_{t-1} transposed, dPre U^T, the accumulated dU, and the step's input
 * gradients dx (for a GRU dx and dPre differ in the n block).
 */
interface RnnBackwardArena {
  arena: KernelArena;
  Ut: number;
  dPre: number;
  hT: number; // the h rows that the weight gradient reads transposed
  gPrev: number;
  dU: number;
  dx: number;
}

function rnnBackwardArena(B: number, H: number, GH: number, us: Float32Array): RnnBackwardArena {
  const Ut = 0;
  const dPre = GH * H;
  const hT = dPre + up4(B) * GH;
  const gPrev = hT + H * B;
  const dU = gPrev + up4(B) * H;
  const dx = dU + H * GH;
  const arena = zeroedArena(dx + B * GH);
  transposeInto(us, 0, H, GH, arena.buf, Ut);
  return { arena, Ut, dPre, hT, gPrev, dU, dx };
}

/**
 * One step of fusedRnn's backward pass: gH holds dL/dh_t complete (output gradient plus
 * what steps after t sent back); this step adds its share into gH at t - 1.
 */
function rnnBackwardStep(
  s: RnnTape,
  plan: StepPlan,
  t: number,
  gH: Float32Array,
  reader: StepInputReader,
  gIn: StepInputGrads,
  w: RnnBackwardArena,
): void {
  const { H, GH, hs } = s;
  const nA = plan.active[t];
  const o = t * plan.B * H;
  const po = o - plan.B * H;
  const buf = w.arena.buf;
  const pre = w.dPre;
  // for a plain RNN the gradient w.r.t. h_{t-1} U is the one w.r.t. x_t
  const dx = s.cell === 'rnn' ? pre : w.dx;
  if (s.cell === 'rnn') {
    for (let i = 0; i < nA * H; i++) {
      const h = hs[o + i];
      buf[pre + i] = gH[o + i] * (1 - h * h);
    }
  } else {
    const { z: zs, r: rs, n: ns, hn: hns } = s; // locals: V8 does not hoist these loads out of the loops
    for (let r = 0; r < nA; r++) {
      const xr = dx + r * GH;
      const ur = pre + r * GH;
      const hr = o + r * H;
      for (let k = 0; k < H; k++) {
        const gh = gH[hr + k];
        const z = zs[hr + k];
        const rr = rs[hr + k];
        const n = ns[hr + k];
        const hp = t > 0 ? hs[hr - plan.B * H + k] : 0;
        const dn = gh * (1 - z) * (1 - n * n);
        const dz = gh * (hp - n) * z * (1 - z);
        const dr = dn * hns[hr + k] * rr * (1 - rr);
        buf[xr + k] = dz;
        buf[xr + H + k] = dr;
        buf[xr + 2 * H + k] = dn;
        buf[ur + k] = dz;
        buf[ur + H + k] = dr;
        buf[ur + 2 * H + k] = dn * rr;
        if (t > 0) gH[hr - plan.B * H + k] += gh * z; // the direct path h_t = ... + z h_{t-1}
      }
    }
  }
  for (let r = 0; r < nA; r++) reader.accumulate(plan.order[r], t, buf, dx + r * GH, gIn);
  if (t === 0) return; // h_{-1} = 0: no weight gradient, nothing earlier
  buf.set(hs.subarray(po, po + nA * H), w.hT);
  w.arena.gemm(H, GH, nA, w.hT, 1, pre, GH, w.dU, GH, H); // dU += h_{t-1}^T dPre (read transposed: lda 1, acs H)
  // dL/dh_{t-1} += dPre U^T, accumulated onto a copy of its rows (memcpy both ways beats an add loop)
  buf.set(gH.subarray(po, po + nA * H), w.gPrev);
  buf.fill(0, w.gPrev + nA * H, w.gPrev + up4(nA) * H);
  w.arena.gemm(up4(nA), H, GH, pre, GH, w.Ut, H, w.gPrev, H);
  gH.set(buf.subarray(w.gPrev, w.gPrev + nA * H), po);
}

/** Step-by-step tfjs version of fusedRnn (the reference its gradients are tested against). */
export function rnnReference(X: tf.Tensor3D, U: tf.Tensor2D, cell: FusedCell): tf.Tensor3D {
  const [B] = X.shape;
  const H = U.shape[0];
  const steps = tf.unstack(X, 1);
  let h: tf.Tensor2D = tf.zeros([B, H]);
  const outs: tf.Tensor2D[] = [];
  for (const x of steps) {
    if (cell === 'rnn') h = tf.tanh(tf.add(x, tf.matMul(h, U))) as tf.Tensor2D;
    else {
      const hu = tf.matMul(h, U);
      const [xz, xr, xn] = tf.split(x, 3, 1);
      const [hz, hr, hn] = tf.split(hu, 3, 1);
      const z = tf.sigmoid(tf.add(xz, hz));
      const r = tf.sigmoid(tf.add(xr, hr));
      const nn = tf.tanh(tf.add(xn, tf.mul(r, hn)));
      h = tf.add(tf.mul(tf.sub(1, z), nn), tf.mul(z, h)) as tf.Tensor2D;
    }
    outs.push(h);
  }
  return tf.stack(outs, 1) as tf.Tensor3D;
}

/** Everything fusedCtLstm keeps per event (internal layout [T, B, H] each). */
class CtLstmTape {
  // the outputs: cell, target cell, decay rate, output gate
  readonly c: Float32Array;
  readonly cBar: Float32Array;
  readonly delta: Float32Array;
  readonly o: Float32Array;
  // gates, sigmoid of delta's pre-activation (softplus' derivative)
  readonly i: Float32Array;
  readonly f: Float32Array;
  readonly z: Float32Array;
  readonly iBar: Float32Array;
  readonly fBar: Float32Array;
  readonly dSig: Float32Array;
  // the state the event started from: decayed cell c(t), its decay factor, tanh c(t), h
  readonly cDec: Float32Array;
  readonly decay: Float32Array;
  readonly tanhC: Float32Array;
  readonly hIn: Float32Array;

  constructor(n: number) {
    const a = () => new Float32Array(n);
    [
      this.c,
      this.cBar,
      this.delta,
      this.o,
      this.i,
      this.f,
      this.z,
      this.iBar,
      this.fBar,
      this.dSig,
      this.cDec,
      this.decay,
      this.tanhC,
      this.hIn,
    ] = Array.from({ length: 14 }, a);
  }
}

/**
 * The continuous-time LSTM of the neural Hawkes process (Mei and Eisner 2017) over all
 * events. Inputs x_t [7H] from `inputs` (step-inputs.ts: the type embedding times W_x
 * plus bias, as table rows), gate order i, f, z, o, iBar, fBar, delta; Wh [H, 7H]; gaps
 * [B, T] (gaps[:, t] = t_t - t_{t-1}, no gradient). Before event t > 0 the previous cell
 * decays over the gap, c(t) = cBar_{t-1} + (c_{t-1} - cBar_{t-1}) exp(-delta_{t-1} gap_t),
 * h = o_{t-1} tanh(c(t)); then c_t = f c(t) + i z, cBar_t = fBar cBar_{t-1} + iBar z,
 * delta_t = softplus(pre). Returns [4, B, T, H]: c, cBar, delta, o of each event (what
 * the intensity after it needs), stacked on the leading axis so that unstacking is a
 * contiguous copy. lengths[b]: events of sequence b; zeros after them (default all T).
 */
export function fusedCtLstm(
  inputs: StepInputs,
  Wh: tf.Tensor2D,
  gaps: tf.Tensor2D,
  lengths?: ArrayLike<number>,
): tf.Tensor4D {
  const [B, T] = inputs.ids.shape;
  const H = Wh.shape[0];
  if (Wh.shape[1] !== 7 * H) throw new Error(`fusedCtLstm: Wh [${Wh.shape}] should be [H, 7H]`);
  const gp = gaps.dataSync() as Float32Array;
  const plan = stepPlan(B, T, lengths);
  const op = tf.customGrad(((...ins: tf.Tensor[]) => {
    const reader = new StepInputReader(inputs, 7 * H, 'fusedCtLstm');
    const ws = ins[stepInputTensors(inputs).length].dataSync() as Float32Array; // after the input tensors (customGrad appends `save`)
    const tape = new CtLstmTape(T * B * H);
    const fa = ctForwardArena(B, H, ws);
    for (let t = 0; t < T; t++) ctLstmForwardStep(tape, plan, t, H, reader, gp, fa);
    const out = new Float32Array(4 * B * T * H);
    [tape.c, tape.cBar, tape.delta, tape.o].forEach((a, q) =>
      copyRows(plan, H, a, 0, out, q * B * T * H, false),
    );
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      // the gradients w.r.t. each event's outputs; steps t + 1 add what flows back into t's state
      const grads = [0, 1, 2, 3].map((q) => toInternal(plan, H, g, q * B * T * H)) as CtGrads;
      const gIn = reader.grads();
      const ba = ctBackwardArena(B, H, ws);
      for (let t = T - 1; t >= 0; t--) ctLstmBackwardStep(tape, plan, t, H, grads, reader, gIn, gp, ba);
      return [
        ...reader.gradTensors(gIn, inputs),
        tf.tensor2d(ba.arena.buf.slice(ba.dW, ba.dW + 7 * H * H), [H, 7 * H]),
      ];
    };
    return { value: tf.tensor4d(out, [4, B, T, H]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(...stepInputTensors(inputs), Wh) as tf.Tensor4D;
}

/** dL/d(c, cBar, delta, o) per event, internal layout. */
type CtGrads = [Float32Array, Float32Array, Float32Array, Float32Array];

/**
 * fusedCtLstm's forward scratch in the arena (offsets in floats): Wh; the step's gate
 * pre-activations z (rows of 7H) and a copy of their tanh block zt; the decay kernel's
 * inputs (the previous events' delta, cBar, c, o; row offsets; gaps) and outputs (decay,
 * decayed cell, its tanh, and h, which is the recurrent product's left operand).
 */
interface CtForwardArena {
  arena: KernelArena;
  W: number;
  z: number;
  zt: number;
  state: [number, number, number, number];
  offs: number;
  gaps: number;
  decay: number;
  cDec: number;
  tanhC: number;
  h: number;
}

function ctForwardArena(B: number, H: number, ws: Float32Array): CtForwardArena {
  const B4 = up4(B);
  const sizes = {
    W: 7 * H * H,
    z: B4 * 7 * H,
    zt: B * H,
    state: 4 * B * H,
    offs: B,
    gaps: B,
    decay: B * H,
    cDec: B * H,
    tanhC: B * H,
    h: B4 * H,
  };
  const at: Record<string, number> = {};
  let end = 0;
  for (const [key, n] of Object.entries(sizes)) [at[key], end] = [end, end + n];
  const arena = zeroedArena(end);
  arena.buf.set(ws, at.W);
  for (let r = 0; r < B; r++) arena.ints[at.offs + r] = r * H; // row r's state: the previous event's row r
  const state: [number, number, number, number] = [0, 1, 2, 3].map((q) => at.state + q * B * H) as never;
  return {
    arena,
    W: at.W,
    z: at.z,
    zt: at.zt,
    state,
    offs: at.offs,
    gaps: at.gaps,
    decay: at.decay,
    cDec: at.cDec,
    tanhC: at.tanhC,
    h: at.h,
  };
}

/** One event of every running sequence: decay to the event, the recurrent product, the gates. */
function ctLstmForwardStep(
  s: CtLstmTape,
  plan: StepPlan,
  t: number,
  H: number,
  reader: StepInputReader,
  gp: Float32Array,
  w: CtForwardArena,
): void {
  const { B, T, order } = plan;
  const nA = plan.active[t];
  const H7 = 7 * H;
  const o = t * B * H;
  const p = o - B * H; // the same rows one event earlier (running at t implies running at t - 1)
  const { arena, z } = w;
  const buf = arena.buf;
  for (let r = 0; r < nA; r++) reader.read(order[r], t, buf, z + r * H7);
  if (t > 0) {
    const n = nA * H;
    [s.delta, s.cBar, s.c, s.o].forEach((a, q) => buf.set(a.subarray(p, p + n), w.state[q]));
    for (let r = 0; r < nA; r++) buf[w.gaps + r] = gp[order[r] * T + t];
    const [D, CB, C, O] = w.state;
    arena.decay(nA, H, w.offs, w.gaps, D, CB, C, O, w.decay, w.cDec, w.tanhC, w.h);
    s.decay.set(buf.subarray(w.decay, w.decay + n), o);
    s.cDec.set(buf.subarray(w.cDec, w.cDec + n), o);
    s.tanhC.set(buf.subarray(w.tanhC, w.tanhC + n), o);
    s.hIn.set(buf.subarray(w.h, w.h + n), o);
    arena.gemm(up4(nA), H7, H, w.h, H, w.W, H7, z, H7);
  }
  ctLstmGates(s, arena, w, nA, o, t > 0 ? p : -1, H);
}

/**
 * The gates, new cells and decay rates of the step's nA rows (tape rows from x0) from
 * their pre-activations in the arena; prev: the rows one event earlier (-1: none). The
 * tanh block goes through the vector tanh (from a copy), then every block through the
 * vector sigmoid, which also gives softplus' derivative sigmoid(pre) for delta's block.
 */
function ctLstmGates(
  s: CtLstmTape,
  arena: KernelArena,
  w: CtForwardArena,
  nA: number,
  x0: number,
  prev: number,
  H: number,
): void {
  const { c, cBar, delta, o, i, f, z, iBar, fBar, dSig, cDec } = s; // locals: V8 does not always hoist these loads
  const buf = arena.buf;
  const H7 = 7 * H;
  for (let r = 0; r < nA; r++) {
    const zr = w.z + r * H7;
    for (let k = 0; k < H; k++) {
      const pd = buf[zr + 6 * H + k];
      delta[x0 + r * H + k] = pd > 30 ? pd : Math.log1p(exp(pd)); // softplus, linear above 30 where float32 cannot tell
      buf[w.zt + r * H + k] = buf[zr + 2 * H + k];
    }
  }
  arena.tanh(w.zt, nA * H);
  arena.sigmoid(w.z, nA * H7);
  for (let r = 0; r < nA; r++) {
    const zr = w.z + r * H7;
    for (let k = 0; k < H; k++) {
      const x = x0 + r * H + k;
      const gi = buf[zr + k];
      const gf = buf[zr + H + k];
      const zz = buf[w.zt + r * H + k];
      const ib = buf[zr + 4 * H + k];
      const fb = buf[zr + 5 * H + k];
      c[x] = prev >= 0 ? gf * cDec[x] + gi * zz : gi * zz; // c(t) = 0 before the first event
      cBar[x] = (prev >= 0 ? fb * cBar[prev + r * H + k] : 0) + ib * zz;
      o[x] = buf[zr + 3 * H + k];
      dSig[x] = buf[zr + 6 * H + k];
      i[x] = gi;
      f[x] = gf;
      z[x] = zz;
      iBar[x] = ib;
      fBar[x] = fb;
    }
  }
}

/** fusedCtLstm's backward products in the arena: Wh^T, the gate gradients dz, h transposed, dz Wh^T, the accumulated dWh. */
interface CtBackwardArena {
  arena: KernelArena;
  Wt: number;
  dz: number;
  hT: number; // the h rows that the weight gradient reads transposed
  dh: number;
  dW: number;
}

function ctBackwardArena(B: number, H: number, ws: Float32Array): CtBackwardArena {
  const Wt = 0;
  const dz = 7 * H * H;
  const hT = dz + up4(B) * 7 * H;
  const dh = hT + H * B;
  const dW = dh + up4(B) * H;
  const arena = zeroedArena(dW + 7 * H * H);
  transposeInto(ws, 0, H, 7 * H, arena.buf, Wt);
  return { arena, Wt, dz, hT, dh, dW };
}

/** Backward through one event of every running sequence; adds into the state gradients of t - 1. */
function ctLstmBackwardStep(
  s: CtLstmTape,
  plan: StepPlan,
  t: number,
  H: number,
  grads: CtGrads,
  reader: StepInputReader,
  gIn: StepInputGrads,
  gp: Float32Array,
  w: CtBackwardArena,
): void {
  const nA = plan.active[t];
  const H7 = 7 * H;
  const o = t * plan.B * H;
  const buf = w.arena.buf;
  for (let r = 0; r < nA; r++) {
    ctGateGradients(s, grads, buf, w.dz + r * H7, o + r * H, t > 0 ? o + (r - plan.B) * H : -1, H);
    reader.accumulate(plan.order[r], t, buf, w.dz + r * H7, gIn);
  }
  if (t === 0) return; // h = 0 and c(t) = 0 before the first event
  buf.set(s.hIn.subarray(o, o + nA * H), w.hT);
  w.arena.gemm(H, H7, nA, w.hT, 1, w.dz, H7, w.dW, H7, H); // dW += h^T dz (read transposed: lda 1, acs H)
  buf.fill(0, w.dh, w.dh + up4(nA) * H);
  w.arena.gemm(up4(nA), H, H7, w.dz, H7, w.Wt, H, w.dh, H); // dh = dz W^T
  for (let r = 0; r < nA; r++)
    ctDecayGradients(
      s,
      grads,
      buf,
      w.dh + r * H,
      o + r * H,
      o + (r - plan.B) * H,
      gp[plan.order[r] * plan.T + t],
      H,
    );
}

/**
 * dL/d(gate pre-activations) of one row (tape offset x0) into buf at zr (7H), from the
 * row's complete state gradients; adds cBar's path into the row one event earlier
 * (prev, -1: none).
 */
function ctGateGradients(
  s: CtLstmTape,
  grads: CtGrads,
  buf: Float32Array,
  zr: number,
  x0: number,
  prev: number,
  H: number,
): void {
  const [gC, gCb, gD, gO] = grads;
  const { i: gi, f: gf, z: gz, iBar, fBar, o: go, dSig, cBar, cDec } = s; // locals: V8 does not hoist these loads
  for (let k = 0; k < H; k++) {
    const x = x0 + k;
    const Gc = gC[x];
    const Gcb = gCb[x];
    const i = gi[x];
    const f = gf[x];
    const zz = gz[x];
    const ib = iBar[x];
    const fb = fBar[x];
    const oo = go[x];
    const cbPrev = prev >= 0 ? cBar[prev + k] : 0;
    buf[zr + k] = Gc * zz * i * (1 - i);
    buf[zr + H + k] = prev >= 0 ? Gc * cDec[x] * f * (1 - f) : 0; // c(t) = 0 before the first event
    buf[zr + 2 * H + k] = (Gc * i + Gcb * ib) * (1 - zz * zz);
    buf[zr + 3 * H + k] = gO[x] * oo * (1 - oo);
    buf[zr + 4 * H + k] = Gcb * zz * ib * (1 - ib);
    buf[zr + 5 * H + k] = Gcb * cbPrev * fb * (1 - fb);
    buf[zr + 6 * H + k] = gD[x] * dSig[x];
    if (prev >= 0) gCb[prev + k] += Gcb * fb; // cBar_t = fBar cBar_{t-1} + ...
  }
}

/** Through the decay before one row's event (tape offset x0, dL/dh at buf[dh..]) into the state gradients of the row one event earlier (y0). */
function ctDecayGradients(
  s: CtLstmTape,
  grads: CtGrads,
  buf: Float32Array,
  dh: number,
  x0: number,
  y0: number,
  gap: number,
  H: number,
): void {
  const [gC, gCb, gD, gO] = grads;
  const { tanhC, decay, f, o, c, cBar } = s; // locals: V8 does not hoist these loads
  for (let k = 0; k < H; k++) {
    const x = x0 + k;
    const y = y0 + k;
    const g = buf[dh + k];
    const th = tanhC[x];
    const e = decay[x];
    gO[y] += g * th; // h = o_{t-1} tanh(c(t))
    const dcd = gC[x] * f[x] + g * o[y] * (1 - th * th);
    gC[y] += dcd * e;
    gCb[y] += dcd * (1 - e);
    gD[y] -= dcd * (c[y] - cBar[y]) * e * gap;
  }
}

/** Step-by-step tfjs version of fusedCtLstm with inputs X [B, T, 7H] (the reference its gradients are tested against). */
export function ctLstmReference(X: tf.Tensor3D, Wh: tf.Tensor2D, gaps: tf.Tensor2D): tf.Tensor4D {
  const [B, T] = gaps.shape;
  const H = Wh.shape[0];
  const gs = tf.unstack(tf.expandDims(gaps, -1), 1) as tf.Tensor2D[];
  const xs = tf.unstack(X, 1) as tf.Tensor2D[];
  let h: tf.Tensor2D = tf.zeros([B, H]);
  let cDecayed: tf.Tensor2D = tf.zeros([B, H]);
  let cBar: tf.Tensor2D = tf.zeros([B, H]);
  const outs: tf.Tensor2D[] = [];
  let prev: tf.Tensor2D[] | null = null;
  for (let t = 0; t < T; t++) {
    if (prev) {
      const [c, cb, delta, o] = prev;
      cDecayed = tf.add(cb, tf.mul(tf.sub(c, cb), tf.exp(tf.mul(tf.neg(delta), gs[t])))) as tf.Tensor2D;
      h = tf.mul(o, tf.tanh(cDecayed)) as tf.Tensor2D;
    }
    const z = tf.add(xs[t], tf.matMul(h, Wh));
    const [gi, gf, gz, go, giBar, gfBar, gd] = tf.split(z, 7, 1);
    const zz = tf.tanh(gz);
    const c = tf.add(tf.mul(tf.sigmoid(gf), cDecayed), tf.mul(tf.sigmoid(gi), zz)) as tf.Tensor2D;
    cBar = tf.add(tf.mul(tf.sigmoid(gfBar), cBar), tf.mul(tf.sigmoid(giBar), zz)) as tf.Tensor2D;
    prev = [c, cBar, tf.softplus(gd) as tf.Tensor2D, tf.sigmoid(go) as tf.Tensor2D];
    outs.push(tf.stack(prev, 0) as tf.Tensor2D);
  }
  return tf.stack(outs, 2) as tf.Tensor4D;
}
