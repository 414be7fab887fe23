/**
 * Training-service benchmark (`npm run bench:tensor`): matMul, rfft, fftConv forward +
 * backward, and one training step of a small SSM block and of an LSTM, on each available
 * tfjs backend. bench/torch_reference.py measures the same in PyTorch.
 * Prints a markdown table and writes var/bench/tensor.json. Figures, not pass/fail.
 *
 *   --quick           L = 720 only for the spectral rows
 *   --threads N       the native kernels' threads (SEQCAST_THREADS; default: the configuration's,
 *                     whose 0 is every usable core); pin with `taskset -c 0` for one core
 *   --backends a,b    only these of cpu, wasm, tensorflow, webgpu (default all)
 */
import { loadKernelSettings } from '@seqcast/core';
import {
  AdamW,
  convFftSize,
  configureKernels,
  fftConv,
  nativeKernels,
  nativeKernelsStatus,
  registerCpuMatMulKernels,
  restoreCpuMatMulKernels,
  rfft,
  rnnScan,
  selectBackend,
} from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'fs';
import * as os from 'os';

interface Row {
  case: string;
  backend: string;
  ms: number;
  /** this process's CPU time for the same call (user + system): on a shared box it moves far less than wall time */
  cpuMs: number;
}
const rows: Row[] = [];
const quick = process.argv.includes('--quick');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const threadsArg = arg('threads');
const backends = (arg('backends') ?? 'cpu,wasm,tensorflow,webgpu').split(',');

function timeIt(label: string, backend: string, fn: () => void, repeats = 5): void {
  fn(); // warm-up: plans, JIT, allocations
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpuTimes.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = median(times);
  const cpuMs = median(cpuTimes);
  rows.push({ case: label, backend, ms, cpuMs });
  console.log(`${backend.padEnd(12)} ${label.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms  cpu ${cpuMs.toFixed(1).padStart(8)} ms`);
}

/** Runs fn inside tidy and forces the result, so lazy backends cannot cheat. */
function sync(fn: () => tf.Tensor | tf.Tensor[]): () => void {
  return () => {
    tf.tidy(() => {
      const out = fn();
      for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
    });
  };
}

function benchMatMul(backend: string): void {
  const a = tf.randomNormal([23040, 64]);
  const b = tf.randomNormal([64, 64]);
  timeIt(
    'matMul [23040,64]x[64,64]',
    backend,
    sync(() => tf.matMul(a, b)),
  );
  timeIt(
    'matMul^T [64,23040]x[23040,64] (weight grad)',
    backend,
    sync(() => tf.matMul(a, a, true, false)),
  );
  tf.dispose([a, b]);
}

function benchSpectral(backend: string): void {
  const lengths = quick ? [720] : [336, 720, 1440];
  for (const L of lengths) {
    for (const C of [64, 128]) {
      const u = tf.randomNormal([32, C, L]);
      const k = tf.randomNormal([C, L]);
      const w = tf.randomNormal([32, C, L]);
      timeIt(
        `rfft n=2L B=32 C=${C} L=${L}`,
        backend,
        sync(() => {
          // one transform, both parts read (this called rfft twice before 2026-12-06)
          const X = rfft(u, 2 * L);
          return [X.re, X.im];
        }),
        3,
      );
      const f = tf.grads((uu: tf.Tensor, kk: tf.Tensor) => tf.sum(tf.mul(fftConv(uu, kk), w)));
      timeIt(
        `fftConv fwd+bwd B=32 C=${C} L=${L}`,
        backend,
        sync(() => f([u, k])),
        3,
      );
      tf.dispose([u, k, w]);
    }
  }
}

/**
 * The native kernels alone on the same shapes (no tfjs around them: no tensor copies, no
 * elementwise ops), the part of the rows above that the thread pool splits: their ratio
 * between --threads 1 and 2 is the pool's own speedup.
 */
