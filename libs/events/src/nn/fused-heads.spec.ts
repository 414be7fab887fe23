import { selectBackend, kernelTiers, useKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { simulateHawkes } from '../hawkes/simulate';
import { eventModelRegistry } from '../registry';
import { fusedDense } from './fused-dense';
import { fusedSahpIntensity } from './fused-sahp-intensity';
import { fusedThpIntensity } from './fused-thp-intensity';
import { scaledSoftplus } from './layers';

beforeAll(() => selectBackend('cpu'));

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe.each(kernelTiers())('fusedDense (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  it.each([3, 24, 32])('matches x W + b in value and gradients (%i outputs)', (O) => {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 7, 10], 0, 1, 'float32', 1); // 21 rows: not a multiple of the tile height
      const W = tf.randomNormal([10, O], 0, 0.5, 'float32', 2);
      const b = tf.randomNormal([O], 0, 0.5, 'float32', 3);
      const wts = tf.randomNormal([3, 7, O], 0, 1, 'float32', 4);
      const run = (f: (x: tf.Tensor, W: tf.Tensor, b: tf.Tensor) => tf.Tensor) => {
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor, w: tf.Tensor, c: tf.Tensor) =>
          tf.sum(tf.mul(f(a, w, c), wts)),
        )([x, W, b]);
        return [value, ...grads].map((t) => t.dataSync());
      };
      const fused = run((a, w, c) => fusedDense(a, w as tf.Tensor2D, c as tf.Tensor1D));
      const ref = run((a, w, c) =>
        tf.add(tf.reshape(tf.matMul(tf.reshape(a, [21, 10]), w as tf.Tensor2D), [3, 7, O]), c),
      );
      fused.forEach((v, i) => expect(maxDiff(v, ref[i])).toBeLessThan(1e-4));
    });
  });
});

describe.each(kernelTiers())('fusedSahpIntensity (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  // d = 6: the native kernels' scalar path; 32: whole vector registers
  it.each([6, 32])('matches softplus((mu + (eta - mu) exp(-gamma dt)) W + b) in value and the gradients of all six inputs (d %i)', (d) => {
    tf.tidy(() => {
      const [B, P, S, K] = [2, 5, 3, 3];
      const mu = tf.randomNormal([B, P, d], 0, 1, 'float32', 1);
      const eta = tf.randomNormal([B, P, d], 0, 1, 'float32', 2);
      const gamma = tf.softplus(tf.randomNormal([B, P, d], 0, 1, 'float32', 3));
      const dt = tf.mul(tf.randomUniform([B, P, S], 0, 3, 'float32', 4), 1);
      const W = tf.randomNormal([d, K], 0, 1, 'float32', 5);
      const b = tf.randomNormal([K], 0, 1, 'float32', 6);
      const wts = tf.randomNormal([B, P, S, K], 0, 1, 'float32', 7);
      const inputs = [mu, eta, gamma, dt, W, b];
      type F = (m: tf.Tensor, e: tf.Tensor, g: tf.Tensor, t: tf.Tensor, w: tf.Tensor, c: tf.Tensor) => tf.Tensor;
      const run = (f: F) => {
        const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(xs[0], xs[1], xs[2], xs[3], xs[4], xs[5]), wts)))(inputs);
        return [f(mu, eta, gamma, dt, W, b), value, ...grads].map((t) => t.dataSync());
      };
      const fused = run((m, e, g, t, w, c) => fusedSahpIntensity(m as tf.Tensor3D, e as tf.Tensor3D, g as tf.Tensor3D, t as tf.Tensor3D, w as tf.Tensor2D, c as tf.Tensor1D));
      const ref = run((m, e, g, t, w, c) => {
        const [m4, e4, g4] = [m, e, g].map((x) => tf.expandDims(x, 2));
        const state = tf.add(m4, tf.mul(tf.sub(e4, m4), tf.exp(tf.mul(tf.neg(g4), tf.expandDims(t, -1)))));
        return tf.softplus(tf.add(tf.reshape(tf.matMul(tf.reshape(state, [-1, d]), w as tf.Tensor2D), [B, P, S, K]), c));
      });
      fused.forEach((v, i) => expect(maxDiff(v, ref[i])).toBeLessThan(1e-4 * Math.max(1, ...Array.from(ref[i], Math.abs))));
    });
  });
});

