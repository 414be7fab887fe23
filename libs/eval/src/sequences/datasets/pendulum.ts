import { Rng } from '@seqcast/numeric';
import { simulateHawkesSequence, type SequenceRow } from '@seqcast/events';
import type { SequenceDataset } from './sequence-dataset';

export interface PendulumOptions {
  /** Sequences in the pool and in the test set. */
  pool: number;
  test: number;
  seed: number;
  /** Lengths drawn uniformly from this range (metres). */
  lengthRange: [number, number];
  /** Observation window (seconds). */
  duration: number;
  /** Hawkes observation process: base rate, jump and decay (events per second). */
  observation: { mu: number; alpha: number; beta: number };
  /** Damping rate of the angular velocity (1/s). */
  damping: number;
  /** Standard deviation of the noise on the observed coordinates. */
  noise: number;
}

export const DEFAULT_PENDULUM: PendulumOptions = {
  pool: 800,
  test: 400,
  seed: 0,
  lengthRange: [0.5, 2],
  duration: 5,
  observation: { mu: 3, alpha: 1, beta: 2 },
  damping: 0.1,
  noise: 0.02,
};

const G = 9.81;

/** theta'' = -(g / L) sin theta - damping theta', one RK4 step of size h on [theta, omega]. */
function rk4(state: [number, number], h: number, L: number, damping: number): [number, number] {
  const f = (th: number, om: number): [number, number] => [om, -(G / L) * Math.sin(th) - damping * om];
  const [th, om] = state;
  const k1 = f(th, om);
  const k2 = f(th + (h / 2) * k1[0], om + (h / 2) * k1[1]);
  const k3 = f(th + (h / 2) * k2[0], om + (h / 2) * k2[1]);
  const k4 = f(th + h * k3[0], om + h * k3[1]);
  return [
    th + (h / 6) * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
    om + (h / 6) * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]),
  ];
}

/** The angle at each of `times` (increasing), integrating from (theta0, omega0) at 0 in steps of at most 5 ms. */
export function pendulumAngles(
  times: number[],
  L: number,
  theta0: number,
  omega0: number,
  damping: number,
): number[] {
  let state: [number, number] = [theta0, omega0];
  let t = 0;
  return times.map((target) => {
    while (t < target) {
      const h = Math.min(0.005, target - t);
      state = rk4(state, h, L, damping);
      t += h;
    }
    return state[0];
  });
}

/**
 * EBES's synthetic Pendulum, built here: a damped pendulum of random length released from a
 * random angle and velocity, observed at the times of a univariate Hawkes process (bursty,
 * irregular sampling). Each event carries the bob's coordinates on the unit circle
 * (sin theta, -cos theta, plus noise) so the length shows only through the dynamics (the
 * period 2 pi sqrt(L / g)), which needs the event times: the target is the length.
 */
export function pendulumDataset(options: Partial<PendulumOptions> = {}): SequenceDataset {
  const o = { ...DEFAULT_PENDULUM, ...options };
  const rng = new Rng(o.seed * 1_000_003 + 11);
  const hawkes = { mu: [o.observation.mu], alpha: [[o.observation.alpha]], beta: [[o.observation.beta]] };
  const draw = (): SequenceRow => {
    const L = o.lengthRange[0] + (o.lengthRange[1] - o.lengthRange[0]) * rng.next();
    const theta0 = (rng.next() < 0.5 ? -1 : 1) * (0.3 + 0.9 * rng.next());
    const omega0 = 2 * rng.next() - 1;
    let times: number[] = [];
    while (times.length < 3) times = simulateHawkesSequence(hawkes, rng, { endTime: o.duration }).times;
    const angles = pendulumAngles(times, L, theta0, omega0, o.damping);
    return {
      times,
      numeric: angles.map((a) => [
        Math.sin(a) + o.noise * rng.normal(),
        -Math.cos(a) + o.noise * rng.normal(),
      ]),
      target: L,
    };
  };
  const pool = Array.from({ length: o.pool }, draw);
  const test = Array.from({ length: o.test }, draw);
  return {
    name: 'pendulum',
    schema: { task: 'regression', numericFeatures: 2, categoricalCardinalities: [] },
    pool,
    test,
  };
}