function benchNativeKernels(): void {
  const nk = nativeKernels();
  if (!nk) return;
  const random = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
  const [m, n, k] = [23040, 64, 64];
  const a = random(m * k);
  const b = random(k * n);
  const c = new Float32Array(m * n);
  const w = new Float32Array(n * n);
  timeIt('gemm [23040,64]x[64,64]', 'native', () => nk.gemm(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n));
  timeIt('gemm^T [64,23040]x[23040,64]', 'native', () => nk.gemm(n, n, m, a, 0, 1, n, a, 0, n, w, 0, n));
  for (const L of quick ? [720] : [336, 720, 1440]) {
    for (const C of [64, 128]) {
      const rows = 32 * C;
      const fft = 2 * L; // what bench:tensor's rfft rows ask for
      const conv = convFftSize(L, L, true);
      const [u, kk, dy] = [random(rows * L), random(C * L), random(rows * L)];
      const [y, du, dk] = [new Float32Array(rows * L), new Float32Array(rows * L), new Float32Array(C * L)];
      const [re, im] = [new Float32Array(rows * (fft / 2 + 1)), new Float32Array(rows * (fft / 2 + 1))];
      timeIt(`rfftRows n=2L B=32 C=${C} L=${L}`, 'native', () => nk.rfftRows(u, rows, L, fft, re, im), 3);
      timeIt(
        `fftConv fwd+bwd B=32 C=${C} L=${L} (n=${conv})`,
        'native',
        () => {
          nk.fftConvForward(u, kk, rows, L, C, L, conv, y);
          nk.fftConvBackward(dy, u, kk, rows, L, C, L, conv, du, dk);
        },
        3,
      );
    }
  }
}

/** tanh-approximate GELU (tfjs has no gelu op). */
function gelu(x: tf.Tensor): tf.Tensor {
  const c = Math.sqrt(2 / Math.PI);
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), c))));
}

/**
 * A small diagonal SSM block (S4D-real flavour), B=32, C=64, L=336: per-channel kernel
 * k[c, l] = g_c exp(-softplus(a_c) l / L) cos(theta_c l), y = fftConv(u, k) + D u,
 * GELU, channel-mixing linear layer, MSE. One AdamW step.
 */
function benchSsmStep(backend: string): void {
  const B = 32,
    C = 64,
    L = 336;
  const u = tf.randomNormal([B, C, L]);
  const target = tf.randomNormal([B, L, C]);
  const a = tf.variable(tf.randomUniform([C, 1], 0, 2));
  const theta = tf.variable(tf.randomUniform([C, 1], 0, 0.5));
  const gain = tf.variable(tf.randomNormal([C, 1], 0, 0.5));
  const D = tf.variable(tf.randomNormal([C, 1], 0, 0.5));
  const W = tf.variable(tf.randomNormal([C, C], 0, 1 / Math.sqrt(C)));
  const bias = tf.variable(tf.zeros([C]));
  const params = [a, theta, gain, D, W, bias];
  const steps = tf.range(0, L).reshape([1, L]);
  const opt = new AdamW({ weightDecay: 1e-4 });
  const loss = () =>
    tf.tidy(() => {
      const k = tf.mul(
        tf.mul(gain, tf.exp(tf.mul(tf.neg(tf.softplus(a)), tf.div(steps, L)))),
        tf.cos(tf.mul(theta, steps)),
      );
      const y = tf.add(fftConv(u, k), tf.mul(D, u));
      const z = tf.transpose(gelu(y), [0, 2, 1]).reshape([B * L, C]);
      const out = tf.add(tf.matMul(z, W), bias).reshape([B, L, C]);
      return tf.mean(tf.square(tf.sub(out, target))) as tf.Scalar;
    });
  timeIt(`SSM block train step B=${B} C=${C} L=${L}`, backend, () => {
    const { value, grads } = tf.variableGrads(loss, params);
    opt.step(
      params,
      params.map((p) => grads[p.name]),
      1e-3,
    );
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  });
  opt.dispose();
  tf.dispose([u, target, steps, ...params]);
}

