import * as tf from '@tensorflow/tfjs';
import { Rng } from '@seqcast/numeric';
import { selectBackend } from '@seqcast/tensor';
import { ParamSet } from './param-set';
import { VariableCorrection } from './variable-correction';

// The loss is quadratic in any one parameter (the map is linear in each), so a central
// difference is its exact derivative whatever the step: a check free of truncation error.
describe('variable correction', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it("gradients match central differences, the mixing's included", () => {
    const [L, H, V, d] = [5, 3, 2, 4];
    const params = new ParamSet();
    const corr = new VariableCorrection(params, new Rng(1), L, H, V, d);
    // move every tensor off its start (the read-out starts at zero, which would hide the mixing's gradient)
    const rng = new Rng(2);
    const json = params.toJSON();
    for (const p of Object.values(json)) p.values = p.values.map(() => Math.fround(rng.normal() * 0.5));
    params.load(json);
    const x = tf.tensor3d(
      Float32Array.from({ length: L * V }, () => rng.normal()),
      [1, L, V],
    );
    const y = tf.tensor3d(
      Float32Array.from({ length: H * V }, () => rng.normal()),
      [1, H, V],
    );
    const loss = () => tf.mean(tf.square(tf.sub(corr.apply(x), y))) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, params.variables);
    const names = Object.keys(json);
    params.variables.forEach((variable, k) => {
      const g = grads[variable.name].dataSync();
      const base = json[names[k]].values;
      for (const j of [0, base.length - 1, Math.floor(base.length / 2)]) {
        const at = (delta: number) => {
          const moved = {
            ...json,
            [names[k]]: { ...json[names[k]], values: base.map((b, i) => (i === j ? b + delta : b)) },
          };
          params.load(moved);
          return tf.tidy(() => loss().dataSync()[0]);
        };
        const fd = (at(0.25) - at(-0.25)) / 0.5;
        expect(g[j]).toBeCloseTo(fd, 3);
      }
      params.load(json);
    });
    tf.dispose([x, y, ...Object.values(grads)]);
    params.dispose();
  });

  it('a univariate mixing is a scalar and the output is zero at start', () => {
    const params = new ParamSet();
    const corr = new VariableCorrection(params, new Rng(3), 6, 2, 1, 3);
    expect(params.toJSON()['variable.mixing']).toEqual({ shape: [1, 1], values: [1] });
    const out = tf.tidy(() => Array.from(corr.apply(tf.ones([1, 6, 1]) as tf.Tensor3D).dataSync()));
    expect(out).toEqual([0, 0]);
    params.dispose();
  });
});
