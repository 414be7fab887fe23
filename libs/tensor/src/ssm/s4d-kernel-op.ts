import * as tf from '@tensorflow/tfjs';
import { borrowFloats } from '../kernels/borrowed-floats';
import type { S4DWeights } from './s4d-params';

/**
 * Steps between exact powers: dA^l is carried by repeated complex multiplication and reset to
 * exp(l dt A) computed directly at every block start, so rounding grows over at most this many
 * products (~1e-14 in float64) whatever L is.
 */
const BLOCK = 64;

/**
 * The S4D kernel K[h, l] = 2 Re(sum_n C dB dA^l) (s4d-kernel.ts's s4dKernelOps is the same
 * number from tf ops) as one differentiable op. Written with tf ops the kernel materialises
 * exp, cos and sin over [H, M, L] and as many tensors again for their gradients: ~75% of an
 * LS4 step. Here each (channel, mode) is a float64 loop over l with dA^l by repeated
 * multiplication, and the backward pass is closed form (g = dL/dRe + i dL/dIm; for a real loss
 * Re F(z) with F holomorphic, g z = conj(F'(z))). With cb = C B q, q = (dA - 1) / A:
 *
 *   sum_l dK_l K_l = Re F,  F = 2 C B q S0,  S0 = sum_l dK_l dA^l,  S1 = sum_l dK_l l dA^l
 *   dF/dC = 2 B q S0,  dF/dB = 2 C q S0
 *   dF/dA = 2 C B (q_A S0 + q dt S1),   q_A = (dt dA - q) / A   (d dA/dA = dt dA)
 *   dF/ddt = 2 C B (dA S0 + q A S1),    q_dt = dA              (d dA/ddt = A dA)
 *
 * then logAReal by d Re A / d logAReal = Re A and logDt by d dt / d logDt = dt. One pass of
 * O(H M L) each way, O(L) scratch.
 */
export function s4dKernelFused(w: S4DWeights, L: number): tf.Tensor2D {
  const [H, M] = w.cRe.shape;
  const op = tf.customGrad((...args: unknown[]) => {
    const inputs = args.slice(0, 7) as tf.Tensor[];
    const save = args[7] as tf.GradSaveFunc;
    save(inputs);
    const out = new Float32Array(H * L);
    kernelForward(inputs.map(borrowFloats), H, M, L, out);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = borrowFloats(Array.isArray(dy) ? dy[0] : dy);
      const grads = kernelBackward(saved.map(borrowFloats), g, H, M, L);
      return grads.map((values, i) => tf.tensor(values, saved[i].shape));
    };
    return { value: tf.tensor2d(out, [H, L]), gradFunc };
  });
  return op(w.logAReal, w.aImag, w.bRe, w.bIm, w.cRe, w.cIm, w.logDt) as tf.Tensor2D;
}

/**
 * One mode's discretisation: o = [dA re, dA im, q re, q im], q = (dA - 1) / A. dA - 1 is
 * expm1(x) cos(y) - 2 sin^2(y / 2) + i exp(x) sin(y) (x + iy = dt A): no cancellation at small
 * dt |A|, as zeroOrderHold does in float32.
 */
function zoh(ar: number, ai: number, dt: number, o: Float64Array): void {
  const x = dt * ar;
  const y = dt * ai;
  const mag = Math.exp(x);
  const c = Math.cos(y);
  const s = Math.sin(y);
  const hs = Math.sin(0.5 * y);
  const nr = Math.expm1(x) * c - 2 * hs * hs;
  const ni = mag * s;
  const den = ar * ar + ai * ai;
  o[0] = mag * c;
  o[1] = ni;
  o[2] = (nr * ar + ni * ai) / den;
  o[3] = (ni * ar - nr * ai) / den;
}

