import { ValidationFailed } from '@seqcast/core';
import { generateImuDeadReckoning, IDEAL_IMU, type ImuDataset } from './imu-dead-reckoning';
import { splitBySequence } from './seq2seq-set';

/**
 * Dead reckoning from ideal sensors: heading by the trapezoid rule on the gyro, world
 * acceleration by rotating the accelerometer, velocity by the trapezoid rule from rest.
 */
function deadReckon(set: ImuDataset, s: number) {
  const [ax, ay, gz] = set.inputs[s];
  const dt = 1 / set.inputRateHz;
  const n = gz.length;
  const heading = new Float64Array(n);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  let wx = 0;
  let wy = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0) heading[k] = heading[k - 1] + (dt * (gz[k - 1] + gz[k])) / 2;
    const c = Math.cos(heading[k]);
    const sn = Math.sin(heading[k]);
    const awx = c * ax[k] - sn * ay[k];
    const awy = sn * ax[k] + c * ay[k];
    if (k > 0) {
      vx[k] = vx[k - 1] + (dt * (wx + awx)) / 2;
      vy[k] = vy[k - 1] + (dt * (wy + awy)) / 2;
    }
    wx = awx;
    wy = awy;
  }
  return { heading, vx, vy };
}

function reckoningError(set: ImuDataset): { velocity: number; heading: number; speedScale: number } {
  let velocity = 0;
  let heading = 0;
  let speed2 = 0;
  let count = 0;
  set.inputs.forEach((_, s) => {
    const r = deadReckon(set, s);
    const [tx, ty] = set.targets[s];
    tx.forEach((_, j) => {
      const k = (j + 1) * set.ratio - 1;
      velocity = Math.max(velocity, Math.abs(r.vx[k] - tx[j]), Math.abs(r.vy[k] - ty[j]));
      speed2 += tx[j] ** 2 + ty[j] ** 2;
      count++;
    });
    r.heading.forEach((h, k) => (heading = Math.max(heading, Math.abs(h - set.truth![s].heading[k]))));
  });
  return { velocity, heading, speedScale: Math.sqrt(speed2 / count) };
}

