import { ValidationFailed } from '@seqcast/core';
import { deriveSeed, Rng } from '@seqcast/numeric';
import { rateRatio, type Seq2SeqSet } from './seq2seq-set';
import { SmoothNoise } from './smooth-noise';

/**
 * A synthetic dead-reckoning benchmark for HiSS (its RoNIN / TotalCapture tasks map IMU
 * streams to motion at a lower rate): a planar rigid body moving under random smooth forces
 * and torques, carrying a 2-axis accelerometer and a yaw gyroscope sampled at 100 Hz with
 * the errors of a MEMS IMU, and the body's velocity as the target at 10 Hz.
 *
 * Physics (unit mass and inertia, SI units): body-frame force F_b and torque T are smooth
 * noise (smooth-noise.ts); world-frame acceleration a_w = R(theta) F_b - linearDrag v (drag
 * keeps the speed stationary); yaw acceleration = T - angularDrag omega. Integrated by
 * semi-implicit Euler with `substeps` steps per sample. The body starts at rest with heading
 * 0, so the world frame is the body's initial frame and the task is well posed (velocity is
 * the integral of the rotated specific force). The plane is horizontal: gravity is along the
 * body's z axis and does not enter the two measured axes.
 *
 * Sensors, sampled at each input time t_k = k / inputRateHz:
 *   accel = (1 + s_a) . R(theta)^T a_w + b_a(t) + noise,   gyro = (1 + s_g) omega + b_g(t) + noise,
 * with per-sequence scale errors s ~ N(0, scaleStd^2) per axis, biases starting N(0, biasStd^2)
 * and drifting as random walks (biasWalk per sqrt(s)), and white noise per sample.
 *
 * Targets: velocity at the time of the last input sample of each chunk of `ratio` samples,
 * in the world frame (default) or the body frame.
 *
 * Input frame: 'body' gives the accelerometer as the sensor reads it. 'heading' gives it
 * rotated into the world frame by the heading the measured gyro integrates to (trapezoid rule
 * from the known start, heading 0), as HiSS's IMU datasets give theirs (RoNIN's
 * heading-agnostic frame: the device's orientation estimate applied to its accelerometer; in
 * the plane, without a magnetometer, that estimate is the integrated gyro, so it drifts with
 * the gyro's bias and scale errors). From body-frame inputs a world-frame target needs the
 * cosine and sine of the whole history's integrated turn rate, which none of HiSS's baselines
 * (nor HiSS) learns from 42 sequences: every model's test MSE stays at the variance
 * (docs/benchmarks.md, HiSS on the IMU benchmark).
 */
export interface ImuSensorErrors {
  /** White noise per sample, m/s^2 and rad/s. */
  accelNoiseStd: number;
  gyroNoiseStd: number;
  /** Spread of the initial biases. */
  accelBiasStd: number;
  gyroBiasStd: number;
  /** Bias random walk, per sqrt(second). */
  accelBiasWalk: number;
  gyroBiasWalk: number;
  /** Relative scale error, per axis. */
  accelScaleStd: number;
  gyroScaleStd: number;
}

/** A consumer-grade MEMS IMU at 100 Hz (orders of magnitude of common datasheets). */
export const DEFAULT_IMU_ERRORS: ImuSensorErrors = {
  accelNoiseStd: 0.02,
  gyroNoiseStd: 0.005,
  accelBiasStd: 0.05,
  gyroBiasStd: 0.005,
  accelBiasWalk: 0.005,
  gyroBiasWalk: 0.0005,
  accelScaleStd: 0.01,
  gyroScaleStd: 0.01,
};

export const IDEAL_IMU: ImuSensorErrors = {
  accelNoiseStd: 0,
  gyroNoiseStd: 0,
  accelBiasStd: 0,
  gyroBiasStd: 0,
  accelBiasWalk: 0,
  gyroBiasWalk: 0,
  accelScaleStd: 0,
  gyroScaleStd: 0,
};

export interface ImuMotion {
  /** Standard deviation of each body-frame force component, m/s^2 (unit mass). */
  forceStd: number;
  forceTimeConstant: number;
  /** Standard deviation of the torque, rad/s^2 (unit inertia). */
  torqueStd: number;
  torqueTimeConstant: number;
  /** Linear and angular damping, 1/s. */
  linearDrag: number;
  angularDrag: number;
  /** Integration steps per input sample. */
  substeps: number;
}

