import { kernelTiers, selectBackend, useKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { temporalEncoding } from './layers';

beforeAll(() => selectBackend('cpu'));

describe.each(kernelTiers())('temporalEncoding (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  // d = 6: a register's partial lanes; 32: whole registers
  it.each([6, 32])('is sin(t w_i) in even and cos(t w_i) in odd dims with w_i = 10000^(-2 floor(i / 2) / d), any leading shape (d %i)', (d) => {
    const t = tf.tensor2d([0, Math.PI / 2, 3, 100], [2, 2]);
    const e = temporalEncoding(t, d);
    expect(e.shape).toEqual([2, 2, d]);
    const v = e.dataSync();
    const times = [0, Math.PI / 2, 3, 100];
    times.forEach((time, r) => {
      for (let i = 0; i < d; i++) {
        const w = Math.pow(10000, (-2 * Math.floor(i / 2)) / d);
        expect(v[r * d + i]).toBeCloseTo(i % 2 === 0 ? Math.sin(time * w) : Math.cos(time * w), 6);
      }
    });
    expect(Array.from(v.slice(0, 2))).toEqual([0, 1]); // t = 0
    tf.dispose([t, e]);
  });

  it('keeps float32 accuracy at the long times of a whole sequence (hundreds of gaps)', () => {
    const times = Float32Array.from({ length: 200 }, (_, i) => i * 7.31 + 0.123);
    const d = 32;
    const v = temporalEncoding(tf.tensor1d(times), d).dataSync();
    let worst = 0;
    times.forEach((time, r) => {
      for (let i = 0; i < d; i++) {
        const x = time * Math.pow(10000, (-2 * Math.floor(i / 2)) / d);
        worst = Math.max(worst, Math.abs(v[r * d + i] - (i % 2 === 0 ? Math.sin(x) : Math.cos(x))));
      }
    });
    expect(worst).toBeLessThan(2e-7);
  });
});
