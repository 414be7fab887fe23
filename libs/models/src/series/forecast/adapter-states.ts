import { Injectable } from '@nestjs/common';
import {
  Adapter,
  AdapterSnapshot,
  AdapterStats,
  adapterRegistry,
  FrozenForecast,
  frozenForecast,
  scaleOf,
} from '@seqcast/adapt';
import { Conflict, Unprocessable } from '@seqcast/core';
import { AdapterEntity, OnlineSnapshotEntity, OnlineStateEntity } from '@seqcast/db';
import { Forecast, ScaledForecaster } from '@seqcast/forecast';
import { DataSource, LessThan, MoreThan, Repository } from 'typeorm';
import { Lru } from '../../lru';
import { ActiveRows } from './active-rows';

/** Earlier states kept per series for rollback (the newest ones). */
export const SNAPSHOTS_KEPT = 50;

/** What online_state holds for an adapter's series: the snapshot and its stats (read without restoring). */
export interface StoredAdapterState {
  snapshot: AdapterSnapshot;
  stats: AdapterStats;
}

/** How a forecast request reached the adapter: the series, its history and whether the caller gave it. */
export interface AdaptRequest {
  seriesKey: string;
  history: ReadonlyArray<ArrayLike<number>>;
  /** The request gave its own context (refused once the series is streamed: its context then comes from observations). */
  given: boolean;
  horizon: number;
  forecaster: ScaledForecaster;
  /** The horizon the model was made for (its adapter's modules are sized by it), when it has one. */
  modelHorizon: number | null;
  /**
   * Set when the forecast read uneven stamps (a timed model's dt): the request field they came
   * from. Adapters forecast rows as equally spaced steps, so such a forecast is not adapted.
   */
  timedBy?: string;
}

/**
 * The live side of adapters: which one a model uses, each series' adapter restored from its
 * saved state (kept in memory), saving after updates with a rollback point, and one lock per
 * series so observations and forecasts of a series apply in order.
 */
