import { adapterRegistry, frozenForecast, type Adapter } from '@seqcast/adapt';
import { throwIfCancelled, WorkContext } from '@seqcast/core';
import { Calibrator, calibratorRegistry } from '@seqcast/conformal';
import type { Forecaster } from '@seqcast/forecast';
import * as tf from '@tensorflow/tfjs';

/**
 * The online protocol of test-time adaptation (PETSA/TAFAS, OneNet): one series split in time
 * order into train / validation / test; the model is fitted on train (validation for early
 * stopping) and frozen; the test part is fed one step at a time, and at every origin s the
 * forecast of [s, s + H) is made before any of its truths arrive, then y[s] is observed. The
 * score is over every window whose horizon lies in the test part: what was predicted before
 * each truth arrived. Values are standardised by the train part's mean and std per channel
 * (as the papers' loaders do), so MSE and MAE are in those units.
 */
export interface OnlineProtocolInput {
  /** The series, one array per channel (raw units). */
  channels: ReadonlyArray<ArrayLike<number>>;
  lookback: number;
  horizon: number;
  /** Ends (exclusive) of train and validation; the test part runs from `validEnd` to the end. */
  trainEnd: number;
  validEnd: number;
  /** The forecaster (unfitted; fitted here on train). */
  model: { name: string; create: () => Forecaster };
  /** Adapters to run, each on its own copy of the stream (the frozen model is shared). */
  adapters: ReadonlyArray<{ name: string; method: string; options?: Record<string, unknown> }>;
  /** Conformal intervals around every forecast (frozen and adapted): fitted on validation residuals, each step updated as soon as its truth is observed. */
  intervals?: { method: string; alpha: number; options?: Record<string, unknown> };
  /** Score only every `stride`-th origin (1: all; larger for quick runs; the stream still sees every step). */
  stride?: number;
}

export interface OnlineProtocolRow {
  model: string;
  /** 'none' for the frozen model, else the adapter's name. */
  adapter: string;
  method: string | null;
  windows: number;
  mse: number;
  mae: number;
  parameterCount: number;
  /** Mean milliseconds of one observe (adaptation included) over the test stream. */
  msPerStep: number;
  /** Intervals, when asked: empirical coverage and mean width (standardised units). */
  coverage?: number;
  width?: number;
}

interface Scored {
  se: number;
  ae: number;
  n: number;
  windows: number;
  covered: number;
  points: number;
  width: number;
}

const fresh = (): Scored => ({ se: 0, ae: 0, n: 0, windows: 0, covered: 0, points: 0, width: 0 });

/** Train mean and population std per channel (std 0 gives 1). */
function trainScale(
  channels: ReadonlyArray<ArrayLike<number>>,
  end: number,
): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  for (const ch of channels) {
    let s = 0;
    for (let i = 0; i < end; i++) s += ch[i];
    const m = s / end;
    let v = 0;
    for (let i = 0; i < end; i++) v += (ch[i] - m) ** 2;
    mean.push(m);
    std.push(Math.sqrt(v / end) || 1);
  }
  return { mean, std };
}

