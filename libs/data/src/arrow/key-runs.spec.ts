import { LargeUtf8, RecordBatch, Utf8, vectorFromArray } from 'apache-arrow';
import { KeyAssigner } from './key-ids';

/** Ids by first appearance, computed the plain way: one Map lookup per row. */
function reference(keys: (string | null)[]): number[] {
  const ids = new Map<string, number>();
  return keys.map((k) => {
    if (k === null) return -1;
    if (!ids.has(k)) ids.set(k, ids.size);
    return ids.get(k)!;
  });
}

function idsOf(keys: (string | null)[], large = false): number[] {
  const vector = vectorFromArray(keys, large ? new LargeUtf8() : new Utf8());
  const batch = new RecordBatch({ key: vector.data[0] });
  return [...new KeyAssigner(['key']).assign(batch)];
}

/** A seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Utf8 key runs (galloping memcmp) give the ids of a per-row lookup', () => {
  it('keys whose bytes repeat across row boundaries are told apart by their lengths', () => {
    // "ab","ab" and "a","bab" fill the same 4 bytes "abab"; so do "aa","aa" and "a","aaa".
    const keys = ['ab', 'ab', 'a', 'bab', 'aa', 'aa', 'a', 'aaa', '', '', 'x', '', 'ab'];
    expect(idsOf(keys)).toEqual(reference(keys));
    expect(idsOf(keys, true)).toEqual(reference(keys));
  });

  it.each([1, 2, 3])('random runs, lengths and repeats (seed %i)', (seed) => {
    const r = rng(seed);
    const alphabet = ['s1', 's10', 's100', 'a-key-longer-than-sixty-four-bytes-'.repeat(3), '', 'é', 'x'];
    const keys: (string | null)[] = [];
    while (keys.length < 20_000) {
      const run = r() < 0.3 ? 1 + Math.floor(r() * 4) : Math.floor(r() * 3000);
      const key = alphabet[Math.floor(r() * alphabet.length)];
      for (let i = 0; i < run; i++) keys.push(key);
    }
    expect(idsOf(keys)).toEqual(reference(keys));
    expect(idsOf(keys, true)).toEqual(reference(keys));
    // With nulls the per-row path runs; the same ids.
    const withNulls = keys.map((k, i) => (i % 997 === 5 ? null : k));
    expect(idsOf(withNulls)).toEqual(reference(withNulls));
  });
});
