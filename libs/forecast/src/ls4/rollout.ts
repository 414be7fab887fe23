import { Rng } from '@seqcast/numeric';
import type { S4DState } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { Ls4Network, PriorState, RolloutDiscrete } from './ls4-network';
import type { ParamLookup } from './s4d-unit';

/** Standard normal draws from a seeded Rng. */
export function normalDraws(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

/** Each of the N rows of t [N, ...] repeated `times` times in a row: [N * times, ...]. */
function repeatRows<T extends tf.Tensor>(t: T, times: number): T {
  if (times === 1) return t;
  const [N, ...rest] = t.shape;
  const tiled = tf.tile(tf.expandDims(t, 1), [1, times, ...rest.map(() => 1)]);
  return tf.reshape(tiled, [N * times, ...rest]) as T;
}

/** The same draws [S, ...] for each of N rows: [N * S, ...]. */
function shareAcrossRows<T extends tf.Tensor>(draws: T, rows: number): T {
  if (rows === 1) return draws;
  const [S, ...rest] = draws.shape;
  return tf.reshape(tf.tile(tf.expandDims(draws, 0), [rows, 1, ...rest.map(() => 1)]), [
    rows * S,
    ...rest,
  ]) as T;
}

/** Step factors of a rollout: `context` [N, L] over the conditioning steps, `future` [N, H] over the forecast. */
export interface RolloutTiming {
  context: tf.Tensor2D;
  future: tf.Tensor2D;
}

/** Runs `body` and disposes what the previous carry held that the new one does not (outside gradients only). */
function advance<C extends tf.TensorContainer>(carry: C, tidy: boolean, body: () => C): C {
  if (!tidy) return body();
  const next = tf.tidy(body);
  const keep = new Set(collect(next).map((t) => t.id));
  for (const t of collect(carry)) if (!keep.has(t.id)) t.dispose();
  return next;
}

function collect(c: tf.TensorContainer): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  const walk = (v: unknown) => {
    if (v instanceof tf.Tensor) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(c);
  return out;
}

/**
 * Forecast sample paths conditioned on contexts x [N, L] (LS4's extrapolation): z_1..z_L ~
 * q(z | x) over the context, the prior run over [z0, z_1 .. z_L] by its recurrence (its state
 * and the distribution of z_{L+1}), then z_{L+1..L+H} drawn one step at a time from the prior
 * in recurrent mode, and x_t = decoder mean_t + sigma e_t. Returns paths [N, S, H].
 *
 * Every random number comes from Rng(seed), and every row uses the same draws (common random
 * numbers): a context gets the same paths whichever batch it is in, so `forward` (the mean of
 * these paths as tf ops, differentiable in the context and the weights) equals predict's
 * point forecast. `stepTidy` frees each step's intermediates (predict); leave it off under a
 * gradient tape. Single-channel rows (C = 1).
 */
export function conditionedPaths(
  net: Ls4Network,
  get: ParamLookup,
  x: tf.Tensor2D,
  horizon: number,
  samples: number,
  seed: number,
  o: { timing?: RolloutTiming; stepTidy?: boolean } = {},
): tf.Tensor3D {
  const [N, L] = x.shape;
  const S = samples;
  const Z = net.shape.zDim;
  const rng = new Rng(seed);
  const epsQ = tf.tensor3d(normalDraws(rng, S * Z * L), [S, Z, L]);
  const epsP = Array.from({ length: horizon }, () => tf.tensor2d(normalDraws(rng, S * Z), [S, Z]));
  const epsX = tf.tensor2d(normalDraws(rng, S * horizon), [S, horizon]);
  const ctxScale = o.timing ? repeatRows(o.timing.context, S) : undefined;
  const futScale = o.timing ? repeatRows(o.timing.future, S) : undefined;

  const q = net.encode(get, tf.expandDims(x, 1) as tf.Tensor3D, o.timing?.context);
  const mean = repeatRows(q.mean, S);
  const std = repeatRows(tf.exp(q.logStd), S);
  const zCtx = tf.add(mean, tf.mul(std, shareAcrossRows(epsQ, N))) as tf.Tensor3D; // [NS, Z, L]

  // the prior over [z0, z_1 .. z_L]: its last output is the distribution of z_{L+1}
  const zIn = tf.concat(
    [net.shifted(get, zCtx), tf.slice(zCtx, [0, 0, L - 1], [N * S, Z, 1])],
    2,
  ) as tf.Tensor3D;
  const inScale =
    ctxScale && futScale
      ? (tf.concat([ctxScale, tf.slice(futScale, [0, 0], [N * S, 1])], 1) as tf.Tensor2D)
      : undefined;
  const first = net.priorScan(get, zIn, null, inScale);
  const last = (t: tf.Tensor3D) => tf.squeeze(tf.slice(t, [0, 0, L], [N * S, Z, 1]), [2]) as tf.Tensor2D;
  const discrete = futScale ? undefined : net.discretise(get);
  type Carry = { state: PriorState; mean: tf.Tensor2D; logStd: tf.Tensor2D };
  let carry: Carry = { state: first.state, mean: last(first.dist.mean), logStd: last(first.dist.logStd) };
  const zs: tf.Tensor2D[] = [];
  for (let t = 0; t < horizon; t++) {
    const z = tf.add(carry.mean, tf.mul(tf.exp(carry.logStd), shareAcrossRows(epsP[t], N))) as tf.Tensor2D;
    zs.push(z);
    if (t === horizon - 1) break;
    carry = advance(carry, !!o.stepTidy, () => {
      const dt = futScale
        ? (tf.squeeze(tf.slice(futScale, [0, t + 1], [N * S, 1]), [1]) as tf.Tensor1D)
        : undefined;
      const s = net.priorStep(get, carry.state, z, { dtScale: dt, discrete });
      return { state: s.state, mean: s.dist.mean, logStd: s.dist.logStd };
    });
  }
  // the decoder reads z_<=t: over the context and the drawn future at once
  const zAll = tf.concat([zCtx, tf.stack(zs, 2)], 2) as tf.Tensor3D;
  const allScale = ctxScale && futScale ? (tf.concat([ctxScale, futScale], 1) as tf.Tensor2D) : undefined;
  const dec = net.decode(get, zAll, allScale); // [NS, 1, L + H]
  const means = tf.reshape(tf.slice(dec, [0, 0, L], [N * S, 1, horizon]), [N * S, horizon]);
  const paths = tf.add(means, tf.mul(shareAcrossRows(epsX, N), net.shape.sigma));
  return tf.reshape(paths, [N, S, horizon]) as tf.Tensor3D;
}

/** What generation draws: the latent path, the decoder's means and the sampled values. */
export interface GeneratedPaths {
  /** [count, zDim, length] */
  z: tf.Tensor3D;
  /** [count, C, length] */
  mean: tf.Tensor3D;
  /** [count, C, length]: mean + sigma noise */
  x: tf.Tensor3D;
}

/**
 * Unconditional generation in recurrent mode: from zero states and the learned start z0,
 * z_t ~ p(z_t | z_<t) by one prior step, then one decoder step on z_t gives the mean of x_t;
 * x_t = mean + sigma e_t. `dtScale` [count, length] for irregular steps. Frees each step's
 * intermediates (not for gradients).
 */
export function generatePaths(
  net: Ls4Network,
  get: ParamLookup,
  count: number,
  length: number,
  seed: number,
  dtScale?: tf.Tensor2D,
): GeneratedPaths {
  const Z = net.shape.zDim;
  const C = net.shape.channels;
  const rng = new Rng(seed);
  const discrete: RolloutDiscrete | undefined = dtScale ? undefined : net.discretise(get);
  type Carry = { prior: PriorState; dec: S4DState[]; z: tf.Tensor2D };
  let carry: Carry = {
    prior: net.zeroPriorState(get, count),
    dec: net.decoder.zeroStates(get, count),
    z: tf.broadcastTo(tf.reshape(get('p.z0'), [1, Z]), [count, Z]) as tf.Tensor2D,
  };
  const zs: tf.Tensor2D[] = [];
  const means: tf.Tensor2D[] = [];
  for (let t = 0; t < length; t++) {
    const eps = tf.tensor2d(normalDraws(rng, count * Z), [count, Z]);
    let mean: tf.Tensor2D | null = null;
    carry = advance(carry, true, () => {
      const dt = dtScale
        ? (tf.squeeze(tf.slice(dtScale, [0, t], [count, 1]), [1]) as tf.Tensor1D)
        : undefined;
      const p = net.priorStep(get, carry.prior, carry.z, { dtScale: dt, discrete });
      const z = tf.add(p.dist.mean, tf.mul(tf.exp(p.dist.logStd), eps)) as tf.Tensor2D;
      const d = net.decoder.step(get, carry.dec, z, { dtScale: dt, discrete: discrete?.decoder });
      mean = tf.keep(d.y);
      return { prior: p.state, dec: d.states, z };
    });
    eps.dispose();
    zs.push(tf.keep(carry.z.clone()));
    means.push(mean!);
  }
  if (discrete) tf.dispose(discrete as unknown as tf.TensorContainer);
  tf.dispose(carry);
  return tf.tidy(() => {
    const z = tf.stack(zs, 2) as tf.Tensor3D;
    const mean = tf.stack(means, 2) as tf.Tensor3D;
    const noise = tf.tensor3d(normalDraws(rng, count * C * length), [count, C, length]);
    tf.dispose([...zs, ...means]);
    return { z, mean, x: tf.add(mean, tf.mul(noise, net.shape.sigma)) as tf.Tensor3D };
  });
}
