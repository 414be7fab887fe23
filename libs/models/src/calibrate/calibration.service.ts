import { Inject, Injectable } from '@nestjs/common';
import { Conflict, NotFound, ValidationFailed } from '@seqcast/core';
import type { AdaptationUpdate } from '@seqcast/adapt';
import { Calibrator, calibratorRegistry } from '@seqcast/conformal';
import { AdapterEntity, CalibratorEntity, ForecastEntity } from '@seqcast/db';
import type { Forecast } from '@seqcast/forecast';
import { JOB_QUEUE, JobQueue } from '@seqcast/jobs';
import { randomUUID } from 'crypto';
import { DataSource, Repository } from 'typeorm';
import { ForecastWriter } from '../series/forecast/forecast-writer';
import { ForecastService } from '../series/forecast/forecast.service';
import { CalibrationSettings, MODEL_CALIBRATE, requireHeldOutRows } from './calibrate.handler';
import { forecastFromRow, mergeObserved, observedOf, withObserved } from '../series/forecast/stored-forecast';
import { calibratorKey, CalibratorStates } from '../series/forecast/calibrator-states';
import { AdapterStates } from '../series/forecast/adapter-states';

export interface NewCalibrator {
  method: string;
  alpha?: number[];
  options?: Record<string, unknown>;
  calibration?: Partial<CalibrationSettings>;
}

export interface Observation {
  seriesKey: string;
  /** Truth for steps fromStep..fromStep + n - 1 of the forecast (one channel: the first, or `channel`). */
  values?: number[];
  /** Truth for the same steps of every channel of the forecast, in its channel order (adapters need them all at once). */
  valuesByChannel?: number[][];
  /** The forecast step (1 = one step ahead) of the first value; default 1. Truth may come in pieces. */
  fromStep?: number;
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
    private readonly adapters: AdapterStates,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {
    this.calibrators = ds.getRepository(CalibratorEntity);
    this.forecastsRepo = ds.getRepository(ForecastEntity);
  }

