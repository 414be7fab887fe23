import { csvRecords } from './csv-records';
import { textChunks } from '../testing/arrow-fixtures';

async function all(text: string, size: number) {
  const out: string[][] = [];
  for await (const r of csvRecords(textChunks(text, size))) out.push(r);
  return out;
}

describe('CSV records', () => {
  const text = 'a,b,c\r\n1,"x, ""quoted""",3\n"multi\nline",,\n4,5,6';
  it.each([1, 3, 7, 1000])(
    'splits quoted fields and line breaks the same way in chunks of %i',
    async (size) => {
      expect(await all(text, size)).toEqual([
        ['a', 'b', 'c'],
        ['1', 'x, "quoted"', '3'],
        ['multi\nline', '', ''],
        ['4', '5', '6'],
      ]);
    },
  );

  it.each([7, 1400, 65536])(
    'reads a line of 100 000 fields sent in chunks of %i as one record',
    async (size) => {
      // the record in progress is appended to, not rejoined and rescanned for every chunk
      const long = Array.from({ length: 100_000 }, (_, i) => String(i % 10)).join(',');
      const records = await all(`h\n${long}\n"q\n${'y'.repeat(50_000)}",z\n`, size);
      expect(records.map((r) => r.length)).toEqual([1, 100_000, 2]);
      expect(records[1].join(',')).toBe(long);
      expect(records[2]).toEqual([`q\n${'y'.repeat(50_000)}`, 'z']);
    },
  );
});

describe('CSV record limits', () => {
  async function read(text: string, size: number, limits: { maxFieldBytes?: number; maxLineBytes?: number }) {
    const out: string[][] = [];
    for await (const r of csvRecords(textChunks(text, size), ',', limits)) out.push(r);
    return out;
  }
  const refusal = (row: number | undefined, column: string, setting: string) =>
    expect.objectContaining({
      status: 413,
      details: [{ ...(row === undefined ? {} : { row }), column, reason: expect.stringContaining(setting) }],
    });

  it.each([3, 16, 1000])(
    'stops at a field over maxFieldBytes, naming data row and header column (chunks of %i)',
    async (size) => {
      const text = `a,b\n1,2\n3,${'x'.repeat(40)}\n5,6\n`;
      await expect(read(text, size, { maxFieldBytes: 20 })).rejects.toEqual(
        refusal(2, 'b', 'CSV_MAX_FIELD_BYTES'),
      );
    },
  );

  it('counts UTF-8 bytes, not characters', async () => {
    // 8 characters of 3 bytes each: 24 bytes, over a 20-byte limit
    await expect(read(`a\n${'€'.repeat(8)}\n`, 1000, { maxFieldBytes: 20 })).rejects.toEqual(
      refusal(1, 'a', 'CSV_MAX_FIELD_BYTES'),
    );
  });

  it('stops at an unfinished quoted field once it passes the limit, before the rest arrives', async () => {
    let chunks = 0;
    async function* endless(): AsyncGenerator<string> {
      yield 'a,b\n1,"';
      for (;;) {
        chunks++;
        yield 'yy\n';
      }
    }
    const out: string[][] = [];
    const reading = (async () => {
      for await (const r of csvRecords(endless(), ',', { maxFieldBytes: 30 })) out.push(r);
    })();
    await expect(reading).rejects.toEqual(refusal(1, 'b', 'CSV_MAX_FIELD_BYTES'));
    expect(chunks).toBeLessThan(20);
  });

  it('stops at a line over maxLineBytes whose fields are each within the field limit', async () => {
    const text = `a,b,c\n1,2,3\n${'p'.repeat(9)},${'q'.repeat(9)},${'r'.repeat(9)}\n`;
    for (const size of [4, 1000])
      await expect(read(text, size, { maxFieldBytes: 10, maxLineBytes: 20 })).rejects.toEqual(
        expect.objectContaining({
          status: 413,
          details: [
            expect.objectContaining({ row: 2, reason: expect.stringContaining('CSV_MAX_LINE_BYTES') }),
          ],
        }),
      );
  });

  it('names the header when the header itself is too long', async () => {
    await expect(read(`a,${'h'.repeat(30)}\n1,2\n`, 1000, { maxFieldBytes: 20 })).rejects.toEqual(
      refusal(undefined, '2', 'CSV_MAX_FIELD_BYTES'),
    );
  });

  it('reads records within the limits as before', async () => {
    expect(await read('a,b\n1,"x\ny"\n', 2, { maxFieldBytes: 3, maxLineBytes: 8 })).toEqual([
      ['a', 'b'],
      ['1', 'x\ny'],
    ]);
  });
});
