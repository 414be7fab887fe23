import { Injectable } from '@nestjs/common';
import { adapterRegistry } from '@seqcast/adapt';
import { NotFound, Unprocessable, ValidationFailed } from '@seqcast/core';
import { AdapterEntity } from '@seqcast/db';
import { randomUUID } from 'crypto';
import { DataSource, Repository } from 'typeorm';
import { AdapterStates } from '../series/forecast/adapter-states';
import { ForecastService } from '../series/forecast/forecast.service';

export interface NewAdapter {
  method: string;
  options?: Record<string, unknown>;
}

/** One series' adapter as GET .../state shows it. */
export interface AdapterSeriesState {
  seriesKey: string;
  /** Stream time of the next observation (the first context value is time 0). */
  next: number;
  steps: number;
  recentLoss: number | null;
  parameterCount: number;
  /** Observations applied. */
  updates: number;
  updatedAt: Date;
  /** Rollback points (stream times), newest first. */
  rollbackPoints: number[];
}

/**
 * Attaching online adapters to models and managing their per-series states: the states
 * themselves are made by forecasts (a series' adapter starts at its first adapted forecast)
 * and advanced by observations (CalibrationService.observe, the one observations route).
 */
@Injectable()
export class AdaptationService {
  private readonly adapters: Repository<AdapterEntity>;

  constructor(
    ds: DataSource,
    private readonly forecasts: ForecastService,
    private readonly states: AdapterStates,
  ) {
    this.adapters = ds.getRepository(AdapterEntity);
  }

  async create(modelId: string, input: NewAdapter): Promise<AdapterEntity> {
    const options = adapterRegistry.options(input.method, input.options ?? {});
    const { model, version, loaded } = await this.forecasts.loaded(modelId);
    if (!loaded.forecaster.capabilities.differentiable)
      throw new Unprocessable(
        `model ${model.id} (${model.kind}) has no differentiable forward: adapters need one`,
        [{ field: 'modelId', reason: `kind ${model.kind} cannot be adapted` }],
      );
    // adapters run the model's forward on rows as equally spaced steps: a fit on each step's gap would be fed dt 1
    if (loaded.forecaster.timed?.nominalGap != null)
      throw new Unprocessable(
        `model ${model.id} was trained with each step's gap (unevenly spaced rows); adapters read rows as equally spaced steps`,
        [
          {
            field: 'model',
            reason: 'trained with dt from the stamps (timing.dt); adapters do not read stamps',
          },
        ],
      );
    const row = this.adapters.create({
      id: randomUUID(),
      modelId,
      method: input.method,
      options,
      status: 'ready',
      modelVersionId: version.id,
    });
    await this.adapters.manager.transaction(async (m) => {
      await m.update(AdapterEntity, { modelId, status: 'ready' }, { status: 'superseded' });
      await m.save(row);
    });
    this.states.invalidate(modelId);
    return row;
  }

  async list(modelId: string): Promise<AdapterEntity[]> {
    await this.forecasts.current(modelId);
    return this.adapters.find({ where: { modelId }, order: { createdAt: 'DESC' } });
  }

  async get(modelId: string, adapterId: string): Promise<AdapterEntity> {
    const row = await this.adapters.findOneBy({ id: adapterId, modelId });
    if (!row)
      throw new NotFound(`model ${modelId} has no adapter ${adapterId}`, [
        { field: 'adapterId', reason: 'no such adapter' },
      ]);
    return row;
  }

  /** Detaches an adapter: forecasts are no longer adapted by it (its states stay for inspection). */
  async detach(modelId: string, adapterId: string): Promise<AdapterEntity> {
    const row = await this.get(modelId, adapterId);
    await this.adapters.update({ id: row.id }, { status: 'detached' });
    this.states.invalidate(modelId);
    return { ...row, status: 'detached' };
  }

  async seriesStates(modelId: string, adapterId: string, seriesKey?: string): Promise<AdapterSeriesState[]> {
    await this.get(modelId, adapterId);
    const rows = await this.states.stored(adapterId, seriesKey);
    if (seriesKey !== undefined && !rows.length)
      throw new NotFound(
        `adapter ${adapterId} has no state for series '${seriesKey}' (it starts at the series' first forecast)`,
        [{ field: 'seriesKey', reason: 'no adapted forecast of this series yet' }],
      );
    return Promise.all(
      rows.map(async (r) => ({
        seriesKey: r.seriesKey,
        next: r.state.stats.next,
        steps: r.state.stats.steps,
        recentLoss: r.state.stats.recentLoss,
        parameterCount: r.state.stats.parameterCount,
        updates: r.updates,
        updatedAt: r.updatedAt,
        rollbackPoints: (await this.states.points(adapterId, r.seriesKey)).map((p) => p.seq),
      })),
    );
  }

  /** Puts a series' adapter back to its initial modules (the identity), keeping its stream. */
  async reset(modelId: string, adapterId: string, seriesKey: string): Promise<AdapterSeriesState> {
    const row = await this.get(modelId, adapterId);
    const { loaded } = await this.forecasts.loaded(modelId);
    await this.states.locked(row.id, seriesKey, async () => {
      const a = await this.states.adapter(row, seriesKey, loaded.forecaster);
      if (!a) throw this.noSeries(adapterId, seriesKey);
      a.reset();
      await this.states.save(row, seriesKey, a, { updated: false, point: true });
    });
    return (await this.seriesStates(modelId, adapterId, seriesKey))[0];
  }

  /**
   * Makes an earlier state of a series current again: modules and stream as they were at
   * stream time `seq` (observations then resume at that time; later rollback points go).
   */
  async rollback(
    modelId: string,
    adapterId: string,
    seriesKey: string,
    seq: number,
  ): Promise<AdapterSeriesState> {
    const row = await this.get(modelId, adapterId);
    if (!Number.isInteger(seq) || seq < 0)
      throw new ValidationFailed('seq must be a non-negative integer', [
        { field: 'seq', reason: 'a rollback point' },
      ]);
    await this.states.locked(row.id, seriesKey, async () => {
      const points = await this.states.points(adapterId, seriesKey);
      if (!points.length) throw this.noSeries(adapterId, seriesKey);
      const done = await this.states.rollback(row, seriesKey, seq);
      if (!done)
        throw new NotFound(`series '${seriesKey}' has no rollback point ${seq}`, [
          { field: 'seq', reason: `one of: ${points.map((p) => p.seq).join(', ')}` },
        ]);
    });
    return (await this.seriesStates(modelId, adapterId, seriesKey))[0];
  }

  private noSeries(adapterId: string, seriesKey: string): NotFound {
    return new NotFound(`adapter ${adapterId} has no state for series '${seriesKey}'`, [
      { field: 'seriesKey', reason: 'no adapted forecast of this series yet' },
    ]);
  }
}
