import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { temporalEncoding } from './layers';

beforeAll(() => selectBackend('cpu'));

describe('temporalEncoding', () => {
  it('is sin(t w_i) in even and cos(t w_i) in odd dims with w_i = 10000^(-2 floor(i / 2) / d), any leading shape', () => {
    const t = tf.tensor2d([0, Math.PI / 2, 3, 100], [2, 2]);
    const d = 6;
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
});
