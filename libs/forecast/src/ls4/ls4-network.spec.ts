import { Rng } from '@seqcast/numeric';
import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { DeclaredParams } from '../trainable/declared-params';
import { gaussianKl } from './elbo';
import { Ls4Network } from './ls4-network';
import { conditionedPaths, generatePaths, normalDraws } from './rollout';

// The network's modes against each other and against outside truths: the KL against
// numerical integration, the recurrent generation against the convolution mode on the same
// latent path, and irregular steps against a rescaled learned step.

const shape = { channels: 1, dModel: 6, stateSize: 4, layers: 2, zDim: 3, sigma: 0.1 };
const net = new Ls4Network(shape);
let params: DeclaredParams;
const get = (name: string) => params.get(name);

beforeAll(async () => {
  await selectBackend('cpu');
  params = new DeclaredParams('ls4-spec', net.declarations(), 3);
  for (const [name, values] of net.initialS4DValues(5, 'lin')) {
    const v = params.get(name);
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  }
  // a non-zero learned start, so the shift is visible
  tf.tidy(() => get('p.z0').assign(tf.tensor1d([0.3, -0.2, 0.5])));
  // longer steps than the initial [0.001, 0.1], so that the state carries the past far enough to matter
  for (const d of net.declarations().filter((d) => d.name.endsWith('.logDt')))
    tf.tidy(() => (get(d.name) as tf.Variable).assign(tf.add(get(d.name), 2)));
});
afterAll(() => params.dispose());

function maxGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let g = 0;
  for (let i = 0; i < a.length; i++) g = Math.max(g, Math.abs(a[i] - b[i]));
  return g;
}

describe('gaussianKl', () => {
  it('equals the integral of q log(q / p) by the trapezoid rule', () => {
    const cases = [
      [0.3, Math.log(0.5), -0.4, Math.log(1.3)],
      [1.0, Math.log(2), 0.0, Math.log(0.7)],
    ];
    for (const [mq, lq, mp, lp] of cases) {
      const pdf = (x: number, m: number, s: number) =>
        Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
      const sq = Math.exp(lq);
      const sp = Math.exp(lp);
      const h = 1e-3;
      let integral = 0;
      for (let x = mq - 12 * sq; x <= mq + 12 * sq; x += h) {
        const q = pdf(x, mq, sq);
        if (q > 0) integral += q * Math.log(q / pdf(x, mp, sp)) * h;
      }
      const kl = tf.tidy(
        () =>
          gaussianKl(
            { mean: tf.scalar(mq), logStd: tf.scalar(lq) },
            { mean: tf.scalar(mp), logStd: tf.scalar(lp) },
          ).dataSync()[0],
      );
      expect(Math.abs(kl - integral)).toBeLessThan(1e-4);
    }
  });
});

describe('recurrent generation', () => {
  it('draws z from the prior and decodes it as the convolution mode does on the same z', () => {
    const count = 3;
    const length = 40;
    const seed = 9;
    const g = generatePaths(net, get, count, length, seed);
    const [zConv, meanConv, logStdConv] = tf.tidy(() => {
      const prior = net.priorOf(get, g.z);
      return [net.decode(get, g.z), prior.mean, prior.logStd].map((t) => t.dataSync().slice());
    });
    // the decoder: recurrent means = convolution-mode means on the generated z
    expect(maxGap(g.mean.dataSync(), zConv)).toBeLessThan(1e-4);
    // the prior: z_t = m_t + s_t eps_t with the convolution-mode m, s and the Rng's draws
    const rng = new Rng(seed);
    const z = g.z.dataSync();
    const Z = shape.zDim;
    let gap = 0;
    for (let t = 0; t < length; t++) {
      const eps = normalDraws(rng, count * Z);
      for (let b = 0; b < count; b++)
        for (let k = 0; k < Z; k++) {
          const i = (b * Z + k) * length + t;
          gap = Math.max(gap, Math.abs(z[i] - (meanConv[i] + Math.exp(logStdConv[i]) * eps[b * Z + k])));
        }
    }
    expect(gap).toBeLessThan(1e-4);
    // and the latent path is not trivial
    expect(Math.max(...Array.from(z, Math.abs))).toBeGreaterThan(0.1);
    tf.dispose([g.z, g.mean, g.x]);
  });
});

describe('irregular steps', () => {
  const B = 2;
  const T = 24;
  const rng = new Rng(4);
  const x = Float32Array.from({ length: B * T }, () => rng.normal());
  const eps = Float32Array.from({ length: B * shape.zDim * T }, () => rng.normal());

  const elbo = (dt?: number) =>
    tf.tidy(
      () =>
        net
          .elbo(get, tf.tensor3d(x, [B, 1, T]), tf.tensor3d(eps, [B, shape.zDim, T]), {
            dtScale: dt === undefined ? undefined : (tf.fill([B, T], dt) as tf.Tensor2D),
          })
          .loss.dataSync()[0],
    );

  it('with every gap one nominal step, equal the regular (convolution) path', () => {
    const regular = elbo();
    expect(Math.abs(elbo(1) - regular)).toBeLessThan(1e-4 * Math.abs(regular));
    const paths = (timing: boolean) =>
      tf.tidy(() =>
        conditionedPaths(net, get, tf.tensor2d(x, [B, T]), 5, 4, 1, {
          timing: timing ? { context: tf.ones([B, T]), future: tf.ones([B, 5]) } : undefined,
        }).dataSync(),
      );
    expect(maxGap(paths(true), paths(false))).toBeLessThan(1e-4);
  });

  it('with every gap two nominal steps, equal a model whose learned steps are doubled', () => {
    const doubled = elbo(2);
    const names = net
      .declarations()
      .filter((d) => d.name.endsWith('.logDt'))
      .map((d) => d.name);
    const before = names.map((n) => get(n).dataSync().slice());
    names.forEach((n) => tf.tidy(() => (get(n) as tf.Variable).assign(tf.add(get(n), Math.log(2)))));
    const rescaled = elbo();
    names.forEach((n, i) =>
      tf.tidy(() => (get(n) as tf.Variable).assign(tf.tensor(before[i], get(n).shape))),
    );
    expect(Math.abs(doubled - rescaled)).toBeLessThan(1e-4 * Math.abs(rescaled));
    // and the gap matters: not the regular value
    expect(Math.abs(doubled - elbo())).toBeGreaterThan(1e-3);
  });
});
