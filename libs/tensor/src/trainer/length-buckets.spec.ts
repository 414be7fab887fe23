import { Rng } from '@seqcast/numeric';
import { POOL_BATCHES, bucketByLength } from './length-buckets';

describe('bucketByLength', () => {
  // lengths like event sequences: a wide spread
  const rng = new Rng(3);
  const lengths = Array.from({ length: 1000 }, () => 5 + Math.floor(rng.next() * 70));
  const batchSize = 32;
  const shuffled = () => new Rng(9).shuffle(Array.from({ length: lengths.length }, (_, i) => i));

  /** Sum over batches of batchSize x the longest row: the padded cells a batch costs. */
  const paddedCells = (order: number[]) => {
    let cells = 0;
    for (let s = 0; s < order.length; s += batchSize) {
      const b = order.slice(s, s + batchSize);
      cells += b.length * Math.max(...b.map((r) => lengths[r]));
    }
    return cells;
  };

  it('visits every row once, the partial batch last', () => {
    const out = bucketByLength(shuffled(), (r) => lengths[r], batchSize, new Rng(1));
    expect([...out].sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    // 1000 = 31 full batches + 8: the last 8 rows come from the last pool's tail
    const tail = out.slice(31 * batchSize);
    expect(tail).toHaveLength(1000 - 31 * batchSize);
  });

  it('pads far less than random batches; each batch comes from one sorted pool', () => {
    const random = shuffled();
    const bucketed = bucketByLength(random, (r) => lengths[r], batchSize, new Rng(1));
    const real = lengths.reduce((a, b) => a + b, 0);
    // random batches of uniform(5, 75) lengths pay ~max ~ 73 per row; bucketed ones ~ real + a pool's spread / 8
    expect(paddedCells(random) / real).toBeGreaterThan(1.6);
    expect(paddedCells(bucketed) / real).toBeLessThan(1.25);
    expect(POOL_BATCHES).toBeGreaterThan(1);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = bucketByLength(shuffled(), (r) => lengths[r], batchSize, new Rng(1));
    const b = bucketByLength(shuffled(), (r) => lengths[r], batchSize, new Rng(1));
    const c = bucketByLength(shuffled(), (r) => lengths[r], batchSize, new Rng(2));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