  async create(modelId: string, input: NewCalibrator) {
    const alpha = input.alpha ?? [0.1];
    // Builds one to validate method, alpha and options with the registry's messages.
    const probe = calibratorRegistry.create(input.method, alpha, input.options ?? {});
    const { model, version } = await this.forecasts.current(modelId);
    requireHeldOutRows(modelId, version);
    const settings: CalibrationSettings = {
      // the model's whole horizon by default: past the calibrated steps intervals are refused
      steps: input.calibration?.steps ?? model.horizon ?? 1,
      maxWindows: input.calibration?.maxWindows ?? 1000,
      originEvery: input.calibration?.originEvery ?? 1,
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

  /**
   * The truth of a forecast, or of part of it, for everything that learns from it: the
   * model's calibrator (residuals of the served, possibly adapted, forecast) and its adapter
   * (the values continue the series' stream at the forecast's step `fromStep`). Truth may come
   * in pieces (a prefix now, the rest later): each step's calibrator state updates as soon as
   * its truth is given. Everything is checked before anything changes: a step already given
   * its truth (409 naming the step), values past the forecast's horizon, an adapter stream the
   * values would not continue (a gap or a repeat) are refused and nothing is written.
   */
  async observe(modelId: string, obs: Observation) {
    const given = this.givenValues(obs);
    const from = (obs.fromStep ?? 1) - 1;
    if (!Number.isInteger(from) || from < 0)
      throw new ValidationFailed('fromStep must be an integer >= 1', [
        { field: 'fromStep', reason: `must be an integer >= 1 (1 = one step ahead), got ${obs.fromStep}` },
      ]);
    const active = await this.states.activeFor(modelId);
    const adapterRow = await this.adapters.activeFor(modelId);
    if (!active && !adapterRow) {
      throw new Conflict(
        `model ${modelId} has no ready calibrator or adapter: POST /models/${modelId}/calibrators or /adapters first`,
        [{ field: 'modelId', reason: 'no calibrator or adapter' }],
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
    const channels = this.observedChannels(obs, given, names, forecast.id);
    for (const { c, values } of channels) {
      const field = obs.valuesByChannel ? `valuesByChannel[${c}]` : 'values';
      if (from + values.length > stored.horizon) {
        throw new ValidationFailed(
          `forecast ${forecast.id} has ${stored.horizon} steps; got ${values.length} values from step ${from + 1}`,
          [{ field, reason: `at most ${stored.horizon - from} values from step ${from + 1}` }],
        );
      }
      const before = observedOf(forecast, c, names[c]);
      const again = values.findIndex((_, i) => before[from + i] !== null && before[from + i] !== undefined);
      if (again >= 0) {
        const step = from + again + 1;
        throw new Conflict(
          `forecast ${forecast.id} has already been given the truth of step ${step}${names.length > 1 ? ` of channel '${names[c]}'` : ''}`,
          [
            { field: 'forecastId', reason: `step ${step} already observed` },
            { field: `${field}[${again}]`, reason: `step ${step} already observed` },
          ],
        );
      }
    }
    const cals = active
      ? await this.calibratorsOf(active.id, obs.seriesKey, names, channels, !adapterRow)
      : [];
    const adaptation = adapterRow
      ? await this.adapt(modelId, adapterRow, forecast.id, stored, channels, from)
      : null;
    const points = channels.map(({ c, values }) =>
      Array.from(stored.channel(c)).slice(from, from + values.length),
    );
    for (const [i, cal] of cals.entries()) {
      if (!cal) continue;
      const { c, values } = channels[i];
      cal.update(values, points[i], from);
      await this.states.save(active!.id, calibratorKey(obs.seriesKey, names, c), cal, true);
    }
    let values = forecast.values;
    for (const { c, values: v } of channels) {
      const row = { ...forecast, values } as ForecastEntity;
      values = withObserved(row, c, names[c], mergeObserved(observedOf(row, c, names[c]), from, v));
    }
    // TypeORM's partial-entity type does not take an open JSON record; the column is simple-json.
    await this.forecastsRepo.update({ id: forecast.id }, { values } as never);
    const first = cals.find((c) => c);
    return {
      calibratorId: first ? active!.id : null,
      forecastId: forecast.id,
      seriesKey: obs.seriesKey,
      fromStep: from + 1,
      residuals: channels[0].values.map((v, h) => v - points[0][h]),
      stored: first ? first.residualCount(Math.min(from, first.steps - 1)) : 0,
      adaptation,
    };
  }

  /** The state of calibrator `calibratorId` of a model, per series (or channel) it holds. */
  async state(modelId: string, calibratorId: string) {
    const row = await this.calibrators.findOneBy({ id: calibratorId, modelId });
    if (!row)
      throw new NotFound(`model ${modelId} has no calibrator ${calibratorId}`, [
        { field: 'cid', reason: 'no such calibrator of this model' },
      ]);
    const series = await this.states.describeAll(calibratorId);
    return {
      calibratorId,
      modelId,
      method: row.method,
      status: row.status,
      series,
    };
  }

  /** The values given, per channel given: `values` (one channel) or `valuesByChannel` (every channel). */
  private givenValues(obs: Observation): number[][] {
    if (obs.values && obs.valuesByChannel)
      throw new ValidationFailed('give values or valuesByChannel, not both', [
        { field: 'valuesByChannel', reason: 'values already gives the truth' },
      ]);
    const all = obs.valuesByChannel ?? (obs.values ? [obs.values] : []);
    const field = (c: number) => (obs.valuesByChannel ? `valuesByChannel[${c}]` : 'values');
    if (!all.length)
      throw new ValidationFailed('values are required', [
        { field: 'values', reason: 'the truth of steps 1..n' },
      ]);
    all.forEach((v, c) => {
      if (!v.length || v.some((x) => !Number.isFinite(x)))
        throw new ValidationFailed('values must be finite numbers', [
          { field: field(c), reason: 'empty or not finite' },
        ]);
      if (v.length !== all[0].length)
        throw new ValidationFailed('every channel needs the same number of values', [
          { field: field(c), reason: `${all[0].length} values, as channel 0` },
        ]);
    });
    return all;
  }

  private observedChannels(obs: Observation, given: number[][], names: string[], forecastId: string) {
    if (obs.valuesByChannel) {
      if (obs.channel !== undefined)
        throw new ValidationFailed('channel names one channel; valuesByChannel gives them all', [
          { field: 'channel', reason: 'leave out with valuesByChannel' },
        ]);
      if (given.length !== names.length)
        throw new ValidationFailed(
          `forecast ${forecastId} has ${names.length} channels; got ${given.length}`,
          [{ field: 'valuesByChannel', reason: `one array per channel: ${names.join(', ')}` }],
        );
      return given.map((values, c) => ({ c, values }));
    }
    const c = obs.channel === undefined ? 0 : names.indexOf(obs.channel);
    if (c < 0) {
      throw new ValidationFailed(`forecast ${forecastId} has no channel '${obs.channel}'`, [
        { field: 'channel', reason: `must be one of: ${names.join(', ')}` },
      ]);
    }
    return [{ c, values: given[0] }];
  }

  /** Each observed channel's calibrator; a missing state is an error only when nothing else learns from the values. */
  private async calibratorsOf(
    calibratorId: string,
    seriesKey: string,
    names: string[],
    channels: Array<{ c: number }>,
    required: boolean,
  ): Promise<Array<Calibrator | null>> {
    const cals = await Promise.all(
      channels.map(({ c }) => this.states.calibrator(calibratorId, calibratorKey(seriesKey, names, c))),
    );
    if (required && cals.some((c) => !c))
      throw new Conflict(`calibrator ${calibratorId} has no state for series '${seriesKey}'`, [
        { field: 'seriesKey', reason: 'series not calibrated' },
      ]);
    return cals;
  }

  /**
   * Feeds the values to the series' adapter when the forecast is one it made: they are the
   * stream's values from the forecast's first step on (every channel at once).
   */
  private async adapt(
    modelId: string,
    row: AdapterEntity,
    forecastId: string,
    stored: Forecast,
    channels: Array<{ c: number; values: number[] }>,
    from: number,
  ): Promise<{
    adapterId: string;
    updated: boolean;
    next?: number;
    steps?: number;
    updates?: AdaptationUpdate[];
    reason?: string;
  }> {
    const made = stored.meta.adaptation;
    if (!made || made.adapterId !== row.id)
      return {
        adapterId: row.id,
        updated: false,
        reason: `forecast ${forecastId} was not made by adapter ${row.id}`,
      };
    if (channels.length !== stored.channels)
      throw new ValidationFailed(
        `the adapter needs every channel's truth at once: give valuesByChannel (${stored.channelNames.join(', ')})`,
        [{ field: 'valuesByChannel', reason: `one array per channel (${stored.channels})` }],
      );
    const seriesKey = stored.meta.seriesKey ?? '';
    const { loaded, version } = await this.forecasts.loaded(modelId);
    if (version.id !== row.modelVersionId)
      return {
        adapterId: row.id,
        updated: false,
        reason: `model ${modelId} was retrained after adapter ${row.id} was attached`,
      };
    return this.adapters.locked(row.id, seriesKey, async () => {
      const a = await this.adapters.adapter(row, seriesKey, loaded.forecaster);
      if (!a)
        return {
          adapterId: row.id,
          updated: false,
          reason: `adapter ${row.id} has no stream of series '${seriesKey}'`,
        };
      let updates: AdaptationUpdate[];
      try {
        updates = a.observe(
          channels.map((ch) => ch.values),
          made.at + from,
        );
      } catch (e) {
        if (e instanceof ValidationFailed)
          throw new Conflict(`adapter ${row.id}, series '${seriesKey}': ${e.message}`, e.details);
        this.adapters.drop(row.id, seriesKey);
        throw e;
      }
      try {
        await this.adapters.save(row, seriesKey, a, { updated: true, point: true });
      } catch (e) {
        // the in-memory adapter is ahead of what was saved: read it again next time
        this.adapters.drop(row.id, seriesKey);
        throw e;
      }
      const stats = a.stats();
      return { adapterId: row.id, updated: true, next: a.next, steps: stats.steps, updates };
    });
  }
}
