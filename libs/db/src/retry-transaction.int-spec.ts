import { DataSource, EntityManager } from 'typeorm';
import { freshPostgresUrl } from '../../../test/support/postgres';
import { isRetryableConflict, transactionRetryingConflicts } from './retry-transaction';

/**
 * Two transactions that lock two rows in opposite orders: PostgreSQL aborts one of them
 * (40P01, deadlock_detected). Plain transactions lose that one's work; retried ones both commit.
 */
describe('transactionRetryingConflicts (PostgreSQL)', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    drop = db.drop;
    // A second connection is needed for the two transactions to overlap.
    ds = new DataSource({ type: 'postgres', url: db.url, poolSize: 4 });
    await ds.initialize();
    await ds.query('create table counter (id int primary key, v int not null)');
  });
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });
  beforeEach(() => ds.query('truncate counter; insert into counter values (1, 0), (2, 0)'));

  /** Bumps `first` then, once the other transaction holds its first row, `second`. */
  const crossing =
    (first: number, second: number, bothHoldOne: Promise<unknown>, held: () => void) =>
    async (m: EntityManager) => {
      await m.query('update counter set v = v + 1 where id = $1', [first]);
      held();
      await bothHoldOne;
      await m.query('update counter set v = v + 1 where id = $1', [second]);
    };

  /** Runs the two crossing transactions through `run`; the barrier is only for the first attempt of each. */
  async function race(run: (work: (m: EntityManager) => Promise<void>) => Promise<void>) {
    let held = 0;
    let release!: () => void;
    const barrier = new Promise<void>((r) => (release = r));
    const hold = () => {
      if (++held === 2) release();
    };
    return Promise.allSettled([run(crossing(1, 2, barrier, hold)), run(crossing(2, 1, barrier, hold))]);
  }
  const values = async () =>
    (await ds.query('select v from counter order by id')).map((r: { v: number }) => r.v);

  it('plain transactions: PostgreSQL aborts one as a deadlock victim and its work is lost', async () => {
    const results = await race((work) => ds.transaction(work));
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).toHaveLength(1);
    expect(isRetryableConflict(rejected[0].reason)).toBe(true);
    expect(await values()).toEqual([1, 1]);
  });

  it('retried: the victim runs again after the winner commits, and both bumps land', async () => {
    const results = await race((work) => transactionRetryingConflicts(ds, work));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await values()).toEqual([2, 2]);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      transactionRetryingConflicts(ds, async (m) => {
        calls++;
        await m.query('select * from no_such_table');
      }),
    ).rejects.toThrow(/no_such_table/);
    expect(calls).toBe(1);
  });
});
