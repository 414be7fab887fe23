import { JsonArrayTooLong, parseJsonInTurns } from './json-in-turns';
import { Turns } from './turns';
import { turnsDuring } from '../../../../test/support/event-loop-turns';

/** `n` numbers as a JSON array, built as text (no n-element array on the test's side). */
const numbers = (n: number) => `[${'1.5,'.repeat(n - 1)}1.5]`;

/** What parseJsonInTurns rejects `text` with, given `maxArrayLength`. */
async function refusal(text: string, maxArrayLength: number): Promise<unknown> {
  return parseJsonInTurns(text, { maxArrayLength }).then(
    () => 'parsed',
    (e: unknown) => e,
  );
}

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    time: new Date(i * 1000).toISOString(),
    value: i % 7,
    key: `k"${i % 3}\\`,
    none: null,
    ok: i % 2 === 0,
  }));

describe('parseJsonInTurns', () => {
  it('returns what JSON.parse returns, for small and for big documents of every layout', async () => {
    const docs: unknown[] = [
      0,
      -1.5e-3,
      'text with "quotes", \\ and \u00e9',
      null,
      [],
      {},
      [[[]], {}, [{}]],
      rows(10),
      rows(20_000), // ~1.6 MB: an array walked in runs
      { time: rows(5000).map((r) => r.time), value: rows(5000).map((r) => r.value) }, // columns
      { wrapper: { inner: rows(8000) }, after: [1, 2, 3] }, // big values nested in objects
      Array.from({ length: 3 }, () => 'x'.repeat(100_000)), // strings longer than a slice
      Array.from({ length: 200_000 }, (_, i) => i / 3), // numbers
    ];
    for (const doc of docs) {
      for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2)]) {
        // compared as text: the same values in the same key order (toEqual is slow on megabytes)
        expect(JSON.stringify(await parseJsonInTurns(text))).toBe(JSON.stringify(JSON.parse(text)));
      }
    }
  }, 60_000);

  it('keeps __proto__ as data, an own property, as JSON.parse does', async () => {
    const text = JSON.stringify({ big: 'x'.repeat(70_000) }).replace('{', '{"__proto__":{"polluted":true},');
    const value = (await parseJsonInTurns(text)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'big']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses what JSON.parse refuses, small or big, with a SyntaxError', async () => {
    const big = JSON.stringify(rows(2000));
    for (const text of [
      '',
      '[1,]',
      '[,1]',
      '{"a":1,}',
      '[1 2]',
      '{"a" 1}',
      'tru',
      '[1]x',
      '"open',
      `${big.slice(0, -1)},]`, // a trailing comma after a big run
      `${big.slice(0, 100_000)}`, // cut off
      `{"a":${big}, "b" ${big}}`, // a missing colon between big values
      `[${big}}`, // a wrong closing bracket
    ]) {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      await expect(parseJsonInTurns(text)).rejects.toThrow(SyntaxError);
    }
  });

  it('refuses big values nested deeper than maxDepth', async () => {
    const deep = '['.repeat(50) + JSON.stringify(rows(2000)) + ']'.repeat(50);
    await expect(parseJsonInTurns(deep, { maxDepth: 10 })).rejects.toThrow('nested deeper than 10 levels');
    expect(await parseJsonInTurns(deep, { maxDepth: 100 })).toEqual(JSON.parse(deep));
  });

  it('gives the event loop a turn for every `every` characters of a big document', async () => {
    const text = JSON.stringify(rows(30_000)); // ~2.4 MB
    const { value, ticks } = await turnsDuring(() =>
      parseJsonInTurns(text, { turns: new Turns(256 * 1024) }),
    );
    expect((value as unknown[]).length).toBe(30_000);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(text.length / (256 * 1024)) - 1);
  }, 30_000);

  describe('maxArrayLength', () => {
    const LIMIT = 100_000; // over a slice: the array is walked in runs, not parsed natively

    it('takes an array of exactly the limit and refuses one more, with its path, the limit and its whole length', async () => {
      const at = `{"horizon":4,"context":${numbers(LIMIT)}}`;
      const value = (await parseJsonInTurns(at, { maxArrayLength: LIMIT })) as { context: number[] };
      expect(value.context.length).toBe(LIMIT);
      expect(value.context.every((v) => v === 1.5)).toBe(true);
      for (const length of [LIMIT + 1, 3 * LIMIT + 7]) {
        const e = await refusal(`{"horizon":4,"context":${numbers(length)}}`, LIMIT);
        expect(e).toBeInstanceOf(JsonArrayTooLong);
        expect(e).toMatchObject({ path: 'context', limit: LIMIT, length });
        expect((e as Error).message).toBe(`context holds ${length} elements; at most ${LIMIT}`);
      }
    }, 30_000);

    it('names the top-level array with an empty path', async () => {
      expect(await refusal(numbers(LIMIT + 1), LIMIT)).toMatchObject({ path: '', length: LIMIT + 1 });
    });

    it('names nested arrays by their path, big ones walked and small ones parsed natively', async () => {
      // a big channel inside a big array: contexts[2] holds LIMIT + 2 values
      const contexts = `{"contexts":[${numbers(10)},${numbers(LIMIT)},${numbers(LIMIT + 2)}]}`;
      expect(await refusal(contexts, LIMIT)).toMatchObject({ path: 'contexts[2]', length: LIMIT + 2 });
      expect(await refusal(contexts, LIMIT + 2)).toBe('parsed');
      // a limit a slice can pass: the small arrays of a big document are checked too, in the
      // members of a big object and in the runs of a big array
      const wide = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, [i, i + 1]]));
      const members = JSON.stringify({ ...wide, last: { a: [{ b: [1, 2, 3, 4, 5] }] } });
      expect(await refusal(members, 5)).toBe('parsed');
      expect(await refusal(members, 4)).toMatchObject({ path: 'last.a[0].b', limit: 4, length: 5 });
      const padded = (v: number[]) => ({ pad: 'x'.repeat(20_000), v });
      const runs = JSON.stringify([
        padded([1]),
        padded([1, 2]),
        padded([1, 2, 3]),
        padded([1, 2, 3, 4, 5, 6]),
      ]);
      expect(await refusal(runs, 6)).toBe('parsed');
      expect(await refusal(runs, 5)).toMatchObject({ path: '[3].v', limit: 5, length: 6 });
      // and a small document, parsed natively whole
      expect(await refusal('[[1,2,3],{"k":[[1,2,3,4]]}]', 3)).toMatchObject({ path: '[1].k[0]', length: 4 });
      expect(await refusal('[[1,2,3],{"k":[[1,2,3]]}]', 3)).toBe('parsed');
    }, 30_000);

    it('counts the elements past the limit by their commas, not those in strings or inner arrays', async () => {
      const tricky = ['a,b', '[', ']', '{"x":[1,2]}', 'q\\"', 7, [1, 2, [3, 4]], { k: [5, 6] }];
      const many = Array.from({ length: 8 * 9000 }, (_, i) => tricky[i % tricky.length]);
      const text = JSON.stringify({ many });
      expect(text.length).toBeGreaterThan(256 * 1024);
      expect(await refusal(text, 1000)).toMatchObject({ path: 'many', limit: 1000, length: many.length });
    });

    it('gives the event loop its turns while it counts the rest of an over-long array', async () => {
      const text = `{"context":${numbers(2_000_000)}}`; // 8 MB, all of it past the limit
      const { value, ticks } = await turnsDuring(() =>
        parseJsonInTurns(text, { maxArrayLength: 10, turns: new Turns(256 * 1024) }).catch((e: unknown) => e),
      );
      expect(value).toMatchObject({ path: 'context', length: 2_000_000 });
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(text.length / (256 * 1024)) - 1);
    });

    it('still refuses malformed text with a SyntaxError', async () => {
      // cut off inside the rest of an over-long array: it is not closed
      const cut = `{"context":${numbers(LIMIT + 10)}`.slice(0, -20);
      await expect(parseJsonInTurns(cut, { maxArrayLength: LIMIT })).rejects.toThrow(SyntaxError);
      // a trailing comma at the limit is a missing value, not one more element
      const trailing = `{"context":${numbers(LIMIT).slice(0, -1)},]}`;
      await expect(parseJsonInTurns(trailing, { maxArrayLength: LIMIT })).rejects.toThrow(SyntaxError);
    });
  });
});
