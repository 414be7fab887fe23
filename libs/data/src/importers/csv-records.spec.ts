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
});