describe.each(kernelTiers())('fusedThpIntensity (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  it('matches softplus_beta(base + alpha dt / denom) in value and the gradients of all five inputs', () => {
    tf.tidy(() => {
      const [B, P, S, K] = [2, 5, 4, 3];
      const base = tf.randomNormal([B, P, K], 0, 2, 'float32', 1); // both sides of softplus's branch
      const denom = tf.randomUniform([B, P], 1, 4, 'float32', 2);
      const dt = tf.randomUniform([B, P, S], 0, 3, 'float32', 3);
      const alpha = tf.tensor1d([-0.3, 0.2, 1.5]);
      const logBeta = tf.tensor1d([-0.5, 0, 0.7]);
      const wts = tf.randomNormal([B, P, S, K], 0, 1, 'float32', 4);
      const inputs = [base, denom, dt, alpha, logBeta];
      type F = (b: tf.Tensor, d: tf.Tensor, t: tf.Tensor, a: tf.Tensor, l: tf.Tensor) => tf.Tensor;
      const run = (f: F) => {
        const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(xs[0], xs[1], xs[2], xs[3], xs[4]), wts)))(inputs);
        return [f(base, denom, dt, alpha, logBeta), value, ...grads].map((t) => t.dataSync());
      };
      const fused = run((b, d, t, a, l) => fusedThpIntensity(b as tf.Tensor3D, d as tf.Tensor2D, t as tf.Tensor3D, a as tf.Tensor1D, l as tf.Tensor1D));
      const ref = run((b, d, t, a, l) => {
        const x = tf.div(t, tf.expandDims(d, -1));
        return scaledSoftplus(tf.add(tf.expandDims(b, 2), tf.mul(tf.expandDims(x, -1), a)), tf.exp(l));
      });
      fused.forEach((v, i) => expect(maxDiff(v, ref[i])).toBeLessThan(1e-4 * Math.max(1, ...Array.from(ref[i], Math.abs))));
    });
  });
});

type ModelInternals = {
  batchOf(s: unknown): { gaps: tf.Tensor2D };
  encode(b: unknown): never;
  shifted(b: unknown): { nextGaps: tf.Tensor2D; nextTypes: tf.Tensor2D; nextMask: tf.Tensor2D };
  exactTerms(c: never, g: tf.Tensor2D, t: tf.Tensor2D): { logEvent: tf.Tensor; integral: tf.Tensor };
  exactTermsReference(c: never, g: tf.Tensor2D, t: tf.Tensor2D): { logEvent: tf.Tensor; integral: tf.Tensor };
  terms(b: unknown, G: number, training: boolean, seed: number): { logEvent: tf.Tensor; integral: tf.Tensor };
  intensities(c: never, dt: tf.Tensor3D): tf.Tensor;
  hazardReference(c: never, dt: tf.Tensor3D): { lam: tf.Tensor };
  params: { list(): tf.Variable[]; get(name: string): tf.Variable };
  state: Record<string, number>;
};

/** Sets weights / data constants so that the rarely taken branches are exercised. */
const setups: Record<string, (m: ModelInternals) => void> = {
  // IntensityFree: log-gap standardisation off the defaults
  plain: (m) => Object.assign(m.state, { logGapMean: -0.3, logGapStd: 1.4 }),
  // RMTPP: one w in the series branch (|w| < 1e-4), one large enough that w tau passes 30
  rmtppBranches: (m) => m.params.get('w').assign(tf.tensor1d([5e-5, -0.1, 12])),
  // IntensityFree: extreme standardised gaps (survival floor at 1e-30) and log scales past the clip range
  ifExtremes: (m) => {
    Object.assign(m.state, { logGapMean: -0.3, logGapStd: 0.05 });
    const b = m.params.get('mix.b');
    b.assign(
      tf.tensor1d(Array.from({ length: b.size }, (_, i) => (i % 3 === 0 ? 1.6 : i % 3 === 1 ? -6 : 0.2))),
    );
  },
};

/** The fastest kernels here (native where built, else wasm); plain JS in some rows. */
const FAST = kernelTiers()[0];

/**
 * The fused exact terms of a model against its tfjs-op version: values at the scored
 * positions (the fused ops leave the others at 0) and the gradients of every weight.
 */
describe.each([
  [FAST, 'rmtpp', {}, 'plain'],
  ['js' as const, 'rmtpp', {}, 'plain'],
  [FAST, 'rmtpp', { cell: 'gru' }, 'rmtppBranches'],
  [FAST, 'fullynn', {}, 'plain'],
  ['js' as const, 'fullynn', { cell: 'gru' }, 'plain'],
  [FAST, 'intensity_free', {}, 'plain'],
  [FAST, 'intensity_free', {}, 'ifExtremes'],
  // mixtures spanning several vector registers, the last one part-filled (components 40; 20 per mark)
  [FAST, 'intensity_free', { components: 40 }, 'plain'],
  [FAST, 'intensity_free', { components: 40 }, 'ifExtremes'],
  [FAST, 'intensity_free_joint', { components: 20 }, 'ifExtremes'],
  [FAST, 'intensity_free_joint', { cell: 'gru' }, 'plain'],
  [FAST, 'intensity_free_joint', {}, 'ifExtremes'],
  ['js' as const, 'intensity_free_joint', {}, 'ifExtremes'],
])('(%s kernels) %s %j (%s): fused exact terms match the tfjs ops', (kernels, kind, extra, setup) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));
  it('values and gradients', () => {
    const m = eventModelRegistry.create(kind, 3, { hidden: 8, seed: 3, ...extra });
    const mm = m as unknown as ModelInternals;
    setups[setup](mm);
    const data = simulateHawkes(DEFAULT_HAWKES, 5, 7, { endTime: 25 });
    const batch = mm.batchOf(data.sequences);
    const vars = mm.params.list();
    const { nextGaps, nextTypes, nextMask } = mm.shifted(batch);
    const w1 = tf.mul(tf.randomNormal(nextGaps.shape, 0, 1, 'float32', 5), nextMask);
    const w2 = tf.mul(tf.randomNormal(nextGaps.shape, 0, 1, 'float32', 6), nextMask);
    const run = (ref: boolean) =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const ctx = mm.encode(batch);
          const t = ref
            ? mm.exactTermsReference(ctx, nextGaps, nextTypes)
            : mm.exactTerms(ctx, nextGaps, nextTypes);
          return tf.add(tf.sum(tf.mul(t.logEvent, w1)), tf.sum(tf.mul(t.integral, w2))) as tf.Scalar;
        }, vars);
        return [value, ...vars.map((v) => grads[v.name])];
      });
    const a = run(false);
    const b = run(true);
    const scale = Math.max(1, Math.abs(b[0].dataSync()[0]));
    expect(Number.isFinite(b[0].dataSync()[0])).toBe(true);
    a.forEach((t, i) => expect(maxDiff(t.dataSync(), b[i].dataSync())).toBeLessThan(2e-4 * scale));
    tf.dispose([...a, ...b, w1, w2, nextGaps, nextTypes, nextMask, batch as unknown as tf.Tensor]);
    m.dispose();
  });
});

