import { ValidationFailed } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { gradientCheck, maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { s4dConv } from './s4d-conv';
import { directKernel, directS4D, weightArrays } from './s4d-direct';
import { s4dKernel } from './s4d-kernel';
import { initS4DValues, S4DWeights } from './s4d-params';
import { randomS4DWeights } from './s4d-test-weights';

describe('S4D kernel and convolution mode', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  const rand = seededRandom(41);

  it('initialises S4D-Lin and S4D-Inv as the paper writes them, dt log-uniform in [0.001, 0.1]', () => {
    const lin = initS4DValues({ channels: 3, stateSize: 8, seed: 1 });
    const inv = initS4DValues({ channels: 3, stateSize: 8, init: 'inv', seed: 1 });
    for (let h = 0; h < 3; h++) {
      for (let n = 0; n < 4; n++) {
        expect(-Math.exp(lin.logAReal.values[h * 4 + n])).toBeCloseTo(-0.5, 6);
        expect(lin.aImag.values[h * 4 + n]).toBeCloseTo(Math.PI * n, 5);
        expect(inv.aImag.values[h * 4 + n]).toBeCloseTo((8 / Math.PI) * (8 / (2 * n + 1) - 1), 4);
        expect(lin.bRe.values[h * 4 + n]).toBe(1);
        expect(lin.bIm.values[h * 4 + n]).toBe(0);
      }
      const dt = Math.exp(lin.logDt.values[h]);
      expect(dt).toBeGreaterThanOrEqual(0.001 * (1 - 1e-6));
      expect(dt).toBeLessThanOrEqual(0.1 * (1 + 1e-6));
    }
    // E|C|^2 = 1: the mean over many draws
    const big = initS4DValues({ channels: 64, stateSize: 64, seed: 3 });
    let s = 0;
    for (let i = 0; i < big.cRe.values.length; i++) s += big.cRe.values[i] ** 2 + big.cIm.values[i] ** 2;
    expect(s / big.cRe.values.length).toBeGreaterThan(0.9);
    expect(s / big.cRe.values.length).toBeLessThan(1.1);
  });

  it('rejects an odd state size and a bad dt range, naming the field', () => {
    expect(() => initS4DValues({ channels: 2, stateSize: 7 })).toThrow(ValidationFailed);
    try {
      initS4DValues({ channels: 2, dtMin: 0.1, dtMax: 0.01 });
      throw new Error('no error');
    } catch (e) {
      expect((e as ValidationFailed).details).toEqual([expect.objectContaining({ field: 'dtMin' })]);
    }
  });

  it.each([
    [1, 2, 1],
    [3, 8, 17],
    [2, 16, 100],
    [4, 64, 300],
  ])('kernel equals the impulse response of the float64 recurrence (H=%i, N=%i, L=%i)', (H, N, L) => {
    const w = randomS4DWeights(H, N / 2, rand);
    const K = s4dKernel(w, L);
    expect(K.shape).toEqual([H, L]);
    expect(maxAbsDiff(K.dataSync(), directKernel(weightArrays(w), L))).toBeLessThan(1e-5);
  });

  it('the initialised layer (S4D-Lin, N = 64) also matches over a long kernel', () => {
    const v = initS4DValues({ channels: 4, stateSize: 64, seed: 5 });
    const w = Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, tf.tensor(x.values, x.shape)]),
    ) as unknown as S4DWeights;
    expect(maxAbsDiff(s4dKernel(w, 512).dataSync(), directKernel(weightArrays(w), 512))).toBeLessThan(1e-5);
  });

  it.each([
    [2, 1, 2, 5],
    [2, 3, 8, 33],
    [3, 2, 32, 130],
    [1, 4, 64, 257],
  ])('convolution mode equals the float64 recurrence (B=%i, H=%i, N=%i, L=%i)', (B, H, N, L) => {
    const w = randomS4DWeights(H, N / 2, rand);
    const u = randomArray(B * H * L, rand);
    const y = s4dConv(w, tf.tensor3d(u, [B, H, L])).dataSync();
    expect(maxAbsDiff(y, directS4D(weightArrays(w), u, B, L).y)).toBeLessThan(1e-5);
  });

  it('gradients of the convolution output in logAReal, aImag, B, C, log dt, D and u agree with finite differences', () => {
    const [B, H, M, L] = [2, 2, 3, 19];
    const own = seededRandom(43);
    const w = randomS4DWeights(H, M, own);
    const u = tf.tensor3d(randomArray(B * H * L, own), [B, H, L]);
    const f = (
      logAReal: tf.Tensor,
      aImag: tf.Tensor,
      bRe: tf.Tensor,
      cRe: tf.Tensor,
      cIm: tf.Tensor,
      logDt: tf.Tensor,
      d: tf.Tensor,
      x: tf.Tensor,
    ) =>
      s4dConv(
        {
          ...w,
          logAReal: logAReal as tf.Tensor2D,
          aImag: aImag as tf.Tensor2D,
          bRe: bRe as tf.Tensor2D,
          cRe: cRe as tf.Tensor2D,
          cIm: cIm as tf.Tensor2D,
          logDt: logDt as tf.Tensor1D,
          d: d as tf.Tensor1D,
        },
        x as tf.Tensor3D,
      );
    const errs = gradientCheck(
      f as (...xs: tf.Tensor[]) => tf.Tensor,
      [w.logAReal, w.aImag, w.bRe, w.cRe, w.cIm, w.logDt, w.d, u],
      { eps: 1e-2, directions: 2 },
    );
    // float32 loss differences: relative errors ~1e-3 at eps 1e-2, up to ~6e-3 on the native
    // kernels' baseline build (its FFT rounds differently); a wrong term gives O(1)
    for (const e of errs) expect(e).toBeLessThan(2e-2);
  });
});
