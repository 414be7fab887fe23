import { Injectable } from '@nestjs/common';
import { AppConfig, dataPaths, throwIfCancelled, Turns } from '@seqcast/core';
import { checkPayload, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { forecastsToIpc } from '../forecast/forecast-arrow';
import { ForecastResult, ForecastService } from '../forecast/forecast.service';
import { ModelCache } from '../forecast/model-cache';
import { MODEL_BATCH_FORECAST } from '../job-types';
import { modelTargets } from '../../series-data';

/**
 * Series forecast between two turns of the event loop. A forecast of a loaded model can
 * finish without waiting on anything, so without turns the loop held the process for the
 * whole batch: a SIGTERM was served only after it (no hand-back), and no cancel or BullMQ
 * lock renewal ran meanwhile (a batch longer than JOBS_LOCK_MS would look stalled to
 * another worker, which would run it a second time).
 */
const SERIES_PER_TURN = 10;

/** What a batch forecast job is asked: the horizon, and the quantile levels or samples to include. */
export interface BatchForecastPayload {
  modelId: string;
  horizon?: number;
  quantiles?: number[];
  samples?: boolean;
}

export interface BatchForecastResult {
  modelId: string;
  modelVersionId: string;
  /** Arrow IPC file, relative to DATA_DIR; download at GET /models/:id/batch-forecasts/:jobId. */
  file: string;
  series: number;
  /** Rows of the file: one per series, channel and step, plus one per sample path value. */
  rows: number;
  horizon: number;
  skipped: { seriesKey: string; reason: string }[];
}

/**
 * Forecasts every series of a model's dataset and writes them to one Arrow IPC file (every
 * channel, the calibrator's intervals, and the requested quantiles or sample paths).
 */
@Injectable()
@HandlesJob(MODEL_BATCH_FORECAST)
export class BatchForecastJobHandler implements JobHandler<BatchForecastPayload, BatchForecastResult> {
  constructor(
    private readonly config: AppConfig,
    private readonly forecasts: ForecastService,
    private readonly cache: ModelCache,
  ) {}

  /** Enqueued by its own route, which first checks the rows this payload points at. */
  readonly access = 'internal';

  validate(p: Record<string, unknown>): BatchForecastPayload {
    return checkPayload<BatchForecastPayload>(MODEL_BATCH_FORECAST, p, {
      modelId: { type: 'uuid', required: true },
      horizon: { type: 'integer', minimum: 1 },
      quantiles: { type: 'number[]', minimum: 0, maximum: 1 },
      samples: { type: 'boolean' },
    });
  }

  async run(p: BatchForecastPayload, ctx: JobRunContext): Promise<BatchForecastResult> {
    this.forecasts.invalidate(p.modelId);
    const { model, version, data, loaded } = await this.forecasts.loaded(p.modelId);
    const horizon = Math.min(p.horizon ?? model.horizon ?? 1, loaded.forecaster.maxHorizon);
    const series = [...(await this.cache.channelsOf(data, modelTargets(model))).keys()];
    const results: ForecastResult[] = [];
    const skipped: BatchForecastResult['skipped'] = [];
    const turns = new Turns(SERIES_PER_TURN);
    for (let i = 0; i < series.length; i++) {
      await turns.add(1);
      throwIfCancelled(ctx.signal);
      try {
        results.push(
          await this.forecasts.forecast(model.id, {
            seriesKey: series[i],
            horizon,
            quantiles: p.quantiles,
            samples: p.samples,
          }),
        );
      } catch (e) {
        skipped.push({ seriesKey: series[i], reason: e instanceof Error ? e.message : String(e) });
      }
      if (i % 50 === 49) ctx.progress((i + 1) / series.length, `${i + 1} of ${series.length} series`);
    }
    const dir = dataPaths(this.config).forecasts;
    await fsp.mkdir(dir, { recursive: true });
    const name = `${ctx.jobId}.arrow`;
    const tmp = path.join(dir, `.tmp-${name}`);
    await fsp.writeFile(tmp, forecastsToIpc(results, 'file'));
    await fsp.rename(tmp, path.join(dir, name));
    return {
      modelId: model.id,
      modelVersionId: version.id,
      file: path.relative(dataPaths(this.config).root, path.join(dir, name)),
      series: results.length,
      rows: results.reduce((n, r) => n + r.point.length * r.horizon * (1 + (r.samples?.length ?? 0)), 0),
      horizon,
      skipped,
    };
  }
}
