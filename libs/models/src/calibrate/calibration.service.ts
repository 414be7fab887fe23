import { Inject, Injectable } from '@nestjs/common';
import { Conflict, NotFound, ValidationFailed } from '@seqcast/core';
import { calibratorRegistry } from '@seqcast/conformal';
import { CalibratorEntity, ForecastEntity } from '@seqcast/db';
import { JOB_QUEUE, JobQueue } from '@seqcast/jobs';
import { randomUUID } from 'crypto';
import { DataSource, Repository } from 'typeorm';
import { ForecastWriter } from '../series/forecast/forecast-writer';
import { ForecastService } from '../series/forecast/forecast.service';
import { CalibrationSettings, MODEL_CALIBRATE } from './calibrate.handler';
import { forecastFromRow, observedOf, withObserved } from '../series/forecast/stored-forecast';
import { calibratorKey, CalibratorStates } from '../series/forecast/calibrator-states';

export interface NewCalibrator {
  method: string;
  alpha?: number[];
  options?: Record<string, unknown>;
  calibration?: Partial<CalibrationSettings>;
}

export interface Observation {
  seriesKey: string;
  /** Truth for steps 1..n of the forecast. */
  values: number[];
  /** The forecast these values are the truth of (default: the newest forecast of the series). */
  forecastId?: string;
  /** The channel observed, by name (default: the forecast's first channel). */
  channel?: string;
}

/** Attaching calibrators to models and feeding them truth. */
@Injectable()
export class CalibrationService {
  private readonly calibrators: Repository<CalibratorEntity>;
  private readonly forecastsRepo: Repository<ForecastEntity>;

  constructor(
    ds: DataSource,
    private readonly forecasts: ForecastService,
    private readonly writer: ForecastWriter,
    private readonly states: CalibratorStates,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {
    this.calibrators = ds.getRepository(CalibratorEntity);
    this.forecastsRepo = ds.getRepository(ForecastEntity);
  }

  async create(modelId: string, input: NewCalibrator) {
    const alpha = input.alpha ?? [0.1];
    // Builds one to validate method, alpha and options with the registry's messages.
    const probe = calibratorRegistry.create(input.method, alpha, input.options ?? {});
    const { model } = await this.forecasts.current(modelId);
    const settings: CalibrationSettings = {
      steps: input.calibration?.steps ?? Math.min(model.horizon ?? 1, 48),
      maxWindows: input.calibration?.maxWindows ?? 600,
      bootstrapModels: input.calibration?.bootstrapModels ?? 20,
      seed: input.calibration?.seed ?? 0,
    };
    const row = await this.calibrators.save(
      this.calibrators.create({
        id: randomUUID(),
        modelId,
        method: input.method,
        alpha,
        options: { ...probe.options },
        status: 'fitting',
        modelVersionId: null,
        jobId: null,
      }),
    );
    const job = await this.queue.enqueue(
      MODEL_CALIBRATE,
      { calibratorId: row.id, ...settings },
      { maxAttempts: 1 },
    );
    await this.calibrators.update({ id: row.id }, { jobId: job.id });
    return { calibrator: { ...row, jobId: job.id }, job };
  }

  async list(modelId: string): Promise<CalibratorEntity[]> {
    await this.forecasts.current(modelId).catch((e) => {
      if (e instanceof Conflict) return; // untrained models simply have none ready
      throw e;
    });
    return this.calibrators.find({ where: { modelId }, order: { createdAt: 'DESC' } });
  }

  async observe(modelId: string, obs: Observation) {
    if (!obs.values.length || obs.values.some((v) => !Number.isFinite(v))) {
      throw new ValidationFailed('values must be finite numbers', [
        { field: 'values', reason: 'empty or not finite' },
      ]);
    }
    const active = await this.states.activeFor(modelId);
    if (!active) {
      throw new Conflict(
        `model ${modelId} has no ready calibrator: POST /models/${modelId}/calibrators first`,
        [{ field: 'modelId', reason: 'no calibrator' }],
      );
    }
    await this.writer.flush();
    const forecast = obs.forecastId
      ? await this.forecastsRepo.findOneBy({ id: obs.forecastId, modelId, seriesKey: obs.seriesKey })
      : await this.forecastsRepo.findOne({
          where: { modelId, seriesKey: obs.seriesKey },
          order: { createdAt: 'DESC' },
        });
    if (!forecast) {
      throw new NotFound(
        `no forecast of series '${obs.seriesKey}' by model ${modelId}${obs.forecastId ? ` with id ${obs.forecastId}` : ''}`,
        [{ field: obs.forecastId ? 'forecastId' : 'seriesKey', reason: 'no such forecast' }],
      );
    }
    const stored = forecastFromRow(forecast);
    const names = stored.channelNames;
    const c = obs.channel === undefined ? 0 : names.indexOf(obs.channel);
    if (c < 0) {
      throw new ValidationFailed(`forecast ${forecast.id} has no channel '${obs.channel}'`, [
        { field: 'channel', reason: `must be one of: ${names.join(', ')}` },
      ]);
    }
    if (observedOf(forecast, c, names[c])) {
      throw new Conflict(`forecast ${forecast.id} has already been given its truth`, [
        { field: 'forecastId', reason: 'already observed' },
      ]);
    }
    const point = Array.from(stored.channel(c));
    if (obs.values.length > point.length) {
      throw new ValidationFailed(
        `forecast ${forecast.id} has ${point.length} steps; got ${obs.values.length} values`,
        [{ field: 'values', reason: `at most ${point.length}` }],
      );
    }
    const cal = await this.states.calibrator(active.id, calibratorKey(obs.seriesKey, names, c));
    if (!cal) {
      throw new Conflict(`calibrator ${active.id} has no state for series '${obs.seriesKey}'`, [
        { field: 'seriesKey', reason: 'series not calibrated' },
      ]);
    }
    cal.update(obs.values, point.slice(0, obs.values.length));
    await this.states.save(active.id, calibratorKey(obs.seriesKey, names, c), cal, true);
    // TypeORM's partial-entity type does not take an open JSON record; the column is simple-json.
    await this.forecastsRepo.update({ id: forecast.id }, {
      values: withObserved(forecast, c, names[c], obs.values),
    } as never);
    return {
      calibratorId: active.id,
      forecastId: forecast.id,
      seriesKey: obs.seriesKey,
      residuals: obs.values.map((v, h) => v - point[h]),
      stored: cal.residualCount(0),
    };
  }
}
