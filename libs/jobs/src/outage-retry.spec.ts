import { DataSource } from 'typeorm';
import { SleepJobHandler } from './diagnostic/sleep.handler';
import { JobRunner } from './job-runner';
import { JobStore } from './job-store';
import { isConnectionError, throughOutage } from './outage-retry';
import { memoryDatabase, registryOf } from './testing/job-fixtures';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('writes through a database outage', () => {
  it('tells an unreachable database from a wrong write', () => {
    expect(isConnectionError(refused())).toBe(true);
    expect(
      isConnectionError(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      ),
    ).toBe(true);
    expect(
      isConnectionError(Object.assign(new Error('the database system is starting up'), { code: '57P03' })),
    ).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isConnectionError(
        Object.assign(new Error('value too long for type character varying(16)'), { code: '22001' }),
      ),
    ).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });

  it('tries again while the database is away, and gives a wrong write up at once', async () => {
    let calls = 0;
    const waits: number[] = [];
    const ok = await throughOutage(
      async () => {
        if (++calls < 3) throw refused();
        return 'written';
      },
      (_e, ms) => waits.push(ms),
      [1, 2, 3],
    );
    expect([ok, calls, waits]).toEqual(['written', 3, [1, 2]]);
    let wrong = 0;
    await expect(
      throughOutage(
        async () => {
          wrong++;
          throw new Error('syntax error');
        },
        () => undefined,
        [1, 2, 3],
      ),
    ).rejects.toThrow('syntax error');
    expect(wrong).toBe(1);
    await expect(
      throughOutage(
        async () => Promise.reject(refused()),
        () => undefined,
        [1],
      ),
    ).rejects.toThrow('ECONNREFUSED');
  });

  describe('a job whose result cannot be recorded at first', () => {
    let ds: DataSource;
    beforeEach(async () => ({ ds } = await memoryDatabase()));
    afterEach(async () => {
      jest.restoreAllMocks();
      await ds.destroy();
    });

    it('is recorded as succeeded once the database is back, having run once', async () => {
      const store = new JobStore(ds);
      const sleep = new SleepJobHandler();
      const runs = jest.spyOn(sleep, 'run');
      const runner = new JobRunner(store, registryOf(sleep));
      const row = await store.create({
        type: 'diagnostic.sleep',
        payload: { steps: 1, stepMs: 1 },
        maxAttempts: 3,
      });
      const finish = store.finish.bind(store);
      let refusals = 2;
      jest.spyOn(store, 'finish').mockImplementation(async (...args) => {
        if (refusals-- > 0) throw refused();
        return finish(...args);
      });
      expect(await runner.run(row.id, ['queued'])).toBe('succeeded');
      expect(runs).toHaveBeenCalledTimes(1);
      expect(await store.get(row.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    });
  });
});
