import { availableParallelism } from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { NativeKernels, nativeKernels, nativeKernelsBuilt, nativeKernelsStatus } from './native-kernels';

/*
 * The native kernels' thread pool (native/src/thread-pool.h): a call split over 1, 2, 3 or
 * 4 threads gives the same floats bit for bit (independent outputs cut anywhere, reductions
 * over chunks fixed by the shapes alone, added in ascending order), and the results are
 * still right: checked against float64 sums written out here (gemm, the FFTs, the causal
 * convolution and its gradients, attention, a layer norm's gradients). The sizes are large
 * enough that every kernel below really splits its work at 2 threads and more.
 */
const built = nativeKernelsBuilt() && nativeKernels() !== null;
if (!built) console.warn(`native thread pool not tested: ${nativeKernelsStatus()}`);
const maybe = built ? describe : describe.skip;

const COUNTS = [1, 2, 3, 4];

let seed = 11;
function random(n: number, scale = 1, positive = false): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const u = seed / 2147483648 - 0.5;
    out[i] = positive ? 0.05 + Math.abs(u) * scale : u * scale;
  }
  return out;
}

type Floats = Float32Array | Float64Array;

/** The outputs of run() for every thread count, each expected equal (bit for bit) to the 1-thread ones. */
function acrossThreads(nk: NativeKernels, run: () => Floats[]): Floats[] {
  const before = nk.threads();
  try {
    nk.setThreads(1);
    const one = run();
    for (const n of COUNTS.slice(1)) {
      nk.setThreads(n);
      const got = run();
      got.forEach((out, i) => {
        // Buffer comparison: bit for bit (a NaN or -0 would count too), and a short failure message
        const same = Buffer.from(out.buffer, out.byteOffset, out.byteLength).equals(
          Buffer.from(one[i].buffer, one[i].byteOffset, one[i].byteLength),
        );
        expect([`threads ${n}, output ${i}`, same]).toEqual([`threads ${n}, output ${i}`, true]);
      });
    }
    return one;
  } finally {
    nk.setThreads(before);
  }
}

/** Largest |got - want| relative to the largest |want| (float32 results against float64 sums). */
function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 1e-30;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return err / scale;
}