export const DEFAULT_IMU_MOTION: ImuMotion = {
  forceStd: 1,
  forceTimeConstant: 0.5,
  torqueStd: 3,
  torqueTimeConstant: 0.3,
  linearDrag: 0.4,
  angularDrag: 1.5,
  substeps: 10,
};

export interface ImuBenchmarkOptions {
  sequences?: number;
  /** Targets per sequence (at the output rate); inputs are `ratio` times as many. Default 200 (20 s). */
  outputSteps?: number;
  inputRateHz?: number;
  outputRateHz?: number;
  seed?: number;
  errors?: Partial<ImuSensorErrors>;
  motion?: Partial<ImuMotion>;
  targetFrame?: 'world' | 'body';
  /** The accelerometer as read ('body', the default) or rotated by the gyro-integrated heading ('heading'). */
  inputFrame?: ImuInputFrame;
  /** Also return the true state at the input rate (for tests and plots). */
  includeTruth?: boolean;
}

/** The true state at each input sample. */
export interface ImuTruth {
  heading: Float64Array;
  yawRate: Float64Array;
  /** World-frame acceleration, x and y. */
  accelX: Float64Array;
  accelY: Float64Array;
  /** World-frame velocity, x and y. */
  velX: Float64Array;
  velY: Float64Array;
}

export type ImuInputFrame = 'body' | 'heading';

export interface ImuDataset extends Seq2SeqSet {
  targetFrame: 'world' | 'body';
  inputFrame: ImuInputFrame;
  truth?: ImuTruth[];
}

export const IMU_INPUT_CHANNELS = ['accel_x', 'accel_y', 'gyro_z'];
const HEADING_INPUT_CHANNELS = ['accel_world_x', 'accel_world_y', 'gyro_z'];

