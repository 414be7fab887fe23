import { ValidationFailed } from '@seqcast/core';
import { solveSpd } from '@seqcast/numeric';
import { generateTactileArray, IDEAL_TACTILE, type TactileDataset } from './tactile-array';

/**
 * The closed-form inverse of the noiseless sensor at input sample k: undo the first-order
 * lag, then fit log q_i + |p_i|^2 / (2 w^2) = b0 + b1 x_i + b2 y_i by least squares;
 * c = w^2 (b1, b2), log F = b0 + |c|^2 / (2 w^2).
 */
function invert(set: TactileDataset, s: number, k: number, undoLag = true) {
  const w2 = set.spread ** 2;
  const m = set.taxelX.length;
  const g = new Float64Array(9);
  const r = new Float64Array(3);
  for (let i = 0; i < m; i++) {
    const now = set.inputs[s][i][k];
    const q = undoLag && k > 0 ? set.inputs[s][i][k - 1] + (now - set.inputs[s][i][k - 1]) / set.lag : now;
    const row = [1, set.taxelX[i], set.taxelY[i]];
    const y = Math.log(q) + (set.taxelX[i] ** 2 + set.taxelY[i] ** 2) / (2 * w2);
    for (let a = 0; a < 3; a++) {
      r[a] += row[a] * y;
      for (let b = 0; b < 3; b++) g[a * 3 + b] += row[a] * row[b];
    }
  }
  const [b0, b1, b2] = solveSpd(g, 3, r, 1);
  const cx = w2 * b1;
  const cy = w2 * b2;
  return [Math.exp(b0 + (cx * cx + cy * cy) / (2 * w2)), cx, cy];
}

function worstRecovery(set: TactileDataset, undoLag = true): number {
  let worst = 0;
  set.targets.forEach((tg, s) => {
    for (let j = 0; j < tg[0].length; j++) {
      const got = invert(set, s, (j + 1) * set.ratio - 1, undoLag);
      worst = Math.max(
        worst,
        Math.abs(got[0] - tg[0][j]) / tg[0][j],
        Math.abs(got[1] - tg[1][j]),
        Math.abs(got[2] - tg[2][j]),
      );
    }
  });
  return worst;
}

describe('generateTactileArray', () => {
  const base = { sequences: 3, outputSteps: 40, seed: 5 };

  it('noise off: force and contact location are recovered by the closed-form map (lag undone)', () => {
    const set = generateTactileArray({ ...base, errors: IDEAL_TACTILE });
    expect(set.inputChannels.length).toBe(16);
    expect(worstRecovery(set)).toBeLessThan(2e-3);
    // without undoing the lag the same map is off: the skin's hysteresis is real
    expect(worstRecovery(set, false)).toBeGreaterThan(10 * worstRecovery(set));
    // and with no relaxation the readings are the instantaneous profile
    expect(
      worstRecovery(generateTactileArray({ ...base, errors: IDEAL_TACTILE, relaxationTime: 0 }), false),
    ).toBeLessThan(2e-3);
  });

  it('targets move over the pad and stay inside it; the force stays above its floor', () => {
    const set = generateTactileArray({ ...base, sequences: 2, outputSteps: 200 });
    const xs = set.targets.flatMap((t) => Array.from(t[1]));
    const fs = set.targets.flatMap((t) => Array.from(t[0]));
    expect(Math.max(...xs.map(Math.abs))).toBeLessThanOrEqual(1.5);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(1);
    expect(Math.min(...fs)).toBeGreaterThanOrEqual(0.2 - 1e-6);
  });

  it('readout errors follow their parameters and leave the contact alone', () => {
    const ideal = generateTactileArray({ ...base, errors: IDEAL_TACTILE });
    const noisy = generateTactileArray({ ...base, errors: { ...IDEAL_TACTILE, noiseStd: 0.05 } });
    expect(noisy.targets).toEqual(ideal.targets);
    const resid = noisy.inputs.flatMap((seq, s) =>
      seq.flatMap((ch, i) => Array.from(ch, (v, k) => v - ideal.inputs[s][i][k])),
    );
    const sd = Math.sqrt(resid.reduce((a, x) => a + x * x, 0) / resid.length);
    expect(sd / 0.05).toBeCloseTo(1, 1);
  });

  it('rates divide, seeds reproduce, bad options name their field', () => {
    const set = generateTactileArray({
      sequences: 2,
      outputSteps: 8,
      inputRateHz: 200,
      outputRateHz: 20,
      seed: 1,
    });
    expect(set.ratio).toBe(10);
    set.inputs[0].forEach((ch) => expect(ch.length).toBe(80));
    expect(
      generateTactileArray({ sequences: 2, outputSteps: 8, inputRateHz: 200, outputRateHz: 20, seed: 1 }),
    ).toEqual(set);
    expect(generateTactileArray({ sequences: 2, outputSteps: 8, seed: 2 }).targets).not.toEqual(
      generateTactileArray({ sequences: 2, outputSteps: 8, seed: 1 }).targets,
    );
    for (const [opts, field] of [
      [{ inputRateHz: 100, outputRateHz: 7 }, 'outputRateHz'],
      [{ rows: 1 }, 'rows'],
      [{ spread: 0 }, 'spread'],
      [{ sequences: 0 }, 'sequences'],
    ] as const) {
      try {
        generateTactileArray(opts);
        fail(`expected ${field} to be refused`);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationFailed);
        expect((e as ValidationFailed).details.map((d) => d.field)).toContain(field);
      }
    }
  });
});
