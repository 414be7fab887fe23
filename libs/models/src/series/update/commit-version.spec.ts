import { Conflict } from '@seqcast/core';
import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { DataSource } from 'typeorm';
import { trainVersion } from '../../model-versions';
import { ArFixture, bootWithArModel } from '../../testing/ar-series-model';
import { SeriesModelsModule } from '../series-models.module';

jest.setTimeout(60_000);

// An update's version is recorded only on the version it started from; otherwise nothing is.
describe('recording an updated version', () => {
  let fx: ArFixture;
  let ds: DataSource;
  beforeAll(async () => {
    fx = await bootWithArModel(SeriesModelsModule);
    ds = fx.app.get(DataSource);
  });
  afterAll(() => fx?.app.close());

  const state = async () => ({
    model: await ds.getRepository(ModelEntity).findOneByOrFail({ id: fx.modelId }),
    versions: await ds.getRepository(ModelVersionEntity).countBy({ modelId: fx.modelId }),
  });
  const work = async () => ({
    version: { artifactRef: 'written', datasetVersionId: null, metrics: null, backend: null },
    result: null,
  });

  it('refuses (Conflict) and discards the artifact when another version became current meanwhile', async () => {
    const before = await state();
    const discarded: string[] = [];
    await expect(
      trainVersion(ds, fx.modelId, work, {
        basedOn: '00000000-0000-4000-8000-000000000000',
        discard: async (v) => void discarded.push(v.artifactRef),
      }),
    ).rejects.toThrow(Conflict);
    expect(discarded).toEqual(['written']);
    const after = await state();
    expect(after.versions).toBe(before.versions);
    expect(after.model).toMatchObject({ status: 'trained', latestVersionId: before.model.latestVersionId });
  });

  it('leaves the model as it was when the work fails, and records it on the version it started from', async () => {
    const before = await state();
    await expect(
      trainVersion(ds, fx.modelId, () => Promise.reject(new Error('boom')), {
        basedOn: before.model.latestVersionId!,
      }),
    ).rejects.toThrow('boom');
    const after = await state();
    expect(after.versions).toBe(before.versions);
    expect(after.model).toMatchObject({ status: 'trained', latestVersionId: before.model.latestVersionId });
    const { row } = await trainVersion(ds, fx.modelId, work, { basedOn: before.model.latestVersionId! });
    expect((await state()).model.latestVersionId).toBe(row.id);
  });
});
