import { Unprocessable } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { gradientCheck, maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { s4dConv } from './s4d-conv';
import { directS4D, weightArrays } from './s4d-direct';
import { discretise } from './s4d-kernel';
import type { S4DWeights } from './s4d-params';
import { S4DState, s4dScan, s4dStep, s4dZeroState } from './s4d-recurrent';
import { randomS4DWeights } from './s4d-test-weights';

/** Steps s4dStep over u [B, H, L] from `state`, stacking the outputs. */
function stepAll(
  w: ReturnType<typeof randomS4DWeights>,
  u: tf.Tensor3D,
  state: S4DState,
  dtScale?: tf.Tensor2D,
): { y: tf.Tensor3D; state: S4DState } {
  const L = u.shape[2];
  const ys: tf.Tensor2D[] = [];
  const discrete = dtScale ? undefined : discretise(w);
  for (let t = 0; t < L; t++) {
    const ut = tf.squeeze(tf.slice(u, [0, 0, t], [-1, -1, 1]), [2]) as tf.Tensor2D;
    const st = dtScale ? (tf.squeeze(tf.slice(dtScale, [0, t], [-1, 1]), [1]) as tf.Tensor1D) : undefined;
    const r = s4dStep(w, state, ut, { dtScale: st, discrete });
    ys.push(r.y);
    state = r.state;
  }
  return { y: tf.stack(ys, 2) as tf.Tensor3D, state };
}

/** Gaps in [0.2, 3] times the nominal step: irregular sampling. */
function randomGaps(n: number, rand: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => 0.2 + 2.8 * rand());
}

