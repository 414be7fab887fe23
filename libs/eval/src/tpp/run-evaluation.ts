import { WorkContext, throwIfCancelled } from '@seqcast/core';
import {
  eventModelRegistry,
  FitResult,
  HawkesModel,
  hawkesTypeTimeInformation,
  LL_WINDOW,
  PoissonModel,
  RegisteredEventModel,
} from '@seqcast/events';
import { EventFileReader, LoadedSplits, loadSplits } from './load-datasets';
import { horizonScore } from './horizon-score';
import { tppMarkdownTable } from './tpp-table';
import { meanStd, median } from './metrics';
import { majorityClass, sanityFlags } from './sanity-gate';
import { scoreOnTest } from './score-test';
import { TppEvalConfig } from './tpp-eval-config';
import type { TppEvalDatasetSummary, TppEvalResult, TppEvalRow, TppEvalRun } from './tpp-eval-results';

/** The table's row for the bound on time-type independent models (simulations only). */
export const TYPE_TIME_BOUND = 'bound: type independent of time';
/** The table's row of always predicting the training set's most frequent type. */
export const MAJORITY_CLASS = 'majority class';
/** The kinds whose rows are references, not trained models the sanity gate judges. */
const REFERENCE_KINDS = new Set(['hawkes', 'bound', 'poisson', 'majority']);

/**
 * EasyTPP-style evaluation: every dataset x model x seed is trained on train (early
 * stopping on dev when the model's config asks for it) and scored on test: log-likelihood
 * per event, RMSE of the predicted mean gap and of one draw, type error rate, seconds per
 * epoch; then mean and std over seeds. Every LL is per event in the dataset's time unit
 * (named in each row) over the window LL_WINDOW; the sanity gate flags any trained model
 * below Poisson's LL or at the majority class's accuracy. Plain function: the CLI and a job handler call it,
 * with `readFile` (libs/data's `readEventFile`) for the sources that name files.
 */
