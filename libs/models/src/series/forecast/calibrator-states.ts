import { Injectable } from '@nestjs/common';
import {
  Calibrator,
  calibrateForecast,
  calibratorRegistry,
  CalibratorState,
  CalibratorStateView,
} from '@seqcast/conformal';
import { CalibratorEntity, OnlineStateEntity } from '@seqcast/db';
import type { Forecast } from '@seqcast/forecast';
import { DataSource, Repository } from 'typeorm';
import { Lru } from '../../lru';
import { ActiveRows } from './active-rows';

/**
 * The calibrator state key of a forecast channel: the series key for a univariate forecast,
 * `series/channel` for each channel of a multichannel one.
 */
export function calibratorKey(seriesKey: string, channelNames: string[], channel: number): string {
  return channelNames.length === 1 ? seriesKey : `${seriesKey}/${channelNames[channel]}`;
}

/**
 * The live side of calibrators: which one a model uses, each series' calibrator restored
 * from its saved state (kept in memory), and saving after updates.
 */
@Injectable()
export class CalibratorStates {
  private readonly calibrators: Repository<CalibratorEntity>;
  private readonly states: Repository<OnlineStateEntity>;
  private readonly active: ActiveRows<CalibratorEntity>;
  private readonly live = new Lru<string, Calibrator | null>(10_000);

  constructor(ds: DataSource) {
    this.calibrators = ds.getRepository(CalibratorEntity);
    this.active = new ActiveRows(this.calibrators);
    this.states = ds.getRepository(OnlineStateEntity);
  }

  /** The model's ready calibrator (at most one: older ones are superseded), or null. */
  async activeFor(modelId: string): Promise<CalibratorEntity | null> {
    return this.active.of(modelId);
  }

  invalidate(modelId: string): void {
    this.active.invalidate(modelId);
  }

  async calibrator(calibratorId: string, seriesKey: string): Promise<Calibrator | null> {
    const key = `${calibratorId}\u0000${seriesKey}`;
    const hit = this.live.get(key);
    if (hit !== undefined) return hit;
    const row = await this.states.findOneBy({ ownerId: calibratorId, seriesKey });
    const cal = row ? calibratorRegistry.restore(row.state as unknown as CalibratorState) : null;
    this.live.set(key, cal);
    return cal;
  }

  async save(calibratorId: string, seriesKey: string, cal: Calibrator, updated: boolean): Promise<void> {
    const existing = await this.states.findOneBy({ ownerId: calibratorId, seriesKey });
    await this.states.save(
      this.states.create({
        ownerId: calibratorId,
        ownerKind: 'calibrator',
        seriesKey,
        state: cal.toState() as unknown as Record<string, unknown>,
        updates: (existing?.updates ?? 0) + (updated ? 1 : 0),
      }),
    );
    this.live.set(`${calibratorId}\u0000${seriesKey}`, cal);
  }

  /**
   * Every series state of a calibrator, described (residual counts, ACI's alpha_t, SPCI's
   * forest, rolling coverage per step and level), with how many truths updated it and when.
   */
  async describeAll(
    calibratorId: string,
  ): Promise<Array<{ seriesKey: string; updates: number; updatedAt: Date } & CalibratorStateView>> {
    const rows = await this.states.find({
      where: { ownerId: calibratorId, ownerKind: 'calibrator' },
      order: { seriesKey: 'ASC' },
    });
    return Promise.all(
      rows.map(async (row) => {
        const cal = await this.calibrator(calibratorId, row.seriesKey);
        return {
          seriesKey: row.seriesKey,
          updates: row.updates,
          updatedAt: row.updatedAt,
          ...cal!.describe(),
        };
      }),
    );
  }

  /**
   * The forecast with the intervals of the model's ready calibrator, when it has a state for
   * every channel of the forecast's series; otherwise the forecast as it is. A forecast longer
   * than the calibrated steps is refused (422 naming horizon) unless `extrapolate`.
   */
  async calibrate(modelId: string, forecast: Forecast, extrapolate = false): Promise<Forecast> {
    const row = await this.activeFor(modelId);
    const seriesKey = forecast.meta.seriesKey;
    if (!row || seriesKey === undefined) return forecast;
    const names = forecast.channelNames;
    const cals: Calibrator[] = [];
    for (let c = 0; c < forecast.channels; c++) {
      const cal = await this.calibrator(row.id, calibratorKey(seriesKey, names, c));
      if (!cal) return forecast;
      cals.push(cal);
    }
    return calibrateForecast(forecast, cals, {
      source: { calibratorId: row.id, method: row.method },
      extrapolate,
    });
  }
}
