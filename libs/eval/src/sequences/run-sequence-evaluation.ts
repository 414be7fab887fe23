import { throwIfCancelled, WorkContext } from '@seqcast/core';
import { sequenceModelRegistry, type SequenceRow } from '@seqcast/events';
import { Rng } from '@seqcast/numeric';
import { ablate } from './ablations';
import type { SequenceDataset } from './datasets/sequence-dataset';
import { loadSequenceDatasets } from './load-sequence-datasets';
import { RandomSampler } from './search/random-search';
import type { Params, Sampler } from './search/search-types';
import { optimise, TpeSampler } from './search/tpe';
import type { SequenceEvalConfig } from './sequence-eval-config';
import {
  meanStd,
  SequenceDatasetResult,
  SequenceEvalResult,
  SequenceModelResult,
} from './sequence-eval-results';
import { oriented, SEQUENCE_METRICS, sequenceMetric, type SequenceMetric } from './sequence-metrics';
import { sequenceMarkdown } from './sequence-table';
import { groupModels, meanRanks } from './stats/model-groups';

/** EBES's split fractions: train, validation (early stopping), HPO-validation (the search's objective). */
export const HPO_SPLIT = [0.7, 0.15, 0.15] as const;

/** The pool shuffled by `seed`, cut at the fractions (the last part takes the rest). */
export function splitPool(pool: SequenceRow[], fractions: readonly number[], seed: number): SequenceRow[][] {
  const rows = new Rng(seed).shuffle([...pool]);
  const out: SequenceRow[][] = [];
  let start = 0;
  fractions.forEach((f, i) => {
    const end = i === fractions.length - 1 ? rows.length : start + Math.round(f * rows.length);
    out.push(rows.slice(start, end));
    start = end;
  });
  return out;
}

/** Counts fits so progress can say how far the whole evaluation is. */
class Progress {
  private done = 0;
  constructor(
    private readonly total: number,
    private readonly ctx: WorkContext,
  ) {}
  step(message: string) {
    this.done += 1;
    this.ctx.progress(Math.min(1, this.done / this.total), message);
  }
}

/**
 * The EBES protocol on every dataset of the config, for every model:
 * 1. the pool (everything but the fixed test) shuffled once and split 0.7 / 0.15 / 0.15 into
 *    train, validation and HPO-validation;
 * 2. hyperparameter search (TPE, or random search) over the model's search space: each trial
 *    fits `hpo.seeds` seeds on train (early stopping on validation) and scores the mean minus
 *    the standard deviation of the HPO-validation metric (higher is better);
 * 3. final runs with the best parameters, one per seed, each on its own reshuffle of the pool
 *    into train (0.85: the HPO-validation part rejoins training once the search is over) and
 *    validation (0.15), scored on the fixed test: mean ± std;
 * 4. pairwise Mann-Whitney U tests of the final metrics, Benjamini-Hochberg, and groups at
 *    `alpha`; ranks are the groups, averaged over datasets;
 * 5. the ablations (drop time, permute events) with the best parameters on `ablationSeeds` seeds.
 */