/** LSTM B=32, T=96, input 16, hidden 64, linear head on the last state, one AdamW step. */
function benchLstmStep(backend: string): void {
  const B = 32,
    T = 96,
    I = 16,
    H = 64;
  const x = tf.randomNormal([B, T, I]) as tf.Tensor3D;
  const y = tf.randomNormal([B, 1]);
  const Wx = tf.variable(tf.randomNormal([I, 4 * H], 0, 1 / Math.sqrt(I)));
  const Wh = tf.variable(tf.randomNormal([H, 4 * H], 0, 1 / Math.sqrt(H)));
  const b = tf.variable(tf.zeros([4 * H]));
  const head = tf.variable(tf.randomNormal([H, 1], 0, 1 / Math.sqrt(H)));
  const params = [Wx, Wh, b, head];
  const opt = new AdamW();
  const loss = () =>
    tf.tidy(() => {
      const { state } = rnnScan(
        (xt, [h, c]) => {
          const gates = tf.add(tf.add(tf.matMul(xt, Wx), tf.matMul(h as tf.Tensor2D, Wh)), b);
          const [gi, gf, gg, go] = tf.split(gates, 4, 1);
          const c1 = tf.add(tf.mul(tf.sigmoid(gf), c), tf.mul(tf.sigmoid(gi), tf.tanh(gg)));
          const h1 = tf.mul(tf.sigmoid(go), tf.tanh(c1)) as tf.Tensor2D;
          return [h1, [h1, c1]];
        },
        x,
        [tf.zeros([B, H]), tf.zeros([B, H])],
      );
      return tf.mean(tf.square(tf.sub(tf.matMul(state[0] as tf.Tensor2D, head), y))) as tf.Scalar;
    });
  timeIt(`LSTM train step B=${B} T=${T} I=${I} H=${H}`, backend, () => {
    const { value, grads } = tf.variableGrads(loss, params);
    opt.step(
      params,
      params.map((p) => grads[p.name]),
      1e-3,
    );
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  });
  opt.dispose();
  tf.dispose([x, y, ...params]);
}

async function main(): Promise<void> {
  console.log(
    `seqcast bench:tensor  node ${process.version}  tfjs ${tf.version.tfjs}  ${os.cpus()[0]?.model} x${os.cpus().length}`,
  );

  const settings = loadKernelSettings();
  configureKernels(threadsArg === undefined ? settings : { ...settings, threads: Number(threadsArg) });
  console.log(`native kernels: ${nativeKernelsStatus()}, ${nativeKernels()?.threads() ?? 1} thread(s)`);
  await selectBackend('cpu');
  benchNativeKernels();
  restoreCpuMatMulKernels();
  benchMatMul('cpu-tfjs');
  registerCpuMatMulKernels();
  for (const name of ['cpu', 'wasm'].filter((b) => backends.includes(b))) {
    try {
      await selectBackend(name);
    } catch (e) {
      console.log(`${name}: not available (${(e as Error).message})`);
      continue;
    }
    benchMatMul(name);
    benchSpectral(name);
    benchSsmStep(name);
    benchLstmStep(name);
  }
  for (const name of ['tensorflow', 'webgpu'].filter((b) => backends.includes(b))) {
    try {
      await selectBackend(name);
      benchMatMul(name);
      benchSpectral(name);
      benchSsmStep(name);
      benchLstmStep(name);
    } catch (e) {
      console.log(`${name}: not available (${(e as Error).message.split('\n')[0]})`);
    }
  }
  mkdirSync('var/bench', { recursive: true });
  writeFileSync(
    'var/bench/tensor.json',
    JSON.stringify(
      {
        machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
        threads: nativeKernels()?.threads() ?? 1,
        rows,
      },
      null,
      2,
    ),
  );
  console.log('\nwritten var/bench/tensor.json');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
