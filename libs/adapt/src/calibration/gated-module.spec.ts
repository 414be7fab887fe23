import * as tf from '@tensorflow/tfjs';
import { Rng } from '@seqcast/numeric';
import { selectBackend } from '@seqcast/tensor';
import { FullGatedModule, GatedModule, LowRankGatedModule } from './gated-module';
import { finiteDifference } from './testing/fixtures';

function randomize(m: GatedModule, seed: number, scale = 0.3): void {
  const rng = new Rng(seed);
  for (const { variable } of m.variables) {
    const w = new Float32Array(variable.size).map(() => (2 * rng.next() - 1) * scale);
    variable.assign(tf.tensor(w, variable.shape, 'float32'));
  }
}

function input(B: number, T: number, V: number, seed: number): tf.Tensor3D {
  const rng = new Rng(seed);
  return tf.tensor3d(
    Float32Array.from({ length: B * T * V }, () => rng.normal()),
    [B, T, V],
  );
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('gated calibration modules', () => {
  it.each([
    ['TAFAS', () => new FullGatedModule(12, 3, 0.01, 'm')],
    ['PETSA', () => new LowRankGatedModule(12, 3, 4, 0.01, 'm', new Rng(5))],
  ])('%s module starts as the identity', (_, make) => {
    const m = make();
    const x = input(2, 12, 3, 1);
    const y = m.apply(x);
    expect(values(y)).toEqual(values(x));
    m.dispose();
  });

  it('TAFAS module computes x + tanh(g_v) (x W_v + b_v) (written out in float64)', () => {
    const [B, T, V] = [2, 5, 2];
    const m = new FullGatedModule(T, V, 0.01, 'm');
    randomize(m, 3);
    const [g, W, b] = m.variables.map((v) => values(v.variable)); // gate [V], weight [V, T, T], bias [T, V]
    const x = input(B, T, V, 2);
    const xv = values(x);
    const got = values(m.apply(x));
    for (let n = 0; n < B; n++)
      for (let o = 0; o < T; o++)
        for (let v = 0; v < V; v++) {
          let s = b[o * V + v];
          for (let i = 0; i < T; i++) s += xv[(n * T + i) * V + v] * W[(v * T + i) * T + o];
          const want = xv[(n * T + o) * V + v] + Math.tanh(g[v]) * s;
          expect(got[(n * T + o) * V + v]).toBeCloseTo(want, 5);
        }
    m.dispose();
  });

  it('PETSA module computes x + sum_i tanh(g_v x_i) (A B_v)[i, o] + b (written out in float64)', () => {
    const [B, T, V, r] = [2, 6, 2, 3];
    const m = new LowRankGatedModule(T, V, r, 0.01, 'm', new Rng(1));
    randomize(m, 4, 0.8);
    const [g, A, Bm, b] = m.variables.map((v) => values(v.variable)); // gate [V], a [T, r], b [V, r, T], bias [T, V]
    const x = input(B, T, V, 6);
    const xv = values(x);
    const got = values(m.apply(x));
    for (let n = 0; n < B; n++)
      for (let o = 0; o < T; o++)
        for (let v = 0; v < V; v++) {
          let s = b[o * V + v];
          for (let i = 0; i < T; i++) {
            let w = 0;
            for (let k = 0; k < r; k++) w += A[i * r + k] * Bm[(v * r + k) * T + o];
            s += Math.tanh(g[v] * xv[(n * T + i) * V + v]) * w;
          }
          expect(got[(n * T + o) * V + v]).toBeCloseTo(xv[(n * T + o) * V + v] + s, 5);
        }
    m.dispose();
  });

  it.each([
    ['TAFAS', () => new FullGatedModule(8, 2, 0.01, 'm')],
    ['PETSA', () => new LowRankGatedModule(8, 2, 3, 0.01, 'm', new Rng(2))],
  ])('%s module: tf gradients match central finite differences', (_, make) => {
    const m = make();
    randomize(m, 7, 0.5);
    const x = input(3, 8, 2, 9);
    const target = input(3, 8, 2, 10);
    const lossOf = () => tf.mean(tf.square(tf.sub(tf.sin(m.apply(x)), target))) as tf.Scalar;
    const f = () => tf.tidy(() => lossOf().dataSync()[0]);
    const vars = m.variables.map((v) => v.variable);
    const { grads } = tf.variableGrads(lossOf, vars);
    const rng = new Rng(11);
    for (const v of vars) {
      const g = values(grads[v.name]);
      for (let k = 0; k < Math.min(6, v.size); k++) {
        const j = rng.int(v.size);
        const fd = finiteDifference(v, j, f);
        expect(Math.abs(fd - g[j])).toBeLessThan(2e-3 + 2e-2 * Math.abs(g[j]));
      }
    }
    tf.dispose(grads);
    m.dispose();
  });

  it('parameter counts: TAFAS T^2 V + T V + V; PETSA T r + r T V + T V + V', () => {
    const t = new FullGatedModule(96, 7, 0.01, 'm');
    const p = new LowRankGatedModule(96, 7, 16, 0.01, 'm', new Rng(1));
    expect(t.parameterCount).toBe(96 * 96 * 7 + 96 * 7 + 7);
    expect(p.parameterCount).toBe(96 * 16 + 16 * 96 * 7 + 96 * 7 + 7);
    t.dispose();
    p.dispose();
  });
});