describe('S4D recurrent mode', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  const rand = seededRandom(17);

  it.each([
    [2, 1, 2, 6],
    [2, 3, 8, 37],
    [1, 2, 64, 128],
  ])('step and scan equal the convolution mode (B=%i, H=%i, N=%i, L=%i)', (B, H, N, L) => {
    const w = randomS4DWeights(H, N / 2, rand);
    const u = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const conv = s4dConv(w, u).dataSync();
    const scan = s4dScan(w, u);
    const steps = stepAll(w, u, s4dZeroState(B, w));
    expect(maxAbsDiff(scan.y.dataSync(), conv)).toBeLessThan(1e-5);
    expect(maxAbsDiff(steps.y.dataSync(), conv)).toBeLessThan(1e-5);
    expect(maxAbsDiff(steps.state.re.dataSync(), scan.state.re.dataSync())).toBeLessThan(1e-5);
    expect(maxAbsDiff(steps.state.im.dataSync(), scan.state.im.dataSync())).toBeLessThan(1e-5);
  });

  it('a scan carried over in two pieces equals one scan, and its last state is the recurrence state', () => {
    const [B, H, M, L] = [2, 3, 4, 30];
    const w = randomS4DWeights(H, M, rand);
    const uv = randomArray(B * H * L, rand);
    const u = tf.tensor3d(uv, [B, H, L]);
    const whole = s4dScan(w, u);
    const first = s4dScan(w, tf.slice(u, [0, 0, 0], [B, H, 11]) as tf.Tensor3D);
    const second = s4dScan(w, tf.slice(u, [0, 0, 11], [B, H, L - 11]) as tf.Tensor3D, { state: first.state });
    const joined = tf.concat([first.y, second.y], 2).dataSync();
    expect(maxAbsDiff(joined, whole.y.dataSync())).toBeLessThan(1e-5);
    const ref = directS4D(weightArrays(w), uv, B, L);
    expect(maxAbsDiff(second.state.re.dataSync(), ref.re)).toBeLessThan(1e-5);
    expect(maxAbsDiff(second.state.im.dataSync(), ref.im)).toBeLessThan(1e-5);
  });

  it('per-step dt: factors of 1 give the regular layer', () => {
    const [B, H, M, L] = [2, 2, 8, 40];
    const w = randomS4DWeights(H, M, rand);
    const u = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const ones = tf.ones([B, L]) as tf.Tensor2D;
    expect(maxAbsDiff(s4dScan(w, u, { dtScale: ones }).y.dataSync(), s4dConv(w, u).dataSync())).toBeLessThan(
      1e-5,
    );
  });

  it('per-step dt: a constant factor c is the layer with dt multiplied by c', () => {
    const [B, H, M, L] = [1, 3, 6, 50];
    const w = randomS4DWeights(H, M, rand);
    const u = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const scaled = s4dScan(w, u, { dtScale: tf.fill([B, L], 2.5) as tf.Tensor2D }).y.dataSync();
    const shifted = s4dConv({ ...w, logDt: tf.add(w.logDt, Math.log(2.5)) as tf.Tensor1D }, u).dataSync();
    expect(maxAbsDiff(scaled, shifted)).toBeLessThan(1e-5);
  });

  it.each([
    [2, 2, 4, 25],
    [3, 4, 32, 97],
  ])(
    'per-step dt: scan and step equal the float64 recurrence with one ZOH per step (B=%i, H=%i, N=%i, L=%i)',
    (B, H, N, L) => {
      const w = randomS4DWeights(H, N / 2, rand);
      const uv = randomArray(B * H * L, rand);
      const gaps = randomGaps(B * L, rand);
      const u = tf.tensor3d(uv, [B, H, L]);
      const s = tf.tensor2d(gaps, [B, L]);
      const ref = directS4D(weightArrays(w), uv, B, L, gaps);
      expect(maxAbsDiff(s4dScan(w, u, { dtScale: s }).y.dataSync(), ref.y)).toBeLessThan(1e-5);
      const steps = stepAll(w, u, s4dZeroState(B, w), s);
      expect(maxAbsDiff(steps.y.dataSync(), ref.y)).toBeLessThan(1e-5);
      expect(maxAbsDiff(steps.state.re.dataSync(), ref.re)).toBeLessThan(1e-5);
    },
  );

  it.each([false, true])(
    'gradients of the scan (irregular: %s) in every weight, u, the dt factors and the initial state agree with finite differences',
    (irregular) => {
      const [B, H, M, L] = [2, 2, 3, 15];
      const own = seededRandom(irregular ? 19 : 23);
      const w = randomS4DWeights(H, M, own);
      const u = tf.tensor3d(randomArray(B * H * L, own), [B, H, L]);
      const s = tf.tensor2d(randomGaps(B * L, own), [B, L]);
      const x0 = [0, 1].map(() => tf.tensor3d(randomArray(B * H * M, own), [B, H, M]));
      const names = ['logAReal', 'aImag', 'bRe', 'bIm', 'cRe', 'cIm', 'logDt', 'd'] as const;
      const f = (...xs: tf.Tensor[]) => {
        const weights = Object.fromEntries(names.map((n, i) => [n, xs[i]])) as unknown as S4DWeights;
        const [x, re, im, dtScale] = xs.slice(names.length);
        const out = s4dScan(weights, x as tf.Tensor3D, {
          dtScale: irregular ? (dtScale as tf.Tensor2D) : undefined,
          state: { re: re as tf.Tensor3D, im: im as tf.Tensor3D },
        });
        // the last state is an output too: its gradient enters the adjoint at t = L - 1
        return tf.concat([
          tf.reshape(out.y, [-1]),
          tf.reshape(out.state.re, [-1]),
          tf.reshape(out.state.im, [-1]),
        ]);
      };
      const inputs = [...names.map((n) => w[n]), u, ...x0, ...(irregular ? [s] : [])];
      const errs = gradientCheck(f, inputs, { eps: 1e-2, directions: 2 });
      for (const e of errs) expect(e).toBeLessThan(5e-3);
    },
  );

  it('rejects dt factors that do not match the input, naming dtScale', () => {
    const w = randomS4DWeights(2, 2, rand);
    const u = tf.zeros([1, 2, 5]) as tf.Tensor3D;
    const thrown = (dtScale: tf.Tensor2D) => {
      try {
        s4dScan(w, u, { dtScale });
      } catch (e) {
        return e as Unprocessable;
      }
      return null;
    };
    for (const bad of [tf.ones([1, 4]), tf.ones([2, 5])] as tf.Tensor2D[]) {
      const e = thrown(bad);
      expect(e).toBeInstanceOf(Unprocessable);
      expect(e?.details[0].field).toBe('dtScale');
    }
  });
});