maybe('native kernels: thread pool', () => {
  const nk = nativeKernels()!;
  const configured = nk.threads();
  afterAll(() => nk.setThreads(configured));

  it('setThreads: 0 is every CPU this process may use, n is n; anything else a RangeError naming n', () => {
    nk.setThreads(3);
    expect(nk.threads()).toBe(3);
    nk.setThreads(0);
    expect(nk.threads()).toBe(availableParallelism());
    const rangeError = (v: unknown) => {
      try {
        nk.setThreads(v as number);
      } catch (err) {
        return `${(err as Error).name}: ${(err as Error).message}`;
      }
      return 'no error';
    };
    expect(rangeError(-1)).toMatch(/^RangeError: setThreads: n must be an integer in 0 \.\. 1024 .*got -1/);
    expect(rangeError(1.5)).toMatch(/^RangeError: setThreads: n must be an integer/);
    expect(rangeError(NaN)).toMatch(/^RangeError: setThreads: n must be an integer.*got NaN/);
    expect(rangeError(1025)).toMatch(/^RangeError: setThreads: n must be an integer/);
    expect(rangeError('2')).toBe('TypeError: setThreads: n must be a number');
    // a refused count changes nothing
    expect(nk.threads()).toBe(availableParallelism());
  });

  it('gemm: row, column and k splits, k blocked past 256, identical on 1-4 threads and within float32 of float64 sums', () => {
    for (const [m, n, k, transposed] of [
      [301, 203, 300, false], // rows split, k blocked
      [9, 2001, 250, false], // columns split (more panels than row tiles)
      [257, 96, 64, true], // A read transposed
      [40, 50, 9001, true], // a weight gradient: k cut in fixed chunks, summed in ascending order
    ] as const) {
      const a = random(m * k);
      const b = random(k * n);
      const c0 = random(m * n);
      const lda = transposed ? 1 : k;
      const acs = transposed ? m : 1;
      const [c] = acrossThreads(nk, () => {
        const c = Float32Array.from(c0);
        nk.gemm(m, n, k, a, 0, lda, acs, b, 0, n, c, 0, n);
        return [c];
      });
      const want = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = c0[i * n + j];
          for (let p = 0; p < k; p++) s += a[i * lda + p * acs] * b[p * n + j];
          want[i * n + j] = s;
        }
      expect(relError(c, want)).toBeLessThan(1e-5);
    }
  });

  it('rfftRows, irfftRows, fftRows: identical on 1-4 threads; rfft against a direct DFT', () => {
    const rows = 1000; // not a whole number of lane groups on any build
    const n = 360; // radices 4, 2, 3, 3, 5
    const x = random(rows * n);
    const bins = n / 2 + 1;
    const [re, im, back, cre, cim] = acrossThreads(nk, () => {
      const re = new Float32Array(rows * bins);
      const im = new Float32Array(rows * bins);
      nk.rfftRows(x, rows, n, n, re, im);
      const back = new Float32Array(rows * n);
      nk.irfftRows(re, im, rows, n, back);
      const cre = new Float32Array(rows * n);
      const cim = new Float32Array(rows * n);
      nk.fftRows(x, back, rows, n, false, cre, cim);
      return [re, im, back, cre, cim];
    });
    for (const r of [0, 1, 517, rows - 1]) {
      const wantRe = new Float64Array(bins);
      const wantIm = new Float64Array(bins);
      for (let k = 0; k < bins; k++)
        for (let t = 0; t < n; t++) {
          const a = (-2 * Math.PI * ((k * t) % n)) / n;
          wantRe[k] += x[r * n + t] * Math.cos(a);
          wantIm[k] += x[r * n + t] * Math.sin(a);
        }
      expect(relError(re.subarray(r * bins, (r + 1) * bins), wantRe)).toBeLessThan(1e-5);
      expect(relError(im.subarray(r * bins, (r + 1) * bins), wantIm)).toBeLessThan(1e-5);
      // the inverse gives the row back; the complex transform of (x, x) has DFT(x) (1 + i) parts
      expect(relError(back.subarray(r * n, (r + 1) * n), x.subarray(r * n, (r + 1) * n))).toBeLessThan(1e-5);
      expect(
        relError(
          cre.subarray(r * n, r * n + bins),
          wantRe.map((v, k) => v - wantIm[k]),
        ),
      ).toBeLessThan(1e-5);
      expect(
        relError(
          cim.subarray(r * n, r * n + bins),
          wantIm.map((v, k) => v + wantRe[k]),
        ),
      ).toBeLessThan(1e-5);
    }
    expect(cim.length).toBe(rows * n);
  });

  it('fftConvForward / fftConvBackward: identical on 1-4 threads for every cut of dk, against direct convolution', () => {
    const L = 150;
    const n = 300; // >= L + K - 1, 2^2 3 5^2
    // kRows 64: a whole number of lane groups (tasks by kernels and batch blocks); 3 and 1: not (runs of groups)
    for (const [rows, kRows, K] of [
      [1024, 64, 150],
      [999, 3, 40],
      [500, 1, 150],
    ] as const) {
      const u = random(rows * L);
      const k = random(kRows * K);
      const dy = random(rows * L);
      const [y, du, dk] = acrossThreads(nk, () => {
        const y = new Float32Array(rows * L);
        const du = new Float32Array(rows * L);
        const dk = new Float32Array(kRows * K);
        nk.fftConvForward(u, k, rows, L, kRows, K, n, y);
        nk.fftConvBackward(dy, u, k, rows, L, kRows, K, n, du, dk);
        return [y, du, dk];
      });
      const wantY = new Float64Array(rows * L);
      const wantDu = new Float64Array(rows * L);
      const wantDk = new Float64Array(kRows * K);
      for (let r = 0; r < rows; r++) {
        const c = r % kRows;
        for (let t = 0; t < L; t++)
          for (let s = 0; s <= Math.min(t, K - 1); s++) {
            // y[t] = sum_s k[s] u[t - s]: its gradients are dy's correlations with k and with u
            const kv = k[c * K + s];
            wantY[r * L + t] += kv * u[r * L + t - s];
            wantDu[r * L + t - s] += kv * dy[r * L + t];
            wantDk[c * K + s] += dy[r * L + t] * u[r * L + t - s];
          }
      }
      expect(relError(y, wantY)).toBeLessThan(2e-5);
      expect(relError(du, wantDu)).toBeLessThan(2e-5);
      expect(relError(dk, wantDk)).toBeLessThan(2e-5);
    }
  });

  it('attention forward and backward (split over batch rows): identical on 1-4 threads; forward against a float64 softmax', () => {
    const [B, T, d, heads] = [48, 40, 32, 2];
    const dh = d / heads;
    const q = random(B * T * d);
    const k = random(B * T * d);
    const v = random(B * T * d);
    const g = random(B * T * d);
    const limits = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const len = 1 + ((b * 7) % T); // padded rows see at most their last event
      for (let i = 0; i < T; i++) limits[b * T + i] = b % 5 === 4 && i === 0 ? -1 : Math.min(i, len - 1);
    }
    for (const nullKey of [false, true]) {
      const [out] = acrossThreads(nk, () => {
        const out = new Float32Array(B * T * d);
        nk.attentionForward(q, k, v, B, T, T, d, heads, limits, nullKey, out);
        const dq = new Float32Array(B * T * d);
        const dk = new Float32Array(B * T * d);
        const dv = new Float32Array(B * T * d);
        nk.attentionBackward(q, k, v, g, B, T, T, d, heads, limits, nullKey, dq, dk, dv);
        return [out, dq, dk, dv];
      });
      const want = new Float64Array(B * T * d);
      for (let b = 0; b < B; b++)
        for (let h = 0; h < heads; h++)
          for (let i = 0; i < T; i++) {
            const lim = limits[b * T + i];
            const scores: number[] = [];
            for (let j = 0; j <= lim; j++) {
              let s = 0;
              for (let e = 0; e < dh; e++)
                s += q[(b * T + i) * d + h * dh + e] * k[(b * T + j) * d + h * dh + e];
              scores.push(s / Math.sqrt(dh));
            }
            const top = Math.max(nullKey ? 0 : -Infinity, ...scores);
            const z = scores.reduce((acc, s) => acc + Math.exp(s - top), nullKey ? Math.exp(-top) : 0);
            scores.forEach((s, j) => {
              for (let e = 0; e < dh; e++)
                want[(b * T + i) * d + h * dh + e] +=
                  (Math.exp(s - top) / z) * v[(b * T + j) * d + h * dh + e];
            });
          }
      expect(relError(out, want)).toBeLessThan(1e-5);
    }
  });

  it('layer norm forward and backward (dgamma, dbeta summed per fixed block of rows): identical on 1-4 threads, against float64', () => {
    const [rows, d] = [3000, 32];
    const x = random(rows * d, 4);
    const g = random(d, 1, true);
    const b = random(d);
    const gy = random(rows * d);
    const [y, , inv, dx, dg, db] = acrossThreads(nk, () => {
      const y = new Float32Array(rows * d);
      const xhat = new Float32Array(rows * d);
      const inv = new Float64Array(rows);
      nk.layerNormForward(x, g, b, d, 1e-5, y, xhat, inv);
      const dx = new Float32Array(rows * d);
      const dg = new Float64Array(d);
      const db = new Float64Array(d);
      nk.layerNormBackward(gy, g, xhat, inv, d, dx, dg, db);
      return [y, xhat, inv, dx, dg, db];
    });
    const wantY = new Float64Array(rows * d);
    const wantDg = new Float64Array(d);
    const wantDb = new Float64Array(d);
    for (let r = 0; r < rows; r++) {
      let mean = 0;
      for (let i = 0; i < d; i++) mean += x[r * d + i] / d;
      let variance = 0;
      for (let i = 0; i < d; i++) variance += (x[r * d + i] - mean) ** 2 / d;
      const s = 1 / Math.sqrt(variance + 1e-5);
      expect(Math.abs(inv[r] - s) / s).toBeLessThan(1e-5);
      for (let i = 0; i < d; i++) {
        const h = (x[r * d + i] - mean) * s;
        wantY[r * d + i] = h * g[i] + b[i];
        wantDg[i] += gy[r * d + i] * h;
        wantDb[i] += gy[r * d + i];
      }
    }
    expect(relError(y, wantY)).toBeLessThan(1e-5);
    expect(relError(dg, wantDg)).toBeLessThan(1e-5);
    expect(relError(db, wantDb)).toBeLessThan(1e-5);
    expect(dx.every(Number.isFinite)).toBe(true);
  });

  it('S4D channel ops (LayerNorm over channels, biased GLU, channel map, D skip, row factors): identical on 1-4 threads, against float64', () => {
    const [B, H, L, O] = [203, 16, 10, 32];
    const x = random(B * H * L, 4);
    const g = random(H, 1, true);
    const beta = random(H);
    const gy = random(B * H * L);
    const y2 = random(B * 2 * H * L, 4);
    const bias2 = random(2 * H);
    const scale = random(B * H, 2, true);
    const w = random(O * H);
    const bo = random(O);
    const gm = random(B * O * L);
    const [yn, , , , dgamma, , out, , , , dbias, mix, , dw, , skip, , dD, scaled] = acrossThreads(nk, () => {
      const [yn, xhat, dx] = [0, 0, 0].map(() => new Float32Array(B * H * L));
      const rstd = new Float64Array(B * L);
      const [dgamma, dbeta] = [new Float64Array(H), new Float64Array(H)];
      nk.channelNormForward(x, g, beta, B, H, L, 1e-5, yn, xhat, rstd);
      nk.channelNormBackward(gy, g, xhat, rstd, B, H, L, dx, dgamma, dbeta);
      const [lin, sig, out] = [0, 0, 0].map(() => new Float32Array(B * H * L));
      nk.gluForward(y2, bias2, scale, x, B, H, L, lin, sig, out);
      const dy = new Float32Array(B * 2 * H * L);
      const dbias = new Float64Array(2 * H);
      nk.gluBackward(gy, lin, sig, scale, B, H, L, dy, dbias);
      const mix = new Float32Array(B * O * L);
      nk.channelMixForward(x, w, bo, B, H, L, O, mix);
      const [dz, dw, db] = [new Float32Array(B * H * L), new Float32Array(O * H), new Float64Array(O)];
      nk.channelMixBackward(gm, x, w, B, H, L, O, dz, dw, db);
      const skip = new Float32Array(B * H * L);
      nk.channelSkipForward(y2.subarray(0, B * H * L), x, g, B, H, L, skip);
      const [du, dD] = [new Float32Array(B * H * L), new Float64Array(H)];
      nk.channelSkipBackward(gy, x, g, B, H, L, du, dD);
      const scaled = Float32Array.from(x);
      nk.scaleRows(scaled, gy, scale, B * H, L);
      return [
        yn,
        dx,
        rstd,
        xhat,
        dgamma,
        dy,
        out,
        lin,
        sig,
        dbeta,
        dbias,
        mix,
        dz,
        dw,
        db,
        skip,
        du,
        dD,
        scaled,
      ];
    });
    const wantY = new Float64Array(B * H * L);
    const wantDgamma = new Float64Array(H);
    const wantOut = new Float64Array(B * H * L);
    const wantDbias = new Float64Array(2 * H);
    const wantMix = new Float64Array(B * O * L);
    const wantDw = new Float64Array(O * H);
    const wantDD = new Float64Array(H);
    for (let b = 0; b < B; b++)
      for (let l = 0; l < L; l++) {
        const at = (h: number) => (b * H + h) * L + l;
        let mean = 0;
        for (let h = 0; h < H; h++) mean += x[at(h)] / H;
        let variance = 0;
        for (let h = 0; h < H; h++) variance += (x[at(h)] - mean) ** 2 / H;
        for (let h = 0; h < H; h++) {
          const xh = (x[at(h)] - mean) / Math.sqrt(variance + 1e-5);
          wantY[at(h)] = xh * g[h] + beta[h];
          wantDgamma[h] += gy[at(h)] * xh;
          const a = y2[(b * 2 * H + h) * L + l] + bias2[h];
          const s = 1 / (1 + Math.exp(-(y2[(b * 2 * H + H + h) * L + l] + bias2[H + h])));
          const c = scale[b * H + h];
          wantOut[at(h)] = x[at(h)] + c * a * s;
          wantDD[h] += gy[at(h)] * x[at(h)];
          expect(skip[at(h)]).toBeCloseTo(y2[at(h)] + g[h] * x[at(h)], 5);
          expect(scaled[at(h)]).toBeCloseTo(x[at(h)] * gy[at(h)] * c, 5);
          wantDbias[h] += c * gy[at(h)] * s;
          wantDbias[H + h] += c * gy[at(h)] * a * s * (1 - s);
        }
        for (let o = 0; o < O; o++) {
          let sum = bo[o];
          for (let h = 0; h < H; h++) {
            sum += w[o * H + h] * x[at(h)];
            wantDw[o * H + h] += gm[(b * O + o) * L + l] * x[at(h)];
          }
          wantMix[(b * O + o) * L + l] = sum;
        }
      }
    expect(relError(yn, wantY)).toBeLessThan(1e-5);
    expect(relError(dgamma, wantDgamma)).toBeLessThan(1e-5);
    expect(relError(out, wantOut)).toBeLessThan(1e-5);
    expect(relError(dbias, wantDbias)).toBeLessThan(1e-5);
    expect(relError(mix, wantMix)).toBeLessThan(1e-5);
    expect(relError(dw, wantDw)).toBeLessThan(1e-5);
    expect(relError(dD, wantDD)).toBeLessThan(1e-5);
  });

  it('GELU (tanh form, both directions; exact form with its derivative), split by whole registers: identical on 1-4 threads', () => {
    const n = 300001; // a ragged last register
    const x = random(n, 8);
    const gy = random(n);
    acrossThreads(nk, () => {
      const [y, th, dx, ye, der] = [0, 0, 0, 0, 0].map(() => new Float32Array(n));
      nk.geluForward(x, y, th);
      nk.geluBackward(x, th, gy, dx);
      nk.geluErf(x, ye, der);
      return [y, th, dx, ye, der];
    });
  });

  it("the encoder layer, the SAHP and THP likelihood terms and IntensityFree's: identical on 1-4 threads", () => {
    const [B, T, d, F, heads, K, G] = [64, 50, 32, 64, 2, 3, 20];
    const N = B * T;
    const limits = new Int32Array(B * T);
    for (let b = 0; b < B; b++) for (let i = 0; i < T; i++) limits[b * T + i] = Math.min(i, 10 + (b % 40));
    const x = random(N * d);
    const w = random(4 * d * d + 2 * d * F + 4 * d + F + 5 * d, 0.3);
    const gy = random(N * d);
    acrossThreads(nk, () => {
      const y = new Float32Array(N * d);
      const saved = new Float32Array(7 * N * d + 3 * N * F);
      const invs = new Float64Array(2 * N);
      nk.encoderForward(x, w, B, T, d, F, heads, limits, true, y, saved, invs);
      const dx = new Float32Array(N * d);
      const dw = new Float32Array(w.length);
      nk.encoderBackward(gy, x, w, B, T, d, F, heads, limits, true, saved, invs, dx, dw);
      return [y, saved, invs, dx, dw];
    });

    const BP = 1000;
    const gaps = random(BP, 2, true);
    const types = Int32Array.from({ length: BP }, (_, p) => (p % 7 === 6 ? K : p % K)); // K: padding
    const u = random(BP * G, 1, true);
    const g2 = random(2 * BP);
    const [mu, eta, gamma] = [random(BP * d), random(BP * d), random(BP * d, 1, true)];
    const W = random(d * K, 0.3);
    const bias = random(K, 0.3);
    acrossThreads(nk, () => {
      const out = new Float32Array(2 * BP);
      const pre = new Float32Array(BP * (G + 1) * K);
      const lambda = new Float32Array(BP * (G + 1) * K);
      nk.sahpTermsForward(mu, eta, gamma, gaps, types, u, W, bias, out, pre, lambda);
      const grads = [BP * d, BP * d, BP * d, d * K, K].map((size) => new Float32Array(size));
      const [dmu, deta, dgamma, dW, db] = grads;
      nk.sahpTermsBackward(g2, mu, eta, gamma, gaps, types, u, W, pre, lambda, dmu, deta, dgamma, dW, db);
      return [out, pre, lambda, ...grads];
    });

    const base = random(BP * K);
    const denom = random(BP, 2, true);
    const alpha = random(K);
    const logBeta = random(K, 0.5);
    acrossThreads(nk, () => {
      const out = new Float32Array(2 * BP);
      const pre = new Float32Array(BP * (G + 1) * K);
      const lambda = new Float32Array(BP * (G + 1) * K);
      nk.thpTermsForward(base, denom, gaps, types, u, alpha, logBeta, out, pre, lambda);
      const grads = [BP * K, BP, K, K].map((size) => new Float32Array(size));
      const [dBase, dDenom, dAlpha, dLogBeta] = grads;
      nk.thpTermsBackward(
        g2,
        denom,
        gaps,
        types,
        u,
        alpha,
        logBeta,
        pre,
        lambda,
        dBase,
        dDenom,
        dAlpha,
        dLogBeta,
      );
      return [out, pre, lambda, ...grads];
    });

    // IntensityFree's exact terms: scored positions (not padding) keep rows of store by rank
    for (const [J, M] of [
      [1, 16],
      [K, 8],
    ]) {
      const raw = random(BP * J * 3 * M);
      const logits = random(BP * K);
      const scored = types.filter((t) => t < K).length;
      acrossThreads(nk, () => {
        const out = new Float32Array(2 * BP);
        const store = new Float32Array(scored * (6 * J * M + K + J));
        nk.ifForward(raw, logits, gaps, types, J, M, 0.1, 1.3, out, store);
        return [out, store];
      });
    }
  });

  it('two JS threads calling at once: one has the pool, the other runs alone, and both get the same floats', async () => {
    // the worker calls fftConvForward over and over while this thread does too; every
    // result must equal the one computed here before either started
    const [rows, L, kRows, K, n] = [1024, 150, 64, 150, 300];
    const shared = (values: Float32Array) => {
      const out = new Float32Array(new SharedArrayBuffer(values.byteLength));
      out.set(values);
      return out;
    };
    const u = shared(random(rows * L));
    const k = shared(random(kRows * K));
    const want = shared(new Float32Array(rows * L));
    nk.fftConvForward(u, k, rows, L, kRows, K, n, want);
    const flags = new Int32Array(new SharedArrayBuffer(8)); // [worker started, worker done]
    const addon = path.join(
      __dirname,
      '..',
      '..',
      '..',
      '..',
      'native',
      'build',
      'Release',
      'seqcast_kernels.node',
    );
    const worker = new Worker(
      `const { workerData: w, parentPort } = require('worker_threads');
       const nk = require(w.addon);
       const y = new Float32Array(w.want.length);
       let same = 0;
       Atomics.store(w.flags, 0, 1);
       Atomics.notify(w.flags, 0);
       for (let i = 0; i < 40; i++) {
         nk.fftConvForward(w.u, w.k, w.rows, w.L, w.kRows, w.K, w.n, y);
         if (Buffer.from(y.buffer).equals(Buffer.from(w.want.buffer))) same++;
       }
       Atomics.store(w.flags, 1, 1);
       parentPort.postMessage(same);`,
      { eval: true, workerData: { addon, u, k, want, flags, rows, L, kRows, K, n } },
    );
    const done = new Promise<number>((resolve, reject) =>
      worker.once('message', resolve).once('error', reject),
    );
    Atomics.wait(flags, 0, 0, 20000);
    const y = new Float32Array(rows * L);
    let calls = 0;
    let same = 0;
    while (Atomics.load(flags, 1) === 0 && calls < 1000) {
      nk.fftConvForward(u, k, rows, L, kRows, K, n, y);
      calls++;
      if (Buffer.from(y.buffer).equals(Buffer.from(want.buffer))) same++;
    }
    expect(await done).toBe(40);
    expect(same).toBe(calls);
    await worker.terminate();
  }, 30000);
});
