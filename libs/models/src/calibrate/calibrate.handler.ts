import { Injectable } from '@nestjs/common';
import { AppConfig, dataPaths, Unprocessable } from '@seqcast/core';
import { splitByFractions } from '@seqcast/data';
import { CalibratorEntity, ModelVersionEntity } from '@seqcast/db';
import { forecasterRegistry } from '@seqcast/forecast';
import { checkPayload, declareJobType, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { runInWorkerThread } from '@seqcast/tensor';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { ForecastService } from '../series/forecast/forecast.service';
import { ModelCache } from '../series/forecast/model-cache';
import { DEFAULT_SPLIT } from '../series/train/train-model.handler';
import type { CalibrateInput, CalibrateOutput } from './calibrate.task';
import { calibratorKey, CalibratorStates } from '../series/forecast/calibrator-states';
import { modelTargets } from '../series-data';
import { onAxis, timeAxis } from '../series/time-axis';

export const MODEL_CALIBRATE = declareJobType(
  'model.calibrate',
  "Computes a model's residuals as its calibrator's conformal method defines them and fits one calibrator per series; payload {calibratorId}.",
);

export interface CalibrationSettings {
  /** horizon steps with their own residuals */
  steps: number;
  /** most forecast origins per series */
  maxWindows: number;
  /** rows between consecutive calibration origins (the cadence forecasts will be made at) */
  originEvery: number;
}

const TASK = path.join(__dirname, `calibrate.task${path.extname(__filename)}`);

/**
 * Conformal calibration scores a version's forecasts on rows it did not learn (after the train
 * split). A version refitted on every row (fitOn 'all') has none: its residuals there would be
 * in-sample and its intervals too narrow, so it is refused.
 */
export function requireHeldOutRows(modelId: string, version: Pick<ModelVersionEntity, 'version' | 'fitOn'>): void {
  if (version.fitOn === 'all')
    throw new Unprocessable(
      `model ${modelId} version ${version.version} was fitted on every row: no held-out rows are left to calibrate on`,
      [{ field: 'fitOn', reason: "calibrate a version trained with fitOn 'split'" }],
    );
}

@Injectable()
@HandlesJob(MODEL_CALIBRATE)
export class CalibrateJobHandler implements JobHandler<
  { calibratorId: string } & CalibrationSettings,
  { series: number; windows: number }
> {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly forecasts: ForecastService,
    private readonly cache: ModelCache,
    private readonly states: CalibratorStates,
  ) {}

  /** Enqueued by its own route, which first checks the rows this payload points at. */
  readonly access = 'internal';

  validate(p: Record<string, unknown>): { calibratorId: string } & CalibrationSettings {
    return checkPayload<{ calibratorId: string } & CalibrationSettings>(MODEL_CALIBRATE, p, {
      calibratorId: { type: 'uuid', required: true },
      steps: { type: 'integer', minimum: 1, required: true },
      maxWindows: { type: 'integer', minimum: 1, required: true },
      originEvery: { type: 'integer', minimum: 1 },
    });
  }

  async run(p: { calibratorId: string } & CalibrationSettings, ctx: JobRunContext) {
    const repo = this.ds.getRepository(CalibratorEntity);
    const cal = await repo.findOneByOrFail({ id: p.calibratorId });
    try {
      this.forecasts.invalidate(cal.modelId);
      const { model, version, data, loaded } = await this.forecasts.loaded(cal.modelId);
      requireHeldOutRows(model.id, version);
      ctx.progress(0, 'reading data');
      const targets = modelTargets(model);
      if (targets.length > 1 && forecasterRegistry.can(model.kind, 'multivariate'))
        throw new Unprocessable(
          `a ${model.kind} model forecasts its ${targets.length} targets jointly: its channels cannot be calibrated one by one`,
          [{ field: 'targets', reason: 'calibrate a multivariate kind on one target' }],
        );
      // Each channel of a multi-target model is calibrated as a series of its own (the state key
      // forecasts look up), under the scale that channel was trained with.
      // a model trained with each step's gap is calibrated with them (its forecasts are served so)
      const nominalGap = loaded.forecaster.timed?.nominalGap ?? null;
      const axis = timeAxis(loaded.trainedFrequency);
      const series = [...(await this.cache.channelsOf(data, targets)).values()].flatMap((s) => {
        const times = nominalGap !== null ? onAxis(axis, s.times, `series '${s.key}' times`) : null;
        return s.channels.map((values, c) => ({
          key: calibratorKey(s.key, targets, c),
          values,
          ...(targets.length > 1 ? { scaleOf: { key: s.key, channel: c, channels: targets.length } } : {}),
          ...(times ? { times } : {}),
        }));
      });
      const input: CalibrateInput = {
        backend: this.config.TF_BACKEND,
        artifactRoot: dataPaths(this.config).artifacts,
        artifactRef: version.artifactRef,
        kind: model.kind,
        config: model.config,
        method: cal.method,
        alpha: cal.alpha,
        options: cal.options,
        steps: Math.min(p.steps, loaded.forecaster.maxHorizon),
        maxWindows: p.maxWindows,
        originEvery: p.originEvery ?? 1,
        ...(nominalGap !== null ? { nominalGap } : {}),
        series: series
          .filter((s) => s.values.length >= model.lookback! + p.steps + 2)
          .map((s) => ({
            ...s,
            heldOutFrom: splitByFractions(s.values.length, DEFAULT_SPLIT, 0).train.end,
          })),
      };
      const out = await runInWorkerThread<CalibrateInput, CalibrateOutput>(TASK, 'calibrate', input, {
        signal: ctx.signal,
        onProgress: (f, m) => ctx.progress(0.02 + 0.96 * f, m),
      });
      const { calibratorRegistry } = await import('@seqcast/conformal');
      for (const s of out.states)
        await this.states.save(cal.id, s.seriesKey, calibratorRegistry.restore(s.state), false);
      // The newest calibrator to become ready is the one forecasts use; the others step aside.
      await this.ds.transaction(async (m) => {
        await m
          .getRepository(CalibratorEntity)
          .update({ modelId: cal.modelId, status: 'ready' }, { status: 'superseded' });
        await m
          .getRepository(CalibratorEntity)
          .update({ id: cal.id }, { status: 'ready', modelVersionId: version.id });
      });
      this.states.invalidate(cal.modelId);
      return { series: out.states.length, windows: out.windows };
    } catch (e) {
      await repo.update({ id: cal.id }, { status: 'failed' });
      throw e;
    }
  }
}
