import { Rng } from '@seqcast/numeric';
import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { MetricNetwork } from './metric-network';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('MetricNetwork (LS4 metrics S4 model)', () => {
  it('its S4D kernel is the impulse response of the ZOH-discretised diagonal recurrence', () => {
    const net = new MetricNetwork({ inputChannels: 1, outputs: 1, pooled: true, seed: 3 });
    const rng = new Rng(8);
    const [logDt, logAReal, aImag] = net.ssm;
    const H = 16;
    const N2 = 8;
    // random parameters, not only the initialisation
    const cRe = Float32Array.from({ length: H * N2 }, () => rng.normal());
    const cIm = Float32Array.from({ length: H * N2 }, () => rng.normal());
    const ar = Float32Array.from({ length: H * N2 }, () => Math.log(0.1 + rng.next()));
    const ai = Float32Array.from({ length: H * N2 }, () => 10 * rng.normal());
    logAReal.assign(tf.tensor2d(ar, [H, N2]));
    aImag.assign(tf.tensor2d(ai, [H, N2]));
    const named = (suffix: string) => net.general.find((v) => v.name.startsWith(`metric_${suffix}_`))!;
    named('cRe').assign(tf.tensor2d(cRe, [H, N2]));
    named('cIm').assign(tf.tensor2d(cIm, [H, N2]));
    const dts = logDt.dataSync();
    const L = 24;
    const K = net.kernel(L).arraySync();
    for (let h = 0; h < H; h++) {
      const dt = Math.exp(dts[h]);
      for (let n = 0; n < N2; n++) {
        // continuous A = -exp(log a) + i a_imag; ZOH: Abar = exp(dt A), Bbar = (Abar - 1) / A (B = 1)
        const a = [-Math.exp(ar[h * N2 + n]), ai[h * N2 + n]];
        const abar = [Math.exp(dt * a[0]) * Math.cos(dt * a[1]), Math.exp(dt * a[0]) * Math.sin(dt * a[1])];
        const den = a[0] ** 2 + a[1] ** 2;
        let x = [
          ((abar[0] - 1) * a[0] + abar[1] * a[1]) / den,
          (abar[1] * a[0] - (abar[0] - 1) * a[1]) / den,
        ];
        for (let l = 0; l < L; l++) {
          // the n-th mode's share of y_l = 2 Re(C x_l), x_l = Abar^l Bbar (impulse at step 0)
          (K[h] as number[])[l] -= 2 * (cRe[h * N2 + n] * x[0] - cIm[h * N2 + n] * x[1]);
          x = [abar[0] * x[0] - abar[1] * x[1], abar[0] * x[1] + abar[1] * x[0]];
        }
      }
      K[h].forEach((rest) => expect(Math.abs(rest)).toBeLessThan(1e-4));
    }
    net.dispose();
  });

  it('the per-step head is causal: output t does not see inputs after t', () => {
    const net = new MetricNetwork({ inputChannels: 2, outputs: 2, pooled: false, seed: 1 });
    const rng = new Rng(2);
    const values = Float32Array.from({ length: 3 * 20 * 2 }, () => rng.normal());
    const a = net.forward(tf.tensor3d(values, [3, 20, 2])).arraySync() as number[][][];
    const changed = Float32Array.from(values);
    for (let b = 0; b < 3; b++) for (let c = 0; c < 2; c++) changed[(b * 20 + 15) * 2 + c] += 5;
    const b = net.forward(tf.tensor3d(changed, [3, 20, 2])).arraySync() as number[][][];
    for (let i = 0; i < 3; i++) {
      for (let t = 0; t < 15; t++) b[i][t].forEach((v, c) => expect(v).toBeCloseTo(a[i][t][c], 5));
      expect(Math.abs(b[i][15][0] - a[i][15][0])).toBeGreaterThan(1e-3);
    }
    net.dispose();
  });
});