export async function runSequenceEvaluation(
  config: SequenceEvalConfig,
  ctx: WorkContext,
  datasets: SequenceDataset[] = loadSequenceDatasets(config),
): Promise<SequenceEvalResult> {
  const started = Date.now();
  const perModel =
    config.hpo.trials * config.hpo.seeds + config.seeds + config.ablations.length * config.ablationSeeds;
  const progress = new Progress(datasets.length * config.models.length * perModel, ctx);
  const results: SequenceDatasetResult[] = [];
  for (const [di, data] of datasets.entries()) {
    const metric: SequenceMetric =
      config.datasets[di]?.metric ?? (data.schema.task === 'classification' ? 'accuracy' : 'mse');
    const [train, valid, hpoValid] = splitPool(data.pool, HPO_SPLIT, config.splitSeed);
    const models: Omit<SequenceModelResult, 'group'>[] = [];
    for (const m of config.models) {
      const label = `${data.name} / ${m.name}`;
      const fitScore = async (
        params: Params,
        seed: number,
        tr: SequenceRow[],
        va: SequenceRow[],
        te: SequenceRow[],
      ) => {
        throwIfCancelled(ctx.signal);
        const resolved = sequenceModelRegistry.resolveConfig(m.kind, { ...m.config, ...params, seed });
        const model = sequenceModelRegistry.create(
          m.kind,
          data.schema,
          capEpochs(resolved, config.maxEpochs),
        );
        try {
          const t0 = Date.now();
          await model.fit(tr, va, ctx);
          return { value: sequenceMetric(metric, model.predict(te), te), seconds: (Date.now() - t0) / 1000 };
        } finally {
          model.dispose();
        }
      };
      const sampler: Sampler =
        config.hpo.method === 'tpe'
          ? new TpeSampler(config.splitSeed + 1)
          : new RandomSampler(config.splitSeed + 1);
      const trials = await optimise(sampler, m.search, config.hpo.trials, async (params, t) => {
        const values: number[] = [];
        for (let s = 0; s < config.hpo.seeds; s++) {
          try {
            values.push(oriented(metric, (await fitScore(params, s, train, valid, hpoValid)).value));
          } catch (e) {
            if ((e as Error).name === 'Cancelled' || ctx.signal.aborted) throw e;
            values.push(-Infinity); // a diverged trial loses
          }
          progress.step(`${label}: trial ${t + 1}/${config.hpo.trials}, seed ${s + 1}/${config.hpo.seeds}`);
        }
        const ms = meanStd(values);
        return Number.isFinite(ms.mean) ? ms.mean - ms.std : -Infinity;
      });
      const best = trials.length
        ? trials.reduce((a, b) => (b.value > a.value ? b : a))
        : { params: {}, value: NaN };
      const finals: number[] = [];
      let seconds = 0;
      for (let s = 0; s < config.seeds; s++) {
        const [tr, va] = splitPool(data.pool, [0.85, 0.15], 1000 + s);
        const r = await fitScore(best.params, s, tr, va, data.test);
        finals.push(r.value);
        seconds += r.seconds;
        progress.step(`${label}: final run ${s + 1}/${config.seeds} ${metric} ${r.value.toPrecision(4)}`);
      }
      const ablations: SequenceModelResult['ablations'] = {};
      for (const a of config.ablations) {
        const pool = ablate(data.pool, a, 1);
        const test = ablate(data.test, a, 2);
        const values: number[] = [];
        for (let s = 0; s < config.ablationSeeds; s++) {
          const [tr, va] = splitPool(pool, [0.85, 0.15], 1000 + s);
          values.push((await fitScore(best.params, s, tr, va, test)).value);
          progress.step(`${label}: ${a} run ${s + 1}/${config.ablationSeeds}`);
        }
        ablations[a] = meanStd(values);
      }
      models.push({
        name: m.name,
        kind: m.kind,
        best: { params: best.params, objective: best.value },
        trials,
        final: meanStd(finals),
        ablations,
        fitSeconds: seconds / config.seeds,
      });
    }
    const higherIsBetter = SEQUENCE_METRICS[metric].higherIsBetter;
    const grouping = groupModels(
      Object.fromEntries(models.map((r) => [r.name, r.final.values])),
      higherIsBetter,
      config.alpha,
    );
    results.push({
      name: data.name,
      metric,
      higherIsBetter,
      sizes: { train: train.length, valid: valid.length, hpoValid: hpoValid.length, test: data.test.length },
      models: grouping.order.map((n) => ({ ...models.find((r) => r.name === n)!, group: grouping.group[n] })),
      tests: grouping.tests,
    });
  }
  const ranks = meanRanks(results.map((d) => Object.fromEntries(d.models.map((m) => [m.name, m.group]))));
  const settings = {
    budget: config.budget,
    hpo: config.hpo,
    seeds: config.seeds,
    ablationSeeds: config.ablationSeeds,
    maxEpochs: config.maxEpochs,
    alpha: config.alpha,
  };
  const partial = { settings, datasets: results, meanRanks: ranks, seconds: (Date.now() - started) / 1000 };
  return { ...partial, table: sequenceMarkdown(partial) };
}

/** A resolved config with its epochs (and CoLES's pretraining epochs) capped at maxEpochs (0: no cap). */
function capEpochs(config: Record<string, unknown>, maxEpochs: number): Record<string, unknown> {
  if (!maxEpochs) return config;
  const capped = { ...config };
  for (const key of ['epochs', 'pretrainEpochs'])
    if (typeof config[key] === 'number') capped[key] = Math.min(maxEpochs, config[key] as number);
  return capped;
}