function kernelForward(v: Float32Array[], H: number, M: number, L: number, out: Float32Array): void {
  const [lar, aim, bre, bim, cre, cim, ldt] = v;
  const k = new Float64Array(L);
  const z = new Float64Array(4);
  for (let h = 0; h < H; h++) {
    const dt = Math.exp(ldt[h]);
    k.fill(0);
    for (let n = 0; n < M; n++) {
      const p = h * M + n;
      const ar = -Math.exp(lar[p]);
      const ai = aim[p];
      zoh(ar, ai, dt, z);
      const dar = z[0];
      const dai = z[1];
      // 2 C B q, the factor 2 for the conjugate mode
      const cbr = cre[p] * bre[p] - cim[p] * bim[p];
      const cbi = cre[p] * bim[p] + cim[p] * bre[p];
      const wr = 2 * (cbr * z[2] - cbi * z[3]);
      const wi = 2 * (cbr * z[3] + cbi * z[2]);
      let pr = 1;
      let pi = 0;
      for (let l = 0; l < L; l++) {
        if (l % BLOCK === 0 && l > 0) {
          const mag = Math.exp(l * dt * ar);
          pr = mag * Math.cos(l * dt * ai);
          pi = mag * Math.sin(l * dt * ai);
        }
        k[l] += wr * pr - wi * pi;
        const nr = pr * dar - pi * dai;
        pi = pr * dai + pi * dar;
        pr = nr;
      }
    }
    for (let l = 0; l < L; l++) out[h * L + l] = k[l];
  }
}

function kernelBackward(v: Float32Array[], g: Float32Array, H: number, M: number, L: number): Float32Array[] {
  const [lar, aim, bre, bim, cre, cim, ldt] = v;
  const gLar = new Float32Array(H * M);
  const gAim = new Float32Array(H * M);
  const gBr = new Float32Array(H * M);
  const gBi = new Float32Array(H * M);
  const gCr = new Float32Array(H * M);
  const gCi = new Float32Array(H * M);
  const gLdt = new Float32Array(H);
  const z = new Float64Array(4);
  for (let h = 0; h < H; h++) {
    const dt = Math.exp(ldt[h]);
    const go = h * L;
    let gdt = 0;
    for (let n = 0; n < M; n++) {
      const p = h * M + n;
      const ar = -Math.exp(lar[p]);
      const ai = aim[p];
      zoh(ar, ai, dt, z);
      const [dar, dai, qr, qi] = z;
      // S0 = sum dK_l dA^l, S1 = sum dK_l l dA^l
      let s0r = 0;
      let s0i = 0;
      let s1r = 0;
      let s1i = 0;
      let pr = 1;
      let pi = 0;
      for (let l = 0; l < L; l++) {
        if (l % BLOCK === 0 && l > 0) {
          const mag = Math.exp(l * dt * ar);
          pr = mag * Math.cos(l * dt * ai);
          pi = mag * Math.sin(l * dt * ai);
        }
        const gl = g[go + l];
        s0r += gl * pr;
        s0i += gl * pi;
        s1r += gl * l * pr;
        s1i += gl * l * pi;
        const nr = pr * dar - pi * dai;
        pi = pr * dai + pi * dar;
        pr = nr;
      }
      const br = bre[p];
      const bi = bim[p];
      const cr = cre[p];
      const ci = cim[p];
      // t = 2 q S0: dF/dC = B t, dF/dB = C t; g = conj(dF/dz) -> (Re, -Im) as (g re, g im)
      const tr = 2 * (qr * s0r - qi * s0i);
      const ti = 2 * (qr * s0i + qi * s0r);
      gCr[p] = br * tr - bi * ti;
      gCi[p] = -(br * ti + bi * tr);
      gBr[p] = cr * tr - ci * ti;
      gBi[p] = -(cr * ti + ci * tr);
      // P = 2 C B
      const Pr = 2 * (cr * br - ci * bi);
      const Pi = 2 * (cr * bi + ci * br);
      // q_A = (dt dA - q) / A
      const den = ar * ar + ai * ai;
      const nr = dt * dar - qr;
      const ni = dt * dai - qi;
      const qar = (nr * ar + ni * ai) / den;
      const qai = (ni * ar - nr * ai) / den;
      // dF/dA / P = q_A S0 + dt q S1
      const ur = qar * s0r - qai * s0i + dt * (qr * s1r - qi * s1i);
      const ui = qar * s0i + qai * s0r + dt * (qr * s1i + qi * s1r);
      const fAr = Pr * ur - Pi * ui;
      const fAi = Pr * ui + Pi * ur;
      gLar[p] = fAr * ar; // d Re A / d logAReal = Re A
      gAim[p] = -fAi;
      // dF/ddt / P = dA S0 + q A S1 (real dt: its gradient is Re)
      const qAr = qr * ar - qi * ai;
      const qAi = qr * ai + qi * ar;
      const er = dar * s0r - dai * s0i + qAr * s1r - qAi * s1i;
      const ei = dar * s0i + dai * s0r + qAr * s1i + qAi * s1r;
      gdt += Pr * er - Pi * ei;
    }
    gLdt[h] = gdt * dt;
  }
  return [gLar, gAim, gBr, gBi, gCr, gCi, gLdt];
}