// THP's and SAHP's fused sampled terms (native kernels only) against the generic path's
// intensities and tfjs reductions, which the wasm kernels take: the same stratified points
// (same seed), the same values and gradients up to float32 rounding.
const nativeBuilt = kernelTiers().includes('native');
(nativeBuilt ? describe : describe.skip)('Fused sampled terms of THP and SAHP', () => {
  afterAll(() => useKernels('auto'));
  it.each([
    ['thp', { currentInfluence: 'gap' }],
    ['thp', { currentInfluence: 'relative' }],
    ['sahp', {}],
  ])('%s %j: match the generic path in values and every gradient', (kind, extra) => {
    const m = eventModelRegistry.create(kind, 3, { hidden: 8, heads: 2, seed: 3, ...extra });
    const mm = m as unknown as ModelInternals;
    const data = simulateHawkes(DEFAULT_HAWKES, 5, 7, { endTime: 25 });
    const batch = mm.batchOf(data.sequences);
    const vars = mm.params.list();
    const { nextGaps, nextMask } = mm.shifted(batch);
    const w1 = tf.mul(tf.randomNormal(nextGaps.shape, 0, 1, 'float32', 5), nextMask);
    const w2 = tf.mul(tf.randomNormal(nextGaps.shape, 0, 1, 'float32', 6), nextMask);
    const run = (tier: 'native' | 'wasm') =>
      tf.tidy(() => {
        useKernels(tier);
        const { value, grads } = tf.variableGrads(() => {
          const t = mm.terms(batch, 7, true, 11);
          return tf.add(tf.sum(tf.mul(t.logEvent, w1)), tf.sum(tf.mul(t.integral, w2))) as tf.Scalar;
        }, vars);
        return [value, ...vars.map((v) => grads[v.name])];
      });
    const a = run('native');
    const b = run('wasm');
    const scale = Math.max(1, Math.abs(b[0].dataSync()[0]));
    a.forEach((t, i) => expect(maxDiff(t.dataSync(), b[i].dataSync())).toBeLessThan(2e-4 * scale));
    tf.dispose([...a, ...b, w1, w2, nextGaps, nextMask, batch as unknown as tf.Tensor]);
    m.dispose();
  });
});

describe.each(kernelTiers())('FullyNN intensities (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  it('match the tfjs ops in value and gradients at sampled gaps', () => {
    const m = eventModelRegistry.create('fullynn', 3, { hidden: 8, seed: 4 });
    const mm = m as unknown as ModelInternals;
    const batch = mm.batchOf(simulateHawkes(DEFAULT_HAWKES, 4, 8, { endTime: 20 }).sequences);
    const vars = mm.params.list();
    const dt = tf.abs(tf.randomNormal([...batch.gaps.shape, 4], 0, 1, 'float32', 9)) as tf.Tensor3D;
    const wts = tf.randomNormal([...batch.gaps.shape, 4, 3], 0, 1, 'float32', 10);
    const run = (ref: boolean) =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const ctx = mm.encode(batch);
          return tf.sum(
            tf.mul(ref ? mm.hazardReference(ctx, dt).lam : mm.intensities(ctx, dt), wts),
          ) as tf.Scalar;
        }, vars);
        return [value, ...vars.map((v) => grads[v.name])];
      });
    const a = run(false);
    const b = run(true);
    const scale = Math.max(1, Math.abs(b[0].dataSync()[0]));
    a.forEach((t, i) => expect(maxDiff(t.dataSync(), b[i].dataSync())).toBeLessThan(1e-4 * scale));
    tf.dispose([...a, ...b, dt, wts, batch as unknown as tf.Tensor]);
    m.dispose();
  });
});
