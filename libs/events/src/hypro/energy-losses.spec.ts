import * as tf from '@tensorflow/tfjs';
import { energyLoss } from './energy-losses';

const softplus = (x: number) => Math.log1p(Math.exp(x));

describe('HYPRO energy losses', () => {
  // two windows, a true continuation and two proposals each
  const E = [
    [0.2, 1.5, -0.3],
    [-1.0, 0.4, 2.0],
  ];
  const D = [
    [1.0, 0.5],
    [3.0, 0.1],
  ];
  const run = (loss: Parameters<typeof energyLoss>[2], w = 0.1) =>
    tf.tidy(() => energyLoss(tf.tensor2d(E), tf.tensor2d(D), loss, w).dataSync()[0]);

  it('binary: -log sigmoid(-E_true) - mean log sigmoid(E_gen), by hand', () => {
    const want = E.reduce((s, r) => s + softplus(r[0]) + (softplus(-r[1]) + softplus(-r[2])) / 2, 0) / 2;
    expect(run('binary')).toBeCloseTo(want, 5);
  });

  it('multi-NCE: -log of the true continuation softmax(-E) share, by hand', () => {
    const want =
      E.reduce((s, r) => s - Math.log(Math.exp(-r[0]) / r.reduce((z, e) => z + Math.exp(-e), 0)), 0) / 2;
    expect(run('mnce')).toBeCloseTo(want, 5);
  });

  it('hinge with the distance as margin, and the default combination', () => {
    let h = 0;
    for (let n = 0; n < 2; n++) for (let m = 0; m < 2; m++) h += Math.max(0, D[n][m] + E[n][0] - E[n][m + 1]);
    h /= 4;
    expect(run('hinge')).toBeCloseTo(h, 5);
    expect(run('mnce+hinge', 0.1)).toBeCloseTo(run('mnce') + 0.1 * h, 5);
  });
});
