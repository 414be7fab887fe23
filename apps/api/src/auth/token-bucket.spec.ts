import { MemoryBuckets } from './token-bucket';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('token buckets (memory store)', () => {
  it('lets a burst through, then one request per 1/rate seconds, with the wait to the next token', async () => {
    const c = clock();
    const store = new MemoryBuckets({ rate: 1, burst: 3 }, c.now, 0);
    // A new caller starts full: 3 tokens, 2, 1, 0 left.
    expect(await store.take('a')).toEqual({ allowed: true, remaining: 2, waitMs: 0 });
    expect(await store.take('a')).toEqual({ allowed: true, remaining: 1, waitMs: 0 });
    expect(await store.take('a')).toEqual({ allowed: true, remaining: 0, waitMs: 0 });
    // Empty: one token takes 1 s at 1 token/s.
    expect(await store.take('a')).toEqual({ allowed: false, remaining: 0, waitMs: 1000 });
    // 400 ms later: 0.4 tokens, 600 ms to go; the refusal spends nothing.
    c.advance(400);
    expect(await store.take('a')).toEqual({ allowed: false, remaining: 0, waitMs: 600 });
    c.advance(600);
    expect(await store.take('a')).toEqual({ allowed: true, remaining: 0, waitMs: 0 });
    // Another caller has a bucket of its own.
    expect(await store.take('b')).toEqual({ allowed: true, remaining: 2, waitMs: 0 });
  });

  it('refills by elapsed time at fractional rates, and never past the burst', async () => {
    const c = clock();
    const store = new MemoryBuckets({ rate: 4, burst: 10 }, c.now, 0);
    for (let i = 0; i < 10; i++) await store.take('k');
    // 4 tokens/s: after 625 ms, 2.5 tokens; one spent leaves 1.5 (1 whole).
    c.advance(625);
    expect(await store.take('k')).toEqual({ allowed: true, remaining: 1, waitMs: 0 });
    // 0.5 left after one more; the next needs 0.5 token = 125 ms.
    expect(await store.take('k')).toEqual({ allowed: true, remaining: 0, waitMs: 0 });
    expect(await store.take('k')).toEqual({ allowed: false, remaining: 0, waitMs: 125 });
    // An hour idle: full (10), not 14 400.
    c.advance(3600_000);
    expect(await store.take('k')).toEqual({ allowed: true, remaining: 9, waitMs: 0 });
  });

  it('prunes the buckets that have refilled to full, keeping the others', async () => {
    const c = clock();
    const store = new MemoryBuckets({ rate: 2, burst: 4 }, c.now, 0);
    await store.take('idle'); // 3 left: full again after 0.5 s
    for (let i = 0; i < 4; i++) await store.take('busy'); // 0 left: full again after 2 s
    c.advance(1000);
    store.prune();
    expect(store.size).toBe(1);
    // What was kept still counts: 2 tokens after 1 s, 1 left once one is spent.
    expect(await store.take('busy')).toEqual({ allowed: true, remaining: 1, waitMs: 0 });
    // And a pruned caller starts full, as it would have been.
    expect(await store.take('idle')).toEqual({ allowed: true, remaining: 3, waitMs: 0 });
    await store.close();
  });
});
