import { BAD_REQUEST, CREATED, CSV, Case, SERIES, TOO_LARGE, upload } from './corpus-case';
import { MiB, csv, iso, repeated, textOf } from './inputs';

const group = 'csv';
const up = (name: string, body: Parameters<typeof upload>[3], query = SERIES) =>
  upload(`csv-${name}`, query, CSV, body);
const valid = (rows: number) => csv(rows);

/** CSV uploads: each one malformed in one way (or valid in an unusual one). */
export const csvCases: Case[] = [
  { group, name: 'empty file', request: up('empty', ''), expect: BAD_REQUEST },
  { group, name: 'header only', request: up('header', 'time,value\n'), expect: BAD_REQUEST },
  {
    group,
    name: 'no header row (data in the first line)',
    request: up('no-header', valid(20).split('\n').slice(1).join('\n')),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'duplicate column names',
    request: up('dup-cols', csv(10, { header: 'time,value,value', row: (i) => `${iso(i)},1,2` })),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'ragged rows (a row with a field too many)',
    request: up('ragged', csv(10, { row: (i) => (i === 5 ? `${iso(i)},1,9` : `${iso(i)},1`) })),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'non-numeric value',
    request: up('text-value', csv(30, { row: (i) => `${iso(i)},${i === 20 ? 'abc' : i}` })),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'NaN and inf values (nan=reject)',
    request: up('nan', csv(30, { row: (i) => `${iso(i)},${i === 3 ? 'NaN' : i === 4 ? 'inf' : i}` })),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'byte-order mark before the header (valid)',
    request: up('bom', `\ufeff${valid(24)}`),
    expect: CREATED,
    creates: { dataset: 1, dataset_version: 1 },
  },
  {
    group,
    name: 'CRLF line ends (valid)',
    request: up('crlf', csv(24, { eol: '\r\n' })),
    expect: CREATED,
    creates: { dataset: 1, dataset_version: 1 },
  },
  {
    group,
    name: 'duplicated timestamps',
    request: up('dup-time', csv(20, { row: (i) => `${iso(i === 10 ? 9 : i)},${i}` })),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'decreasing time',
    request: up('decreasing', csv(20, { row: (i) => `${iso(20 - i)},${i}` })),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'mixed frequencies with requireRegular=true',
    request: up(
      'mixed-freq',
      csv(40, { row: (i) => `${i < 20 ? iso(i) : iso(19 * 24 + (i - 19) * 24)},${i}` }),
      `${SERIES}&requireRegular=true`,
    ),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'one 50 MB field',
    request: up('huge-field', repeated(50 * MiB, `time,value\n${iso(0)},"`, '"\n')),
    expect: TOO_LARGE,
  },
  {
    group,
    name: 'one 8 MB line of short fields',
    request: up('huge-line', repeated(8 * MiB, `time,value\n${iso(0)},1`, '\n', ',')),
    expect: TOO_LARGE,
  },
  {
    group,
    name: 'a header of 200 000 columns',
    request: up(
      'wide',
      (() => {
        const cols = Array.from({ length: 200_000 }, (_, j) => `c${j}`);
        return `time,value,${cols.join(',')}\n${iso(0)},1,${cols.map(() => '1').join(',')}\n`;
      })(),
    ),
    expect: TOO_LARGE,
  },
  {
    group,
    name: 'invalid UTF-8 in a value',
    request: up(
      'bad-utf8',
      Buffer.concat([
        Buffer.from(`time,value\n${iso(0)},1\n${iso(1)},`),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('\n'),
      ]),
    ),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'a quote left open',
    request: up('open-quote', `time,value\n${iso(0)},"1\n${iso(1)},2\n${iso(2)},3\n`),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'delimiter=; on a comma file',
    request: up('wrong-delimiter', valid(10), `${SERIES}&delimiter=%3B`),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'a line feed as the delimiter',
    request: up('newline-delimiter', valid(10), `${SERIES}&delimiter=%0A`),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: 'a two-character delimiter',
    request: up('long-delimiter', valid(10), `${SERIES}&delimiter=%2C%2C`),
    expect: BAD_REQUEST,
  },
  {
    group,
    name: '30 MB, the last row bad (parsed whole, then refused)',
    request: up(
      'big-bad-tail',
      textOf(30 * MiB, (i) => `${iso(i, 1000)},${i % 97}\n`, {
        head: 'time,value\n',
        tail: `${iso(1e9, 1000)},oops\n`,
      }),
    ),
    expect: BAD_REQUEST,
  },
];