export async function runOnlineProtocol(
  o: OnlineProtocolInput,
  ctx: WorkContext,
): Promise<OnlineProtocolRow[]> {
  const { lookback: L, horizon: H, trainEnd, validEnd } = o;
  const T = o.channels[0].length;
  if (!(L < trainEnd && trainEnd < validEnd && validEnd + H <= T))
    throw new Error(
      `online protocol needs lookback < trainEnd < validEnd <= length - horizon (got ${L}, ${trainEnd}, ${validEnd}, ${T})`,
    );
  const C = o.channels.length;
  const scale = trainScale(o.channels, trainEnd);
  const z = o.channels.map((ch, c) => Float32Array.from(ch, (v) => (v - scale.mean[c]) / scale.std[c]));
  const model = o.model.create();
  ctx.progress(0, `fitting ${o.model.name}`);
  await model.fit(
    [z.map((ch) => ch.slice(0, trainEnd))],
    [z.map((ch) => ch.slice(trainEnd - L, validEnd))],
    ctx,
  );
  const identity = { mean: new Array<number>(C).fill(0), std: new Array<number>(C).fill(1) };
  const frozen = frozenForecast(
    (x, h) => model.forward(x, h),
    { lookback: L, channels: C, maxHorizon: model.maxHorizon },
    identity,
  );
  const validResiduals = o.intervals ? residualsOn(model, z, trainEnd, validEnd, L, H) : undefined;
  const stride = Math.max(1, o.stride ?? 1);
  const rows: OnlineProtocolRow[] = [];
  const runs: Array<{ name: string; method: string | null; adapter: Adapter | null }> = [
    { name: 'none', method: null, adapter: null },
    ...o.adapters.map((a) => ({
      name: a.name,
      method: a.method,
      adapter: adapterRegistry.create(a.method, a.options ?? {}, { frozen, horizon: H, scale: identity }),
    })),
  ];
  try {
    for (const [r, run] of runs.entries()) {
      const scored = fresh();
      const cals = validResiduals && o.intervals ? calibrators(o.intervals, validResiduals) : undefined;
      const pending: Array<{ s: number; pred: Float32Array[] }> = [];
      run.adapter?.start(z.map((ch) => ch.slice(validEnd - L, validEnd)));
      let observeMs = 0;
      let steps = 0;
      for (let s = validEnd; s < T; s++) {
        if (s + H <= T && (s - validEnd) % stride === 0) {
          const pred = run.adapter ? run.adapter.forecast() : frozenPredict(frozen, z, s, L, H);
          score(scored, pred, z, s, H, cals);
          if (cals) pending.push({ s, pred });
        }
        const t0 = performance.now();
        // the stream's time 0 is validEnd - L
        run.adapter?.observe(
          z.map((ch) => [ch[s]]),
          s - (validEnd - L),
        );
        observeMs += performance.now() - t0;
        steps++;
        // each step of every pending window learns its residual as soon as its truth is observed
        // (partial truths: step h of the window from origin w.s is known at time w.s + h)
        if (cals)
          for (const w of pending)
            if (w.s <= s) cals.forEach((cal, c) => cal.update([z[c][s]], [w.pred[c][s - w.s]], s - w.s));
        while (cals && pending.length && pending[0].s + H - 1 <= s) pending.shift();
        if ((s - validEnd) % 256 === 0) {
          throwIfCancelled(ctx.signal);
          ctx.progress(
            (r + (s - validEnd) / (T - validEnd)) / runs.length,
            `${run.name}: step ${s - validEnd} of ${T - validEnd}`,
          );
          await new Promise((res) => setImmediate(res));
        }
      }
      rows.push({
        model: o.model.name,
        adapter: run.name,
        method: run.method,
        windows: scored.windows,
        mse: scored.se / scored.n,
        mae: scored.ae / scored.n,
        parameterCount: run.adapter?.parameterCount ?? 0,
        msPerStep: run.adapter ? observeMs / steps : 0,
        ...(cals ? { coverage: scored.covered / scored.points, width: scored.width / scored.points } : {}),
      });
    }
  } finally {
    for (const run of runs) run.adapter?.dispose();
    model.dispose();
  }
  return rows;
}

/** The frozen model's forecast of [s, s + H) from [s - L, s). */
function frozenPredict(
  frozen: ReturnType<typeof frozenForecast>,
  z: Float32Array[],
  s: number,
  L: number,
  H: number,
): Float32Array[] {
  const C = z.length;
  const x = new Float32Array(L * C);
  for (let t = 0; t < L; t++) for (let c = 0; c < C; c++) x[t * C + c] = z[c][s - L + t];
  const out = tf.tidy(() => frozen.forward(tf.tensor3d(x, [1, L, C]), H).dataSync() as Float32Array);
  return Array.from({ length: C }, (_, c) => Float32Array.from({ length: H }, (_, h) => out[h * C + c]));
}

function score(
  acc: Scored,
  pred: Float32Array[],
  z: Float32Array[],
  s: number,
  H: number,
  cals?: Calibrator[],
): void {
  acc.windows++;
  pred.forEach((p, c) => {
    for (let h = 0; h < H; h++) {
      const e = z[c][s + h] - p[h];
      acc.se += e * e;
      acc.ae += Math.abs(e);
      acc.n++;
    }
    if (!cals) return;
    const band = Object.values(cals[c].interval(p))[0];
    for (let h = 0; h < H; h++) {
      const y = z[c][s + h];
      if (y >= band.lower[h] && y <= band.upper[h]) acc.covered++;
      acc.width += band.upper[h] - band.lower[h];
      acc.points++;
    }
  });
}

/** Residuals of the frozen model on the validation windows, per channel and step: [c][h][window]. */
function residualsOn(
  model: Forecaster,
  z: Float32Array[],
  from: number,
  to: number,
  L: number,
  H: number,
): number[][][] {
  const origins: number[] = [];
  for (let s = from; s + H <= to; s++) origins.push(s);
  const preds = model.predictBatch(
    origins.map((s) => z.map((ch) => ch.slice(s - L, s))),
    H,
  );
  return z.map((ch, c) =>
    Array.from({ length: H }, (_, h) => origins.map((s, i) => ch[s + h] - preds[i].channel(c)[h])),
  );
}

function calibrators(
  spec: NonNullable<OnlineProtocolInput['intervals']>,
  residuals: number[][][],
): Calibrator[] {
  return residuals.map((perStep) => {
    const cal = calibratorRegistry.create(spec.method, [spec.alpha], spec.options ?? {});
    cal.fit(perStep);
    return cal;
  });
}
