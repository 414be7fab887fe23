import { ValidationFailed } from '@seqcast/core';
import { StreamHistory } from './stream-history';

describe('StreamHistory', () => {
  it('keeps the newest values with their absolute times, across appends of any size', () => {
    const h = new StreamHistory(2, 5);
    h.append(
      [
        [0, 1, 2],
        [10, 11, 12],
      ],
      0,
    );
    h.append([[3], [13]], 3);
    h.append(
      [
        [4, 5, 6, 7],
        [14, 15, 16, 17],
      ],
      4,
    );
    expect(h.next).toBe(8);
    expect(h.oldest).toBe(3);
    expect(h.slice(3, 8).map((v) => Array.from(v))).toEqual([
      [3, 4, 5, 6, 7],
      [13, 14, 15, 16, 17],
    ]);
    // an append longer than what is kept keeps only its own tail
    h.append(
      [
        [8, 9, 10, 11, 12, 13, 14],
        [0, 0, 0, 0, 0, 0, 0],
      ],
      8,
    );
    expect(h.oldest).toBe(10);
    expect(Array.from(h.slice(10, 15)[0])).toEqual([10, 11, 12, 13, 14]);
  });

  it('refuses gaps, repeats and ragged or non-finite values, and changes nothing', () => {
    const h = new StreamHistory(1, 10);
    h.append([[1, 2]], 0);
    const before = JSON.stringify(h.toJSON());
    for (const [values, at, field] of [
      [[[3]], 3, 'at'],
      [[[3]], 1, 'at'],
      [[[3]], 0, 'at'],
      [[[Number.NaN]], 2, 'values[0][0]'],
      [[[3], [4]], 2, 'values'],
      [[[]], 2, 'values'],
    ] as const) {
      let err: unknown;
      try {
        h.append(values as unknown as number[][], at);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationFailed);
      expect((err as ValidationFailed).details[0].field).toBe(field);
      expect(JSON.stringify(h.toJSON())).toBe(before);
    }
  });

  it('throws on any read of a time not observed yet or no longer held', () => {
    const h = new StreamHistory(1, 3);
    h.append([[1, 2, 3, 4]], 0);
    expect(() => h.slice(2, 5)).toThrow(/not observed yet/);
    expect(() => h.slice(0, 2)).toThrow(/held \[1, 4\)/);
    expect(Array.from(h.slice(1, 4)[0])).toEqual([2, 3, 4]);
  });

  it('round-trips through JSON', () => {
    const h = new StreamHistory(2, 4);
    h.append(
      [
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ],
      0,
    );
    const back = StreamHistory.fromJSON(2, 4, JSON.parse(JSON.stringify(h.toJSON())));
    expect(back.next).toBe(5);
    expect(back.slice(1, 5)).toEqual(h.slice(1, 5));
    back.append([[6], [11]], 5);
    expect(back.oldest).toBe(2);
  });
});
