import { fitSoftmaxRegression, Rng, softmaxProbabilities } from '@seqcast/numeric';

describe('softmax regression', () => {
  it('with an intercept only and no penalty, predicts the class frequencies (the closed-form MLE)', () => {
    const y = [0, 0, 0, 1, 1, 2, 0, 1, 0, 0]; // 6 / 3 / 1 of 10
    const x = new Float64Array(y.length).fill(1);
    const fit = fitSoftmaxRegression(x, y.length, 1, y, 3, { l2: 0, unpenalized: [0] });
    expect(fit.converged).toBe(true);
    const p = softmaxProbabilities(fit.weights, x, 1, 1, 3);
    [0.6, 0.3, 0.1].forEach((v, k) => expect(p[k]).toBeCloseTo(v, 7));
  });

  it("on a one-hot category with no penalty, predicts each category's empirical class frequencies (the saturated MLE)", () => {
    // a 3-state chain's transitions counted by hand: from 0: 0,0,1,2; from 1: 1,1,1,0; from 2: 2,0
    const prev = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2];
    const next = [0, 0, 1, 2, 1, 1, 1, 0, 2, 0];
    const x = new Float64Array(prev.length * 3);
    prev.forEach((c, n) => (x[n * 3 + c] = 1));
    const fit = fitSoftmaxRegression(x, prev.length, 3, next, 3, { l2: 0, unpenalized: [0, 1, 2] });
    expect(fit.converged).toBe(true);
    const expected = [
      [2 / 4, 1 / 4, 1 / 4],
      [1 / 4, 3 / 4, 0],
      [1 / 2, 0, 1 / 2],
    ];
    const p = softmaxProbabilities(fit.weights, Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), 3, 3, 3);
    // the zero cells are limits (weights to -infinity): close, not equal
    expected.forEach((row, c) =>
      row.forEach((v, k) => expect(Math.abs(p[c * 3 + k] - v)).toBeLessThan(1e-4)),
    );
  });

  it('with a penalty, satisfies the optimality condition X^T (P - Y) + l2 W = 0 and beats nearby weights', () => {
    const rng = new Rng(5);
    const rows = 300;
    const D = 4;
    const K = 3;
    const x = new Float64Array(rows * D);
    const y: number[] = [];
    for (let n = 0; n < rows; n++) {
      x[n * D] = 1;
      for (let d = 1; d < D; d++) x[n * D + d] = rng.normal();
      // classes from a known linear rule plus noise
      const z = [x[n * D + 1] + 0.5 * rng.normal(), -x[n * D + 2] + 0.5 * rng.normal(), 0];
      y.push(z.indexOf(Math.max(...z)));
    }
    const l2 = 2.5;
    const fit = fitSoftmaxRegression(x, rows, D, y, K, { l2, unpenalized: [0] });
    expect(fit.converged).toBe(true);
    const p = softmaxProbabilities(fit.weights, x, rows, D, K);
    for (let k = 0; k < K - 1; k++) {
      for (let d = 0; d < D; d++) {
        let g = d === 0 ? 0 : l2 * fit.weights[k * D + d];
        for (let n = 0; n < rows; n++) g += x[n * D + d] * (p[n * K + k] - (y[n] === k ? 1 : 0));
        expect(Math.abs(g)).toBeLessThan(1e-5); // a sum over 300 rows: 3e-8 a row
      }
    }
    // the objective, computed here from its definition, is lowest at the fit
    const objectiveAt = (w: Float64Array): number => {
      const q = softmaxProbabilities(w, x, rows, D, K);
      let v = 0;
      y.forEach((c, n) => (v -= Math.log(q[n * K + c])));
      w.forEach((wi, i) => (v += i % D === 0 ? 0 : 0.5 * l2 * wi * wi));
      return v / rows;
    };
    expect(objectiveAt(fit.weights)).toBeCloseTo(fit.objective, 6);
    for (let i = 0; i < fit.weights.length; i++) {
      const w = Float64Array.from(fit.weights);
      w[i] += 0.01;
      expect(objectiveAt(w)).toBeGreaterThan(fit.objective);
    }
  });
});
