import { loadConfig } from '@seqcast/core';
import { dataSourceOptions, ForecastEntity, ModelEntity } from '@seqcast/db';
import { MIGRATIONS } from '@seqcast/migrations';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { freshPostgresUrl } from '../../../../../test/support/postgres';
import { ForecastWriter } from './forecast-writer';
import { forecastFromRow, toForecastRow } from './stored-forecast';
import { contentOf, richForecast } from '../../testing/rich-forecast';

const ids = {
  id: '0b7f3c2e-0000-4000-8000-000000000001',
  modelId: 'm-1',
  modelVersionId: richForecast().meta.modelVersion!,
};
const LEGACY_ID = '0b7f3c2e-0000-4000-8000-000000000002';

/**
 * A row as the code before format 2 wrote it, inserted before the forecast-channels migration,
 * must read back after it; a rich forecast (two channels, intervals, quantiles, samples) must
 * come back from the database exactly.
 */
async function roundTrip(options: ReturnType<typeof dataSourceOptions>): Promise<void> {
  const before = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, -1) });
  await before.initialize();
  try {
    await before.runMigrations();
    const pg = options.type === 'postgres';
    const cols = ['id', 'modelId', 'modelVersionId', 'seriesKey', 'origin', 'horizon', 'values'];
    const marks = cols.map((_, i) => (pg ? `$${i + 1}` : '?')).join(', ');
    await before.query(`insert into forecast (${cols.map((c) => `"${c}"`).join(', ')}) values (${marks})`, [
      LEGACY_ID,
      'm-1',
      'v-0',
      'co2',
      pg
        ? new Date(Date.UTC(2024, 0, 1))
        : new Date(Date.UTC(2024, 0, 1)).toISOString().replace('T', ' ').slice(0, 23),
      2,
      JSON.stringify({
        frequency: '1M',
        point: [410.5, 411.25],
        bounds: { 'lo-90': [409, 410], 'hi-90': [412, 412.5] },
        calibratorId: 'c',
      }),
    ]);
  } finally {
    await before.destroy();
  }

  const ds = new DataSource(options);
  await ds.initialize();
  try {
    await ds.runMigrations();
    const repo = ds.getRepository(ForecastEntity);
    const legacy = await repo.findOneByOrFail({ id: LEGACY_ID });
    expect(legacy).toMatchObject({ channels: 1, levels: null, quantiles: null, samples: 0 });
    const old = forecastFromRow(legacy);
    expect(Array.from(old.channel(0))).toEqual([410.5, 411.25]);
    expect(old.interval('90')).toEqual({
      lower: [Float64Array.of(409, 410)],
      upper: [Float64Array.of(412, 412.5)],
    });
    expect(old.meta).toMatchObject({ seriesKey: 'co2', origin: Date.UTC(2024, 0, 1), frequency: '1M' });

    const f = richForecast();
    // The writer stores forecasts of models that exist only (one deleted meanwhile takes its forecasts along).
    await ds.getRepository(ModelEntity).insert({
      id: ids.modelId,
      name: 'm',
      kind: 'naive',
      config: {},
      status: 'trained',
    } as never);
    const writer = new ForecastWriter(ds);
    writer.add(toForecastRow(f, ids));
    await writer.flush();
    const row = await repo.findOneByOrFail({ id: ids.id });
    expect(row).toMatchObject({
      seriesKey: 'site-7',
      horizon: 3,
      channels: 2,
      levels: ['80', '95'],
      quantiles: [0.1, 0.9],
      samples: 3,
    });
    expect(row.origin!.getTime()).toBe(Date.UTC(2026, 2, 1, 23));
    const back = forecastFromRow(row, f.meta.clock);
    expect(contentOf(back)).toEqual(contentOf(f));
    expect(back.timestamps()).toEqual(f.timestamps());
    expect(back.interval('80').lower[1][1]).toBe(999_999.123456789);
  } finally {
    await ds.destroy();
  }
}

describe('stored forecasts', () => {
  it('round-trip on SQLite, and rows from before read back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-forecast-db-'));
    try {
      await roundTrip(dataSourceOptions(loadConfig({ DATA_DIR: dir })));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trip on PostgreSQL, and rows from before read back', async () => {
    const { url, drop } = await freshPostgresUrl();
    try {
      await roundTrip(dataSourceOptions(loadConfig({ DATABASE_URL: url })));
    } finally {
      await drop();
    }
  });
});