@Injectable()
export class AdapterStates {
  private readonly adapters: Repository<AdapterEntity>;
  private readonly states: Repository<OnlineStateEntity>;
  private readonly snapshots: Repository<OnlineSnapshotEntity>;
  private readonly active: ActiveRows<AdapterEntity>;
  private readonly live = new Lru<string, Adapter>(2_000, (a) => a.dispose());
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly ds: DataSource) {
    this.adapters = ds.getRepository(AdapterEntity);
    this.active = new ActiveRows(this.adapters);
    this.states = ds.getRepository(OnlineStateEntity);
    this.snapshots = ds.getRepository(OnlineSnapshotEntity);
  }

  /** The model's ready adapter (at most one: older ones are superseded), or null. */
  async activeFor(modelId: string): Promise<AdapterEntity | null> {
    return this.active.of(modelId);
  }

  invalidate(modelId: string): void {
    this.active.invalidate(modelId);
  }

  /** Runs `fn` with the series' lock held: forecasts and observations of one series apply one at a time. */
  async locked<T>(adapterId: string, seriesKey: string, fn: () => Promise<T>): Promise<T> {
    const key = `${adapterId}\u0000${seriesKey}`;
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  /** The frozen view of a served model for one series (its forward in data units, normalised by `scale`). */
  frozen(
    f: ScaledForecaster,
    seriesKey: string,
    channels: number,
    scale: AdapterSnapshot['scale'],
  ): FrozenForecast {
    return frozenForecast(
      (x, h) => f.forward(x, h, seriesKey),
      { lookback: f.lookback, channels, maxHorizon: f.maxHorizon },
      scale,
    );
  }

  /** The series' adapter as saved, or null when it has none yet. */
  async adapter(row: AdapterEntity, seriesKey: string, f: ScaledForecaster): Promise<Adapter | null> {
    const key = `${row.id}\u0000${seriesKey}`;
    const hit = this.live.get(key);
    if (hit) return hit;
    const saved = await this.states.findOneBy({ ownerId: row.id, seriesKey });
    if (!saved) return null;
    const { snapshot } = saved.state as unknown as StoredAdapterState;
    const a = adapterRegistry.restore(snapshot, this.frozen(f, seriesKey, snapshot.channels, snapshot.scale));
    this.live.set(key, a);
    return a;
  }

  /** Forgets the in-memory adapter of a series (after a failed save, a reset or a rollback it is read again). */
  drop(adapterId: string, seriesKey: string): void {
    this.live.delete(`${adapterId}\u0000${seriesKey}`);
  }

  /**
   * Saves a series' adapter and, when `point` is set, keeps this state as a rollback point
   * (seq = the stream time it had reached); older points beyond SNAPSHOTS_KEPT go.
   */
  async save(
    row: AdapterEntity,
    seriesKey: string,
    a: Adapter,
    opts: { updated: boolean; point: boolean },
  ): Promise<void> {
    const snapshot = a.snapshot();
    const stored: StoredAdapterState = { snapshot, stats: a.stats() };
    await this.ds.transaction(async (m) => {
      const existing = await m.findOneBy(OnlineStateEntity, { ownerId: row.id, seriesKey });
      await m.save(
        m.create(OnlineStateEntity, {
          ownerId: row.id,
          ownerKind: 'adapter',
          seriesKey,
          state: stored as unknown as Record<string, unknown>,
          updates: (existing?.updates ?? 0) + (opts.updated ? 1 : 0),
        }),
      );
      if (!opts.point) return;
      await m.save(
        m.create(OnlineSnapshotEntity, {
          ownerId: row.id,
          seriesKey,
          seq: a.next,
          state: stored as unknown as Record<string, unknown>,
        }),
      );
      const kept = await m.find(OnlineSnapshotEntity, {
        where: { ownerId: row.id, seriesKey },
        select: { seq: true },
        order: { seq: 'DESC' },
        skip: SNAPSHOTS_KEPT - 1,
        take: 1,
      });
      if (kept.length)
        await m.delete(OnlineSnapshotEntity, { ownerId: row.id, seriesKey, seq: LessThan(kept[0].seq) });
    });
    this.live.set(`${row.id}\u0000${seriesKey}`, a);
  }

  /** Rollback points of a series, newest first. */
  async points(
    adapterId: string,
    seriesKey: string,
  ): Promise<Array<{ seq: number; createdAt: Date; stats: AdapterStats }>> {
    const rows = await this.snapshots.find({
      where: { ownerId: adapterId, seriesKey },
      order: { seq: 'DESC' },
    });
    return rows.map((r) => ({
      seq: r.seq,
      createdAt: r.createdAt,
      stats: (r.state as unknown as StoredAdapterState).stats,
    }));
  }

  /** Makes the rollback point `seq` the series' state again; later points are dropped. */
  async rollback(row: AdapterEntity, seriesKey: string, seq: number): Promise<StoredAdapterState | null> {
    const point = await this.snapshots.findOneBy({ ownerId: row.id, seriesKey, seq });
    if (!point) return null;
    await this.ds.transaction(async (m) => {
      await m.update(OnlineStateEntity, { ownerId: row.id, seriesKey }, { state: point.state as never });
      await m.delete(OnlineSnapshotEntity, { ownerId: row.id, seriesKey, seq: MoreThan(seq) });
    });
    this.drop(row.id, seriesKey);
    return point.state as unknown as StoredAdapterState;
  }

  /** Saved states of an adapter's series (one series or all), without restoring them. */
  async stored(
    adapterId: string,
    seriesKey?: string,
  ): Promise<Array<{ seriesKey: string; updates: number; updatedAt: Date; state: StoredAdapterState }>> {
    const rows = await this.states.find({
      where: { ownerId: adapterId, ...(seriesKey !== undefined ? { seriesKey } : {}) },
      order: { seriesKey: 'ASC' },
    });
    return rows.map((r) => ({
      seriesKey: r.seriesKey,
      updates: r.updates,
      updatedAt: r.updatedAt,
      state: r.state as unknown as StoredAdapterState,
    }));
  }

  /**
   * The forecast adapted by the model's ready adapter, when it has one for the model's current
   * version: the series' adapter (created from this request's history on first use) forecasts
   * from its stream. Otherwise the forecast as it is.
   */
  async adapt(modelId: string, modelVersionId: string, made: Forecast, req: AdaptRequest): Promise<Forecast> {
    const row = await this.activeFor(modelId);
    if (!row || row.modelVersionId !== modelVersionId) return made;
    if (req.timedBy !== undefined)
      throw new Unprocessable(
        `adapter ${row.id} forecasts rows as equally spaced steps; this forecast reads uneven stamps (${req.timedBy}): detach the adapter, or forecast from evenly spaced times`,
        [{ field: req.timedBy, reason: 'uneven stamps: an adapter does not read times' }],
      );
    return this.locked(row.id, req.seriesKey, async () => {
      let a = await this.adapter(row, req.seriesKey, req.forecaster);
      if (a && req.given)
        throw new Conflict(
          `series '${req.seriesKey}' is streamed by adapter ${row.id}: its context is what was observed; send truths to POST /models/${modelId}/observations instead of a context`,
          [{ field: 'context', reason: 'the series is streamed by an adapter (leave context out)' }],
        );
      const H = Math.min(req.forecaster.maxHorizon, req.modelHorizon ?? req.forecaster.maxHorizon);
      if (req.horizon > (a?.horizon ?? H))
        throw new Unprocessable(
          `adapter ${row.id} forecasts up to ${a?.horizon ?? H} steps (the model's horizon); asked for ${req.horizon}`,
          [{ field: 'horizon', reason: `at most ${a?.horizon ?? H} with an adapter attached` }],
        );
      if (!a) {
        const L = req.forecaster.lookback;
        const start = req.history.map((h) => Float64Array.from({ length: L }, (_, i) => h[h.length - L + i]));
        const scale = scaleOf(start);
        a = adapterRegistry.create(row.method, row.options, {
          frozen: this.frozen(req.forecaster, req.seriesKey, start.length, scale),
          horizon: H,
          scale,
        });
        a.start(start);
        await this.save(row, req.seriesKey, a, { updated: false, point: true });
      }
      const point = a.forecast().map((p) => p.slice(0, req.horizon));
      const stats = a.stats();
      return new Forecast({
        point,
        meta: {
          ...made.meta,
          adaptation: { adapterId: row.id, method: row.method, at: a.next, steps: stats.steps },
        },
      });
    });
  }
}