export function generateImuDeadReckoning(options: ImuBenchmarkOptions = {}): ImuDataset {
  const inputRateHz = options.inputRateHz ?? 100;
  const outputRateHz = options.outputRateHz ?? 10;
  const ratio = rateRatio(inputRateHz, outputRateHz);
  const sequences = options.sequences ?? 60;
  const outputSteps = options.outputSteps ?? 200;
  const errors = { ...DEFAULT_IMU_ERRORS, ...options.errors };
  const motion = { ...DEFAULT_IMU_MOTION, ...options.motion };
  const frame = options.targetFrame ?? 'world';
  const inputFrame = options.inputFrame ?? 'body';
  checkCounts(sequences, outputSteps, motion.substeps);
  const problems = Object.entries({ ...errors, ...motion })
    .filter(([, v]) => !(Number.isFinite(v) && v >= 0))
    .map(([field]) => ({ field, reason: 'must be a finite non-negative number' }));
  if (!['body', 'heading'].includes(inputFrame))
    problems.push({ field: 'inputFrame', reason: "must be 'body' or 'heading'" });
  for (const field of ['forceTimeConstant', 'torqueTimeConstant'] as const) {
    if (!(motion[field] > 0)) problems.push({ field, reason: 'must be positive' });
  }
  if (problems.length) throw new ValidationFailed('Invalid IMU benchmark options', problems);

  const seed = options.seed ?? 0;
  const n = outputSteps * ratio;
  const dt = 1 / inputRateHz;
  const h = dt / motion.substeps;
  const out: ImuDataset = {
    inputs: [],
    targets: [],
    ratio,
    inputRateHz,
    outputRateHz,
    inputChannels: [...(inputFrame === 'heading' ? HEADING_INPUT_CHANNELS : IMU_INPUT_CHANNELS)],
    targetChannels: frame === 'world' ? ['vel_world_x', 'vel_world_y'] : ['vel_body_x', 'vel_body_y'],
    targetFrame: frame,
    inputFrame,
  };
  if (options.includeTruth) out.truth = [];

  for (let s = 0; s < sequences; s++) {
    // separate streams: the trajectory does not change when the sensor errors do
    const motionRng = new Rng(deriveSeed(seed, s, 1));
    const sensorRng = new Rng(deriveSeed(seed, s, 2));
    const fx = new SmoothNoise(motionRng, motion.forceTimeConstant, h);
    const fy = new SmoothNoise(motionRng, motion.forceTimeConstant, h);
    const tq = new SmoothNoise(motionRng, motion.torqueTimeConstant, h);
    const truth: ImuTruth = {
      heading: new Float64Array(n),
      yawRate: new Float64Array(n),
      accelX: new Float64Array(n),
      accelY: new Float64Array(n),
      velX: new Float64Array(n),
      velY: new Float64Array(n),
    };
    let vx = 0;
    let vy = 0;
    let theta = 0;
    let omega = 0;
    const acceleration = () => {
      const c = Math.cos(theta);
      const sn = Math.sin(theta);
      const bx = motion.forceStd * fx.value;
      const by = motion.forceStd * fy.value;
      return [c * bx - sn * by - motion.linearDrag * vx, sn * bx + c * by - motion.linearDrag * vy];
    };
    for (let k = 0; k < n; k++) {
      const [ax, ay] = acceleration();
      truth.heading[k] = theta;
      truth.yawRate[k] = omega;
      truth.accelX[k] = ax;
      truth.accelY[k] = ay;
      truth.velX[k] = vx;
      truth.velY[k] = vy;
      for (let j = 0; j < motion.substeps; j++) {
        const [sx, sy] = j === 0 ? [ax, ay] : acceleration();
        const alpha = motion.torqueStd * tq.value - motion.angularDrag * omega;
        vx += sx * h;
        vy += sy * h;
        omega += alpha * h;
        theta += omega * h;
        fx.step();
        fy.step();
        tq.step();
      }
    }

    const scale = [errors.accelScaleStd, errors.accelScaleStd, errors.gyroScaleStd].map(
      (sd) => 1 + sd * sensorRng.normal(),
    );
    const bias = [errors.accelBiasStd, errors.accelBiasStd, errors.gyroBiasStd].map(
      (sd) => sd * sensorRng.normal(),
    );
    const walk = [errors.accelBiasWalk, errors.accelBiasWalk, errors.gyroBiasWalk].map(
      (w) => w * Math.sqrt(dt),
    );
    const noise = [errors.accelNoiseStd, errors.accelNoiseStd, errors.gyroNoiseStd];
    const channels = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    for (let k = 0; k < n; k++) {
      const c = Math.cos(truth.heading[k]);
      const sn = Math.sin(truth.heading[k]);
      // specific force in the body frame: R^T a_w
      const ideal = [
        c * truth.accelX[k] + sn * truth.accelY[k],
        -sn * truth.accelX[k] + c * truth.accelY[k],
        truth.yawRate[k],
      ];
      for (let i = 0; i < 3; i++) {
        channels[i][k] = scale[i] * ideal[i] + bias[i] + noise[i] * sensorRng.normal();
        bias[i] += walk[i] * sensorRng.normal();
      }
    }

    if (inputFrame === 'heading') alignWithGyroHeading(channels, dt);

    const tx = new Float32Array(outputSteps);
    const ty = new Float32Array(outputSteps);
    for (let j = 0; j < outputSteps; j++) {
      const k = (j + 1) * ratio - 1;
      if (frame === 'world') {
        tx[j] = truth.velX[k];
        ty[j] = truth.velY[k];
      } else {
        const c = Math.cos(truth.heading[k]);
        const sn = Math.sin(truth.heading[k]);
        tx[j] = c * truth.velX[k] + sn * truth.velY[k];
        ty[j] = -sn * truth.velX[k] + c * truth.velY[k];
      }
    }
    out.inputs.push(channels);
    out.targets.push([tx, ty]);
    out.truth?.push(truth);
  }
  return out;
}

/**
 * Rotates the accelerometer (channels 0, 1) in place by the heading the gyro (channel 2)
 * integrates to by the trapezoid rule from heading 0.
 */
function alignWithGyroHeading(channels: Float32Array[], dt: number): void {
  const [ax, ay, gz] = channels;
  let heading = 0;
  for (let k = 0; k < gz.length; k++) {
    if (k > 0) heading += (dt * (gz[k - 1] + gz[k])) / 2;
    const c = Math.cos(heading);
    const sn = Math.sin(heading);
    const x = ax[k];
    const y = ay[k];
    ax[k] = c * x - sn * y;
    ay[k] = sn * x + c * y;
  }
}

export function checkCounts(sequences: number, outputSteps: number, substeps = 1): void {
  const problems = [];
  if (!(Number.isInteger(sequences) && sequences >= 1))
    problems.push({ field: 'sequences', reason: 'must be a positive integer' });
  if (!(Number.isInteger(outputSteps) && outputSteps >= 1))
    problems.push({ field: 'outputSteps', reason: 'must be a positive integer' });
  if (!(Number.isInteger(substeps) && substeps >= 1))
    problems.push({ field: 'substeps', reason: 'must be a positive integer' });
  if (problems.length) throw new ValidationFailed('Invalid generator options', problems);
}
