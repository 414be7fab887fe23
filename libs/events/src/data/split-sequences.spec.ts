import { Rng } from '@seqcast/tensor';
import { splitSequences } from './dataset-utils';

describe('splitSequences', () => {
  const items = Array.from({ length: 20 }, (_, i) => i);

  it('cuts a seeded shuffle into parts of the given fractions, every item once', () => {
    const [a, b, c] = splitSequences(items, [0.7, 0.15, 0.15], 4);
    expect([a.length, b.length, c.length]).toEqual([14, 3, 3]);
    expect([...a, ...b, ...c].sort((x, y) => x - y)).toEqual(items);
    // the order is the shared Rng's Fisher-Yates shuffle seeded seed + 1
    expect([...a, ...b, ...c]).toEqual(new Rng(5).shuffle([...items]));
  });

  it('gives the same parts for the same seed, other parts for another, and normalises the fractions', () => {
    expect(splitSequences(items, [2, 1, 1], 7)).toEqual(splitSequences(items, [0.5, 0.25, 0.25], 7));
    expect(splitSequences(items, [0.5, 0.25, 0.25], 7)).not.toEqual(splitSequences(items, [0.5, 0.25, 0.25], 8));
  });

  it('keeps at least one training item', () => {
    expect(splitSequences([1, 2], [0.1, 0.45, 0.45], 0)[0]).toHaveLength(1);
  });
});
