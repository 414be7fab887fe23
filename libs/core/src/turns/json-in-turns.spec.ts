import { parseJsonInTurns } from './json-in-turns';
import { Turns } from './turns';
import { turnsDuring } from '../../../../test/support/event-loop-turns';

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
});