describe('generateImuDeadReckoning', () => {
  const base = { sequences: 4, outputSteps: 100, seed: 7, includeTruth: true };

  it('ideal sensors: the gyro integrates to the heading and the rotated accelerometer to the velocity target', () => {
    const fine = reckoningError(generateImuDeadReckoning({ ...base, errors: IDEAL_IMU }));
    // the body moves: speeds of order 1 m/s and turns of several radians
    expect(fine.speedScale).toBeGreaterThan(0.3);
    expect(fine.heading).toBeLessThan(2e-3);
    expect(fine.velocity).toBeLessThan(0.01 * fine.speedScale);
    // the residual is discretisation error: it shrinks with the integration step
    const coarse = reckoningError(
      generateImuDeadReckoning({ ...base, errors: IDEAL_IMU, motion: { substeps: 2 } }),
    );
    const finer = reckoningError(
      generateImuDeadReckoning({ ...base, errors: IDEAL_IMU, motion: { substeps: 40 } }),
    );
    expect(finer.velocity).toBeLessThan(coarse.velocity);
    expect(finer.heading).toBeLessThan(coarse.heading);
  });

  it('the default errors make naive dead reckoning drift', () => {
    const noisy = reckoningError(generateImuDeadReckoning(base));
    expect(noisy.velocity).toBeGreaterThan(0.05 * noisy.speedScale);
  });

  it('sensor errors follow their parameters and leave the trajectory alone', () => {
    const ideal = generateImuDeadReckoning({ ...base, errors: IDEAL_IMU });
    const noisy = generateImuDeadReckoning({
      ...base,
      errors: { ...IDEAL_IMU, gyroNoiseStd: 0.02, accelNoiseStd: 0.1 },
    });
    expect(noisy.targets).toEqual(ideal.targets);
    const resid = (ch: number) =>
      noisy.inputs.flatMap((seq, s) => Array.from(seq[ch], (v, k) => v - ideal.inputs[s][ch][k]));
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
    // 4000 draws per channel: the sample sd is within 5% of the truth
    expect(sd(resid(2)) / 0.02).toBeCloseTo(1, 1);
    expect(sd(resid(0)) / 0.1).toBeCloseTo(1, 1);
    // scale error alone multiplies each axis by one constant per sequence
    const scaled = generateImuDeadReckoning({ ...base, errors: { ...IDEAL_IMU, gyroScaleStd: 0.05 } });
    const ratios = Array.from(scaled.inputs[0][2], (v, k) => v / ideal.inputs[0][2][k]).filter((r, k) =>
      Math.abs(ideal.inputs[0][2][k]) > 0.1 ? Number.isFinite(r) : false,
    );
    expect(Math.max(...ratios) - Math.min(...ratios)).toBeLessThan(1e-5);
    expect(Math.abs(ratios[0] - 1)).toBeGreaterThan(1e-4);
  });

  it("input frame 'heading': the accelerometer rotated by the gyro's integrated heading (RoNIN's frame)", () => {
    // ideal sensors: the rotated accelerometer is the true world-frame acceleration
    const ideal = generateImuDeadReckoning({ ...base, errors: IDEAL_IMU, inputFrame: 'heading' });
    expect(ideal.inputChannels).toEqual(['accel_world_x', 'accel_world_y', 'gyro_z']);
    let worst = 0;
    let scale = 0;
    ideal.inputs.forEach(([ax, ay], s) =>
      ax.forEach((v, k) => {
        worst = Math.max(
          worst,
          Math.abs(v - ideal.truth![s].accelX[k]),
          Math.abs(ay[k] - ideal.truth![s].accelY[k]),
        );
        scale = Math.max(scale, Math.abs(ideal.truth![s].accelX[k]));
      }),
    );
    expect(scale).toBeGreaterThan(1);
    expect(worst).toBeLessThan(5e-3 * scale);
    // with sensor errors: the body-frame reading rotated by the dead-reckoned heading (same draws)
    const body = generateImuDeadReckoning(base);
    const aligned = generateImuDeadReckoning({ ...base, inputFrame: 'heading' });
    expect(aligned.targets).toEqual(body.targets);
    body.inputs.forEach(([bx, by, gz], s) => {
      const { heading } = deadReckon(body, s);
      expect(Array.from(aligned.inputs[s][2])).toEqual(Array.from(gz));
      bx.forEach((x, k) => {
        const c = Math.cos(heading[k]);
        const sn = Math.sin(heading[k]);
        expect(aligned.inputs[s][0][k]).toBeCloseTo(c * x - sn * by[k], 4);
        expect(aligned.inputs[s][1][k]).toBeCloseTo(sn * x + c * by[k], 4);
      });
    });
    expect(() => generateImuDeadReckoning({ ...base, inputFrame: 'nav' as 'body' })).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ field: 'inputFrame' })] }),
    );
  });

  it('rates divide: ratio 10 by default, targets ratio times fewer, a non-dividing rate is refused', () => {
    const set = generateImuDeadReckoning({ sequences: 2, outputSteps: 30 });
    expect(set.ratio).toBe(10);
    expect(set.inputChannels).toEqual(['accel_x', 'accel_y', 'gyro_z']);
    set.inputs.forEach((seq, s) =>
      seq.forEach((ch) => expect(ch.length).toBe(set.targets[s][0].length * set.ratio)),
    );
    expect(
      generateImuDeadReckoning({ sequences: 1, outputSteps: 5, inputRateHz: 50, outputRateHz: 5 }).ratio,
    ).toBe(10);
    expect(() => generateImuDeadReckoning({ inputRateHz: 100, outputRateHz: 30 })).toThrow(ValidationFailed);
    try {
      generateImuDeadReckoning({ inputRateHz: 100, outputRateHz: 30 });
    } catch (e) {
      expect((e as ValidationFailed).details[0].field).toBe('outputRateHz');
    }
  });

  it('a seed reproduces the set, another seed changes it; the body frame is the world frame rotated', () => {
    const a = generateImuDeadReckoning({ sequences: 2, outputSteps: 20, seed: 3 });
    expect(generateImuDeadReckoning({ sequences: 2, outputSteps: 20, seed: 3 })).toEqual(a);
    expect(generateImuDeadReckoning({ sequences: 2, outputSteps: 20, seed: 4 }).targets).not.toEqual(
      a.targets,
    );
    const world = generateImuDeadReckoning({ ...base, sequences: 1 });
    const body = generateImuDeadReckoning({ ...base, sequences: 1, targetFrame: 'body' });
    const [wx, wy] = world.targets[0];
    const [bx, by] = body.targets[0];
    wx.forEach((_, j) => {
      const th = world.truth![0].heading[(j + 1) * world.ratio - 1];
      expect(bx[j]).toBeCloseTo(Math.cos(th) * wx[j] + Math.sin(th) * wy[j], 5);
      expect(by[j]).toBeCloseTo(-Math.sin(th) * wx[j] + Math.cos(th) * wy[j], 5);
    });
  });

  it('splits by whole sequences', () => {
    const set = generateImuDeadReckoning({ sequences: 20, outputSteps: 5, includeTruth: true });
    const { train, validation, test } = splitBySequence(set, { validation: 0.15, test: 0.15 }, 1);
    expect([train.inputs.length, validation.inputs.length, test.inputs.length]).toEqual([14, 3, 3]);
    const all = [...train.inputs, ...validation.inputs, ...test.inputs];
    expect(new Set(all).size).toBe(20);
    all.forEach((seq) => expect(set.inputs).toContain(seq));
    // per-sequence truth follows its sequence
    test.inputs.forEach((seq, i) => expect(test.truth![i]).toBe(set.truth![set.inputs.indexOf(seq)]));
    expect(() => splitBySequence(set, { validation: 0.5, test: 0.5 })).toThrow(ValidationFailed);
  });
});
