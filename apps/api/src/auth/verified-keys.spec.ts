import { loadConfig } from '@seqcast/core';
import { ApiKeyEntity, ApiKeys, openDatabase } from '@seqcast/db';
import { DataSource } from 'typeorm';
import { VERIFIED_KEY_TTL_MS, VerifiedKeys } from './verified-keys';

describe('VerifiedKeys', () => {
  let ds: DataSource;

  beforeEach(async () => {
    ds = await openDatabase(loadConfig({ SQLITE_PATH: ':memory:' }));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await ds.destroy();
  });

  it('trusts a verified key for the TTL without the database, and forgets it when revoked through this process', async () => {
    const made = await new ApiKeys(ds).create(['read'], 'k');
    const keys = new VerifiedKeys(ds);
    const t0 = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(t0);
    expect((await keys.verify(made.key))?.id).toBe(made.id);
    // Revoked by another process (its row changed under us): trusted until the TTL is over...
    await ds.getRepository(ApiKeyEntity).update({ id: made.id }, { revokedAt: new Date() });
    const queries = jest.spyOn(ds.getRepository(ApiKeyEntity), 'findOne');
    now.mockReturnValue(t0 + VERIFIED_KEY_TTL_MS - 1);
    expect((await keys.verify(made.key))?.id).toBe(made.id);
    expect(queries).not.toHaveBeenCalled();
    // ...and asked again after it.
    now.mockReturnValue(t0 + VERIFIED_KEY_TTL_MS);
    expect(await keys.verify(made.key)).toBeNull();
    // Revoked through this process: forgotten at once.
    const other = await new ApiKeys(ds).create(['read'], 'other');
    expect(await keys.verify(other.key)).not.toBeNull();
    await new ApiKeys(ds).revoke(other.id);
    keys.forget(other.id);
    expect(await keys.verify(other.key)).toBeNull();
  });
});
