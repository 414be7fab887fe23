/**
 * The native kernels' passes at the event models' training sizes (one step of the Hawkes
 * benchmark: 64 sequences of ~50 events, d = 32, 20 integral points, 3 types), timed in
 * isolation: milliseconds per call (median of the repeats) and, for the products, GMAC/s.
 *
 *   npm run bench:native [-- --repeats 50]
 *
 * SEQCAST_NATIVE_ISA=avx2|base times the narrower builds. Prints a Markdown table.
 */
import { loadKernelSettings } from '@seqcast/core';
import { configureKernels, nativeKernels, nativeKernelsStatus } from '@seqcast/tensor';
import * as os from 'os';

const repeats = Number(process.argv[process.argv.indexOf('--repeats') + 1]) || 30;
configureKernels(loadKernelSettings());
const nk = nativeKernels();
if (!nk) {
  console.error(`bench:native: ${nativeKernelsStatus()}`);
  process.exit(1);
}

let seed = 1;
function random(n: number, scale = 0.3, positive = false): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const u = seed / 2147483648 - 0.5;
    out[i] = positive ? Math.abs(u) * scale * 2 : u * scale;
  }
  return out;
}

function medianMs(f: () => void): number {
  f();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = process.hrtime.bigint();
    f();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const rows: string[][] = [];
function row(name: string, shape: string, ms: number, macs = 0): void {
  rows.push([name, shape, ms.toFixed(3), macs ? (macs / ms / 1e6).toFixed(1) : '']);
}

// gemm: the products of the encoder's projections
{
  const [m, n, k] = [3200, 96, 32];
  const a = random(m * k);
  const b = random(k * n);
  const c = new Float32Array(m * n);
  row('gemm', `[${m}, ${k}] x [${k}, ${n}]`, medianMs(() => nk.gemm(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n)), m * n * k);
}

// one post-norm encoder layer (THP's and SAHP's), forward and backward
{
  const [B, T, d, F, heads] = [64, 50, 32, 64, 2];
  const N = B * T;
  const nw = 4 * d * d + 2 * d * F + 9 * d + F;
  const x = random(N * d, 1);
  const w = random(nw);
  const limits = Int32Array.from({ length: N }, (_, i) => i % T);
  const y = new Float32Array(N * d);
  const saved = new Float32Array(7 * N * d + 3 * N * F);
  const invs = new Float64Array(2 * N);
  const dx = new Float32Array(N * d);
  const dw = new Float32Array(nw);
  const gy = random(N * d, 1);
  const macs = N * (4 * d * d + 2 * d * F) + B * T * T * d; // projections and feed-forward; attention (half the T x T, two products)
  const shape = `B ${B}, T ${T}, d ${d}, F ${F}, ${heads} heads`;
  row('encoder layer forward', shape, medianMs(() => nk.encoderForward(x, w, B, T, d, F, heads, limits, false, y, saved, invs)), macs);
  row('encoder layer backward', shape, medianMs(() => nk.encoderBackward(gy, x, w, B, T, d, F, heads, limits, false, saved, invs, dx, dw)), 2 * macs);
}

// SAHP's heads and sampled terms; THP's sampled terms
{
  const [BP, G, d, K] = [3200, 20, 32, 3];
  const h = random(BP * d, 1);
  const wHeads = random(3 * d * d + 3 * d);
  const [mu, eta, gamma] = [0, 1, 2].map(() => new Float32Array(BP * d));
  const saved = new Float32Array(4 * BP * d);
  const gaps = random(BP, 2, true);
  const types = Int32Array.from({ length: BP }, (_, i) => i % (K + 1));
  const u = random(BP * G, 0.5, true);
  const W = random(d * K);
  const b = random(K);
  const out = new Float32Array(2 * BP);
  const pre = new Float32Array(BP * (G + 1) * K);
  const lambda = new Float32Array(pre.length);
  const g = random(2 * BP, 1);
  const [dmu, deta, dgamma] = [0, 1, 2].map(() => new Float32Array(BP * d));
  const dW = new Float32Array(d * K);
  const db = new Float32Array(K);
  const shape = `B P ${BP}, G ${G}, d ${d}, K ${K}`;
  nk.sahpHeadsForward(h, wHeads, d, mu, eta, gamma, saved);
  row('SAHP heads forward', shape, medianMs(() => nk.sahpHeadsForward(h, wHeads, d, mu, eta, gamma, saved)), 3 * BP * d * d);
  row('SAHP terms forward', shape, medianMs(() => nk.sahpTermsForward(mu, eta, gamma, gaps, types, u, W, b, out, pre, lambda)));
  row('SAHP terms backward', shape, medianMs(() => nk.sahpTermsBackward(g, mu, eta, gamma, gaps, types, u, W, pre, lambda, dmu, deta, dgamma, dW, db)));
  const dh = new Float32Array(BP * d);
  const dwHeads = new Float32Array(wHeads.length);
  row('SAHP heads backward', shape, medianMs(() => nk.sahpHeadsBackward(h, wHeads, saved, dmu, deta, dgamma, d, dh, dwHeads)), 6 * BP * d * d);
  const base = random(BP * K);
  const denom = random(BP, 2, true).map((v) => v + 1);
  const alpha = random(K);
  const logBeta = random(K);
  row('THP terms forward', shape, medianMs(() => nk.thpTermsForward(base, denom, gaps, types, u, alpha, logBeta, out, pre, lambda)));
  const [dBase, dDenom, dAlpha, dLogBeta] = [BP * K, BP, K, K].map((n) => new Float32Array(n));
  row('THP terms backward', shape, medianMs(() => nk.thpTermsBackward(g, denom, gaps, types, u, alpha, logBeta, pre, lambda, dBase, dDenom, dAlpha, dLogBeta)));
}

// IntensityFree's exact terms (one mixture, the plain model) at 8 to 64 components
{
  const [BP, K, J] = [3200, 3, 1];
  const gaps = random(BP, 4, true).map((v) => v + 0.01);
  const types = Int32Array.from({ length: BP }, (_, i) => i % K);
  const logits = random(BP * K);
  const out = new Float32Array(2 * BP);
  const g = random(2 * BP, 1);
  for (const M of [8, 16, 32, 64]) {
    const raw = random(BP * J * 3 * M, 2);
    const store = new Float32Array(BP * (J * 6 * M + K + J));
    const [dRaw, dLogits] = [raw.length, BP * K].map((n) => new Float32Array(n));
    const shape = `B P ${BP}, M ${M}`;
    row('IntensityFree terms forward', shape, medianMs(() => nk.ifForward(raw, logits, gaps, types, J, M, 0, 1, out, store)));
    row('IntensityFree terms backward', shape, medianMs(() => nk.ifBackward(g, raw, types, J, M, store, dRaw, dLogits)));
  }
}

console.log(`Run: \`npm run bench:native -- --repeats ${repeats}\` (${new Date().toISOString().slice(0, 10)}), ${nativeKernelsStatus()}, ${os.cpus()[0]?.model ?? 'cpu'}, one thread; median of ${repeats} calls.\n`);
console.log('| pass | shape | ms / call | GMAC/s |');
console.log('| --- | --- | ---: | ---: |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
