import { JobEntity } from '@seqcast/db';
import { DataSource } from 'typeorm';
import { JobStore } from '../job-store';
import { memoryDatabase } from '../testing/job-fixtures';
import { QueueReconciler } from './queue-reconciler';

const LEASE = 10_000;

/** A queue that knows jobs by id and state, like BullMQ's getJobState, and records redeliveries. */
function fakeQueue(states: Map<string, string>) {
  const redelivered: string[] = [];
  return {
    redelivered,
    queue: {
      stateOf: async (id: string) => states.get(id) ?? 'unknown',
      redeliver: async (row: JobEntity) => {
        redelivered.push(row.id);
        states.set(row.id, 'waiting');
      },
    },
  };
}

describe('QueueReconciler: rows the queue lost are delivered again', () => {
  let ds: DataSource;
  let store: JobStore;

  beforeEach(async () => {
    ({ ds } = await memoryDatabase());
    store = new JobStore(ds);
  });
  afterEach(() => ds.destroy());

  const job = (id: string) => store.create({ id, type: 'diagnostic.sleep', payload: {}, maxAttempts: 3 });

  it('leaves rows the queue holds, and a queued row missing only since this pass', async () => {
    await job('held');
    await job('missing');
    const states = new Map([['held', 'waiting']]);
    const q = fakeQueue(states);
    const r = new QueueReconciler(store, q.queue, { runningLeaseMs: LEASE });
    expect(await r.reconcile(1000)).toEqual([]);
    // Still missing and untouched on the next pass: delivered again, once.
    expect(await r.reconcile(2000)).toEqual(['missing']);
    expect(await r.reconcile(3000)).toEqual([]);
    expect(q.redelivered).toEqual(['missing']);
  });

  it('redelivers a queued row whose BullMQ job finished without running it (given up while the database was down)', async () => {
    await job('gave-up');
    const q = fakeQueue(new Map([['gave-up', 'failed']]));
    const r = new QueueReconciler(store, q.queue, { runningLeaseMs: LEASE });
    await r.reconcile(1000);
    expect(await r.reconcile(2000)).toEqual(['gave-up']);
  });

  it('waits a whole lease for a running row, and never while its worker heartbeats it', async () => {
    await job('dead');
    await job('alive');
    await store.claim('dead', ['queued']);
    await store.claim('alive', ['queued']);
    const q = fakeQueue(new Map());
    const r = new QueueReconciler(store, q.queue, { runningLeaseMs: LEASE });
    const beat = async () => {
      await new Promise((res) => setTimeout(res, 5)); // a later updatedAt than the last pass saw
      await store.heartbeat('alive');
    };
    expect(await r.reconcile(0)).toEqual([]);
    await beat();
    expect(await r.reconcile(LEASE / 2)).toEqual([]);
    await beat();
    expect(await r.reconcile(LEASE + 1)).toEqual(['dead']);
    await beat();
    expect(await r.reconcile(3 * LEASE)).toEqual([]);
    expect(q.redelivered).toEqual(['dead']);
  });

  it('forgets finished rows', async () => {
    await job('done');
    const q = fakeQueue(new Map());
    const r = new QueueReconciler(store, q.queue, { runningLeaseMs: LEASE });
    await r.reconcile(1000);
    await store.claim('done', ['queued']);
    await store.finish('done', 'succeeded', { result: null });
    expect(await r.reconcile(2000)).toEqual([]);
    expect(q.redelivered).toEqual([]);
  });
});
