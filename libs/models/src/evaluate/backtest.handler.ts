import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, dataPaths, Unprocessable, ValidationFailed } from '@seqcast/core';
import { DATASET_STORE, DatasetsService, DatasetStore } from '@seqcast/data';
import { forecasterRegistry } from '@seqcast/forecast';
import { checkPayload, declareJobType, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { runInWorkerThread } from '@seqcast/tensor';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { loadTargetSeries } from '../series-data';
import type { TimingView } from '../series/time-axis';
import { seriesTiming } from '../series/train/series-timing';
import type { BacktestTaskInput, BacktestTaskOutput } from './backtest.task';

export const EVALUATION_BACKTEST = declareJobType(
  'evaluation.backtest',
  'Rolling-origin backtest of one or more model configurations on a dataset column; writes a Markdown report with an SVG chart.',
);

export interface BacktestPayload {
  datasetId: string;
  target: string;
  lookback: number;
  horizon: number;
  folds: number;
  step?: number;
  refit: 'once' | 'every-fold';
  seasonality?: number;
  series?: string[];
  intervals?: BacktestTaskInput['intervals'];
  adaptation?: BacktestTaskInput['adaptation'];
  /** Already validated configurations (EvaluationsService checks them before enqueueing). */
  models: { name: string; kind: string; config: Record<string, unknown> }[];
}

export interface BacktestJobResult {
  /** Directory of report.md, forecasts.svg and result.json (every figure and chart's data), relative to DATA_DIR. */
  reportDir: string;
  overall: BacktestTaskOutput['result']['overall'];
  intervals?: NonNullable<BacktestTaskOutput['intervals']>['rows'];
  /** The online protocol's rows (model x adapter), when asked. */
  adaptation?: BacktestTaskOutput['adaptation'];
  settings: BacktestTaskOutput['result']['settings'];
  datasetVersion: number;
  /**
   * Present when the rows are unevenly spaced: per model, whether it read each step's gap (a
   * 'timed' kind, fitted and forecast at every fold with dt from the stamps) or the rows as steps.
   */
  timing?: Array<{ model: string } & TimingView>;
}

const TASK = path.join(__dirname, `backtest.task${path.extname(__filename)}`);

/** Reads the series, runs the backtest in a worker thread and stores the report. */
@Injectable()
@HandlesJob(EVALUATION_BACKTEST)
export class BacktestJobHandler implements JobHandler<BacktestPayload, BacktestJobResult> {
  constructor(
    private readonly config: AppConfig,
    private readonly datasets: DatasetsService,
    @Inject(DATASET_STORE) private readonly store: DatasetStore,
  ) {}

  /** Enqueued by POST /evaluations, which fills in and checks each model's configuration. */
  readonly access = 'internal';

  validate(raw: Record<string, unknown>): BacktestPayload {
    const p = checkPayload<BacktestPayload>(EVALUATION_BACKTEST, raw, {
      datasetId: { type: 'uuid', required: true },
      target: { type: 'string', required: true },
      lookback: { type: 'integer', minimum: 1, maximum: 100_000, required: true },
      horizon: { type: 'integer', minimum: 1, maximum: 100_000, required: true },
      folds: { type: 'integer', minimum: 1, maximum: 1000, required: true },
      step: { type: 'integer', minimum: 1 },
      refit: { type: 'enum', values: ['once', 'every-fold'], required: true },
      seasonality: { type: 'integer', minimum: 1 },
      series: { type: 'string[]' },
      intervals: { type: 'object' },
      adaptation: { type: 'object' },
      models: { type: 'object[]', required: true },
    });
    const bad = p.models.flatMap((m, i) =>
      typeof m.kind === 'string' && forecasterRegistry.has(m.kind)
        ? []
        : [{ field: `models.${i}.kind`, reason: 'not a model kind' }],
    );
    if (!p.models.length) bad.push({ field: 'models', reason: 'empty' });
    if (bad.length) throw new ValidationFailed(`Invalid payload for job type '${EVALUATION_BACKTEST}'`, bad);
    return p;
  }

  async run(p: BacktestPayload, ctx: JobRunContext): Promise<BacktestJobResult> {
    ctx.progress(0, 'reading data');
    const version = await this.datasets.version(p.datasetId);
    const dataset = await this.datasets.get(p.datasetId);
    let series = await loadTargetSeries(this.store, version, p.target);
    if (p.series?.length) series = series.filter((s) => p.series!.includes(s.key));
    const timed = this.timing(p, version.frequency, series);
    const input: BacktestTaskInput = {
      backend: this.config.TF_BACKEND,
      models: timed ? p.models.map((m, i) => ({ ...m, ...timed.models[i] })) : p.models,
      series: timed?.axis ? series.map((s) => ({ ...s, axisTimes: timed.axis!.get(s.key)! })) : series,
      lookback: p.lookback,
      horizon: p.horizon,
      folds: p.folds,
      step: p.step,
      refit: p.refit,
      seasonality: p.seasonality,
      title: `Backtest of ${p.models.map((m) => m.name).join(', ')} on ${dataset.name} / ${p.target}`,
      dataset: `${dataset.name} (version ${version.version})`,
      target: p.target,
      intervals: p.intervals,
      adaptation: p.adaptation,
    };
    const out = await runInWorkerThread<BacktestTaskInput, BacktestTaskOutput>(TASK, 'backtest', input, {
      signal: ctx.signal,
      onProgress: ctx.progress,
    });
    const root = dataPaths(this.config).root;
    const dir = path.join(dataPaths(this.config).reports, ctx.jobId);
    const tmp = `${dir}.tmp`;
    await fsp.rm(tmp, { recursive: true, force: true });
    await fsp.mkdir(tmp, { recursive: true });
    await fsp.writeFile(
      path.join(tmp, 'report.md'),
      out.markdown + (timed ? timingMarkdown(timed.views) : ''),
    );
    await fsp.writeFile(path.join(tmp, 'forecasts.svg'), out.svg);
    await fsp.writeFile(
      path.join(tmp, 'result.json'),
      JSON.stringify({
        ...out.result,
        intervals: out.intervals?.rows,
        // the intervals point by point, for charts redrawn from this file (the console's)
        intervalChart: out.intervals?.chart,
        adaptation: out.adaptation,
        ...(timed ? { timing: timed.views } : {}),
      }),
    );
    if (out.intervals) await fsp.writeFile(path.join(tmp, 'intervals.svg'), out.intervals.svg);
    await fsp.rm(dir, { recursive: true, force: true });
    await fsp.rename(tmp, dir);
    return {
      reportDir: path.relative(root, dir),
      overall: out.result.overall,
      intervals: out.intervals?.rows,
      ...(out.adaptation ? { adaptation: out.adaptation } : {}),
      settings: out.result.settings,
      datasetVersion: version.version,
      ...(timed ? { timing: timed.views } : {}),
    };
  }

  /**
   * How each model reads unevenly spaced rows, decided as the train job decides
   * (series-timing.ts), or null when every series is evenly spaced: a 'timed' kind is fitted and
   * forecast at every fold with each step's dt on the data's time axis, every other kind reads
   * the rows as steps. Intervals and adapters read rows as steps only, so they are refused
   * beside a timed model rather than scoring another model than the table's.
   */
  private timing(
    p: BacktestPayload,
    frequency: string | null,
    series: { key: string; times: Float64Array; values: Float32Array }[],
  ): {
    models: Array<{ timed?: { nominalGap: number } }>;
    axis: Map<string, Float64Array> | null;
    views: NonNullable<BacktestJobResult['timing']>;
  } | null {
    const channels = series.map((s) => ({ key: s.key, times: s.times, channels: [s.values] }));
    const each = p.models.map((m) => seriesTiming(m.kind, frequency, channels, p.lookback));
    if (each.every((t) => t === null)) return null;
    const first = p.models.findIndex((_, i) => each[i]!.dt);
    if (first >= 0) {
      const name = p.models[first].name;
      const why = `model '${name}' (${p.models[first].kind}) reads each step's gap of these unevenly spaced rows`;
      if (p.intervals)
        throw new Unprocessable(`${why}; a backtest's intervals read rows as equally spaced steps`, [
          { field: 'intervals', reason: `not stamp-aware: leave out intervals or model '${name}'` },
        ]);
      if (p.adaptation)
        throw new Unprocessable(`${why}; adapters read rows as equally spaced steps`, [
          { field: 'adaptation', reason: `not stamp-aware: leave out adaptation or model '${name}'` },
        ]);
    }
    return {
      models: each.map((t) => (t!.dt ? { timed: { nominalGap: t!.nominalGap } } : {})),
      axis: first >= 0 ? each[first]!.times : null,
      views: p.models.map((m, i) => ({ model: m.name, ...each[i]!.view })),
    };
  }
}

function timingMarkdown(views: NonNullable<BacktestJobResult['timing']>): string {
  return ['', '## Timing', '', ...views.map((v) => `- ${v.model}: ${v.note}`), ''].join('\n');
}