export async function runTppEvaluation(config: TppEvalConfig, ctx: WorkContext, readFile?: EventFileReader): Promise<TppEvalResult> {
  const runs: TppEvalRun[] = [];
  const truthLl = new Map<string, number>();
  const summaries: TppEvalDatasetSummary[] = [];
  const plan = config.datasets.length * (config.models.length * config.seeds.length + (config.baselines ? 2 : 0));
  let done = 0;
  const step = (msg: string) => ctx.progress(Math.min(1, done / plan), msg);

  const score = (data: LoadedSplits, dataset: string, name: string, model: RegisteredEventModel, seed: number, fit: FitResult | null) => {
    const seconds = (fit?.epochs ?? []).map((e) => e.seconds);
    const secondsPerEpoch = fit?.secondsPerEpoch ?? 0;
    const { ll, metrics } = scoreOnTest(model, data.test, { integralPoints: config.integralPoints, predictSamples: config.predictSamples, seed });
    runs.push({ dataset, model: name, kind: model.kind, seed, logLikelihood: ll.perEvent, rmse: metrics.rmse, rmseDraw: metrics.rmseDraw, errorRate: metrics.errorRate, secondsPerEpoch, medianSecondsPerEpoch: median(seconds), epochs: seconds.length, testEvents: ll.events, ...(config.horizon ? horizonScore(model, data.test, config.horizon, seed) : {}) });
    return ll.perEvent;
  };

  for (const ds of config.datasets) {
    throwIfCancelled(ctx.signal);
    step(`${ds.name}: loading`);
    const data = await loadSplits(ds.source, config.baseDir, readFile).catch((e: unknown) => {
      // a file's row and reason, said of the config entry that names the file
      if (e instanceof Error) e.message = `dataset ${ds.name}: ${e.message}`;
      throw e;
    });
    if (config.baselines && data.truth) {
      const truth = new HawkesModel(data.truth);
      const ll = score(data, ds.name, 'true process', truth, 0, null);
      truthLl.set(ds.name, ll);
      // the least gap a model with types independent of the time given the history can
      // reach (hawkes/type-time-information.ts): an LL only, nothing to predict with
      const info = hawkesTypeTimeInformation(data.truth, data.test.sequences);
      runs.push({ dataset: ds.name, model: TYPE_TIME_BOUND, kind: 'bound', seed: 0, logLikelihood: ll - info.perEvent, rmse: NaN, rmseDraw: NaN, errorRate: NaN, secondsPerEpoch: 0, medianSecondsPerEpoch: NaN, epochs: 0, testEvents: info.events });
    }
    // the sanity gate's baselines are fitted whether or not their rows are shown
    const poisson = new PoissonModel(data.numTypes);
    await poisson.fit(data.train, null, { signal: ctx.signal, progress: () => undefined });
    const majority = majorityClass(data.train, data.test);
    summaries.push({ dataset: ds.name, unit: data.timeUnit, numTypes: data.numTypes, poissonLogLikelihood: poisson.logLikelihood(data.test).perEvent, majority });
    if (config.baselines) {
      // a model entry of its own named 'poisson' would otherwise merge with this row
      const name = config.models.some((m) => m.name === 'poisson') ? 'poisson (baseline)' : 'poisson';
      score(data, ds.name, name, poisson, 0, null);
      runs.push({ dataset: ds.name, model: MAJORITY_CLASS, kind: 'majority', seed: 0, logLikelihood: NaN, rmse: NaN, rmseDraw: NaN, errorRate: majority.errorRate, secondsPerEpoch: 0, medianSecondsPerEpoch: NaN, epochs: 0, testEvents: 0 });
      done += data.truth ? 2 : 1;
    }
    for (const m of config.models) {
      for (const seed of config.seeds) {
        throwIfCancelled(ctx.signal);
        const label = `${ds.name}: ${m.name} seed ${seed}`;
        step(label);
        const model = eventModelRegistry.create(m.kind, data.numTypes, eventModelRegistry.withSeed(m.kind, m.config, seed));
        try {
          const base = done / plan;
          const fit = await model.fit(data.train, data.dev.sequences.length ? data.dev : null, {
            signal: ctx.signal,
            progress: (f, msg) => ctx.progress(Math.min(1, base + f / plan), `${label}: ${msg ?? ''}`),
          });
          score(data, ds.name, m.name, model, seed, fit);
        } finally {
          model.dispose();
        }
        done++;
      }
    }
  }

  const rows: TppEvalRow[] = [];
  const keys = [...new Set(runs.map((r) => `${r.dataset}\u0000${r.model}`))];
  for (const key of keys) {
    const [dataset, model] = key.split('\u0000');
    const rs = runs.filter((r) => r.dataset === dataset && r.model === model);
    const truth = truthLl.get(dataset);
    const summary = summaries.find((d) => d.dataset === dataset)!;
    const logLikelihood = meanStd(rs.map((r) => r.logLikelihood));
    const errorRate = meanStd(rs.map((r) => r.errorRate));
    rows.push({
      dataset,
      model,
      kind: rs[0].kind,
      seeds: rs.length,
      logLikelihood,
      gapToTruth: truth !== undefined ? meanStd(rs.map((r) => truth - r.logLikelihood)) : undefined,
      rmse: meanStd(rs.map((r) => r.rmse)),
      rmseDraw: meanStd(rs.map((r) => r.rmseDraw)),
      errorRate,
      secondsPerEpoch: meanStd(rs.map((r) => r.secondsPerEpoch)),
      medianSecondsPerEpoch: meanStd(rs.map((r) => r.medianSecondsPerEpoch)),
      ...(rs[0].otd !== undefined ? { otd: meanStd(rs.map((r) => r.otd!)), countRmse: meanStd(rs.map((r) => r.countRmse!)) } : {}),
      unit: summary.unit,
      flags: REFERENCE_KINDS.has(rs[0].kind)
        ? []
        : sanityFlags(
            { logLikelihood: logLikelihood.mean, errorRate: errorRate.mean },
            { poisson: summary.poissonLogLikelihood, majorityErrorRate: summary.majority.errorRate, numTypes: summary.numTypes },
          ),
    });
  }
  ctx.progress(1, 'done');
  return { table: tppMarkdownTable(rows), window: LL_WINDOW, datasets: summaries, rows, runs };
}
