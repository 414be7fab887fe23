import {
  Dictionary,
  Field,
  Float64,
  Int32,
  List,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  Vector,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import { batchOf, ipcFile, ipcStream } from '../../../libs/data/src/testing/arrow-fixtures';
import {
  ARROW,
  BAD_REQUEST,
  CREATED,
  Case,
  JSON_TYPE,
  OCTETS,
  SERIES,
  TOO_LARGE,
  TSF,
  UNSUPPORTED,
  nested,
  upload,
} from './corpus-case';
import { MiB, afterPause, easySeq, iso, repeated, sktime, textOf, tsf } from './inputs';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

const rows = (n: number, value: (i: number) => unknown = (i) => i % 7) =>
  Array.from({ length: n }, (_, i) => ({ time: iso(i), value: value(i) }));

/** `n` hourly rows as an Arrow batch (`time` timestamp, `value` float), starting at row `from`. */
const series = (n: number, from = 0, step = 1) =>
  batchOf({
    time: { type: 'ts', values: Array.from({ length: n }, (_, i) => T0 + (from + i * step) * HOUR) },
    value: { type: 'f64', values: Array.from({ length: n }, (_, i) => i % 13) },
  });

/** A batch of these typed vectors, for the types batchOf does not make (dictionaries, lists). */
function batchOfVectors(columns: Record<string, Vector>): RecordBatch {
  const fields = Object.entries(columns).map(([name, v]) => new Field(name, v.type, true));
  const children = Object.values(columns).map((v) => v.data[0]);
  return new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length: children[0].length, nullCount: 0, children }),
  );
}

const times = (n: number) =>
  vectorFromArray(
    Array.from({ length: n }, (_, i) => T0 + i * HOUR),
    new TimestampMillisecond('UTC'),
  );
const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

const json = (name: string, body: Parameters<typeof upload>[3], query = SERIES) =>
  upload(`json-${name}`, query, JSON_TYPE, body);
const ndjson = (name: string, body: Parameters<typeof upload>[3]) =>
  upload(`ndjson-${name}`, SERIES, 'application/x-ndjson', body);
const arrow = (name: string, body: Buffer, query = SERIES) => upload(`arrow-${name}`, query, ARROW, body);
const monash = (name: string, body: Parameters<typeof upload>[3]) => upload(`tsf-${name}`, '', TSF, body);
/** EasyTPP JSON: a document (sent as JSON text) or text chunks. */
const easy = (name: string, body: unknown) =>
  upload(
    `easytpp-${name}`,
    'kind=events&format=easytpp',
    JSON_TYPE,
    typeof body === 'function' ? (body as () => AsyncIterable<string>) : JSON.stringify(body),
  );
const ts = (name: string, body: Parameters<typeof upload>[3]) =>
  upload(`ts-${name}`, 'kind=events&format=ts', OCTETS, body);

export const jsonCases: Case[] = [
  {
    group: 'json',
    name: 'invalid JSON',
    request: json('invalid', '[{"time": "2024-01-01T00:00:00Z", "value": 1,'),
    expect: BAD_REQUEST,
  },
  { group: 'json', name: 'a number at the top', request: json('number', '42'), expect: BAD_REQUEST },
  { group: 'json', name: 'an array of numbers', request: json('numbers', '[1,2,3]'), expect: BAD_REQUEST },
  {
    group: 'json',
    name: '10 000 levels of arrays',
    request: json('deep', nested(10_000)),
    expect: BAD_REQUEST,
  },
  {
    group: 'json',
    name: 'a value of the wrong type (an object)',
    request: json('wrong-type', JSON.stringify(rows(20, (i) => (i === 10 ? { a: 1 } : i)))),
    expect: BAD_REQUEST,
  },
  {
    group: 'json',
    name: 'an unknown field after the sampled rows',
    request: json('unknown-field', JSON.stringify([...rows(1500), { time: iso(1500), value: 1, extra: 2 }])),
    expect: BAD_REQUEST,
  },
  {
    group: 'json',
    name: '__proto__, constructor and prototype keys',
    request: json(
      'proto',
      `[{"time":"${iso(0)}","value":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}]`,
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'json',
    name: 'columns of different lengths',
    request: json('ragged-columns', JSON.stringify({ time: [iso(0), iso(1)], value: [1] })),
    expect: BAD_REQUEST,
  },
  {
    group: 'json',
    name: '30 MB of rows, the last one bad',
    request: json(
      'big-bad-tail',
      textOf(30 * MiB, (i) => `{"time":"${iso(i, 1000)}","value":${i % 10}}`, {
        head: '[',
        tail: `,{"time":"${iso(1e8, 1000)}","value":"oops"}]`,
        separator: ',',
      }),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'ndjson',
    name: 'one 20 MB line',
    request: ndjson(
      'big-line',
      textOf(20 * MiB, (i) => `"k${i}":${i},`, { head: `{"time":"${iso(0)}",`, tail: '"value":1}\n' }),
    ),
    expect: TOO_LARGE, // its two million keys are columns
  },
  {
    group: 'ndjson',
    name: 'a line that is not an object',
    request: ndjson('bad-line', `{"time":"${iso(0)}","value":1}\n[1,2]\n{"time":"${iso(2)}","value":3}\n`),
    expect: BAD_REQUEST,
  },
  {
    group: 'ndjson',
    name: '30 MB of lines, the last one bad',
    request: ndjson(
      'big-bad-tail',
      textOf(30 * MiB, (i) => `{"time":"${iso(i, 1000)}","value":${i % 10}}\n`, {
        tail: `{"time":"${iso(1e8, 1000)}","value":"oops"}\n`,
      }),
    ),
    expect: BAD_REQUEST,
  },
];

export const arrowCases: Case[] = [
  {
    group: 'arrow',
    name: 'truncated stream',
    request: arrow('truncated-stream', buf(ipcStream([series(200)])).subarray(0, 900)),
    expect: BAD_REQUEST,
  },
  {
    group: 'arrow',
    name: 'truncated file',
    request: arrow('truncated-file', buf(ipcFile([series(200)])).subarray(0, 1200)),
    expect: BAD_REQUEST,
  },
  {
    group: 'arrow',
    name: 'file magic misspelled',
    request: arrow(
      'bad-magic',
      Buffer.concat([Buffer.from('ARROX1'), buf(ipcFile([series(50)])).subarray(6)]),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'arrow',
    name: 'random bytes',
    request: arrow('random', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))),
    expect: BAD_REQUEST,
  },
  {
    group: 'arrow',
    name: 'schema without the time column',
    request: arrow('no-time', buf(ipcStream([batchOf({ value: { type: 'f64', values: [1, 2, 3] } })]))),
    expect: BAD_REQUEST,
  },
  {
    group: 'arrow',
    name: 'a list column as the value',
    request: arrow(
      'list-type',
      buf(
        ipcStream([
          batchOfVectors({
            time: times(3),
            value: vectorFromArray([[1], [2, 3], [4]], new List(new Field('item', new Float64(), true))),
          }),
        ]),
      ),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'arrow',
    name: 'a schema and no batches',
    request: arrow('no-batches', buf(ipcStream([series(0)]))),
    expect: BAD_REQUEST,
  },
  {
    group: 'arrow',
    name: 'dictionary-encoded series keys (valid)',
    request: arrow(
      'dictionary-keys',
      buf(
        ipcStream([
          batchOfVectors({
            key: vectorFromArray(['a', 'b', 'a', 'b'], new Dictionary(new Utf8(), new Int32())),
            time: vectorFromArray([T0, T0, T0 + HOUR, T0 + HOUR], new TimestampMillisecond('UTC')),
            value: vectorFromArray([1, 2, 3, 4], new Float64()),
          }),
        ]),
      ),
      `keyColumns=key&${SERIES}`,
    ),
    expect: CREATED,
    creates: { dataset: 1, dataset_version: 1 },
  },
  {
    group: 'arrow',
    name: '32 MB stream, the last batch going back in time',
    request: () =>
      arrow(
        'big-bad-tail',
        buf(
          ipcStream([...Array.from({ length: 20 }, (_, b) => series(100_000, b * 100_000)), series(10, 0)]),
        ),
      ),
    expect: BAD_REQUEST,
  },
  {
    group: 'arrow',
    name: 'a stream over MAX_UPLOAD_BYTES (declared length)',
    // The body follows the headers after a pause, as from a client that waits for
    // `100 Continue`: the 413 comes before it, and the server then closes the connection (a
    // client still writing would read that as EPIPE instead of the answer).
    request: upload('arrow-over-limit', SERIES, ARROW, afterPause(repeated(200 * MiB, '', '', '\0')), {
      'Content-Length': String(200 * MiB),
    }),
    expect: TOO_LARGE,
  },
];

const seriesLine = (name: string, n: number, value: (i: number) => string = (i) => String(i % 10)) =>
  `${name}:2024-01-01 00-00-00:${Array.from({ length: n }, (_, i) => value(i)).join(',')}`;

export const tsfCases: Case[] = [
  {
    group: 'tsf',
    name: 'no @data line',
    request: monash(
      'no-data',
      tsf([], ['@relation x', '@attribute series_name string', '@frequency hourly']),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'tsf',
    name: 'data before @data',
    request: monash('data-first', tsf([seriesLine('T1', 5)], ['@relation x', seriesLine('T0', 5)])),
    expect: BAD_REQUEST,
  },
  {
    group: 'tsf',
    name: '@attribute without a name',
    request: monash(
      'bad-attribute',
      tsf(
        [seriesLine('T1', 5)],
        ['@relation x', '@attribute', '@attribute start_timestamp date', '@frequency hourly', '@data'],
      ),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'tsf',
    name: 'unknown @frequency',
    request: monash(
      'bad-frequency',
      tsf(
        [seriesLine('T1', 5)],
        [
          '@relation x',
          '@attribute series_name string',
          '@attribute start_timestamp date',
          '@frequency fortnightly',
          '@data',
        ],
      ),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'tsf',
    name: 'missing values as ? (valid)',
    request: monash('missing', tsf([seriesLine('T1', 12, (i) => (i % 4 === 1 ? '?' : String(i)))])),
    expect: CREATED,
    creates: { dataset: 1, dataset_version: 1 },
  },
  {
    group: 'tsf',
    name: 'a non-numeric value',
    request: monash('text-value', tsf([seriesLine('T1', 12, (i) => (i === 5 ? 'abc' : String(i)))])),
    expect: BAD_REQUEST,
  },
  {
    group: 'tsf',
    name: 'a series line without attributes',
    request: monash('no-attributes', tsf(['1,2,3,4'])),
    expect: BAD_REQUEST,
  },
  {
    group: 'tsf',
    name: 'one series of 20 MB on one line, the last value bad',
    request: monash(
      'big-line',
      textOf(20 * MiB, (i) => `${i % 10},`, {
        head: tsf([]).concat('S1:2024-01-01 00-00-00:'),
        tail: 'abc\n',
      }),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'tsf',
    name: '30 MB of series, the last value bad',
    request: monash(
      'big-bad-tail',
      textOf(30 * MiB, (i) => `${seriesLine(`S${i}`, 5000)}\n`, {
        head: tsf([]),
        tail: `${seriesLine('last', 10, (i) => (i === 9 ? 'abc' : '1'))}\n`,
      }),
    ),
    expect: BAD_REQUEST,
  },
];

export const easyTppCases: Case[] = [
  { group: 'easytpp', name: 'not an array', request: easy('object', { sequences: 1 }), expect: BAD_REQUEST },
  {
    group: 'easytpp',
    name: 'wrong keys (no time_since_start)',
    request: easy('wrong-keys', [{ dim_process: 2, times: [0, 1], type_event: [0, 1] }]),
    expect: BAD_REQUEST,
  },
  {
    group: 'easytpp',
    name: 'negative times',
    request: easy('negative', [easySeq([-3, -1, 0.5], [0, 1, 2])]),
    expect: BAD_REQUEST,
  },
  {
    group: 'easytpp',
    name: 'unsorted times',
    request: easy('unsorted', [easySeq([0, 2, 1], [0, 1, 2])]),
    expect: BAD_REQUEST,
  },
  {
    group: 'easytpp',
    name: 'type id out of range of dim_process',
    request: easy('type-range', [easySeq([0, 1, 2], [0, 7, 1], 3)]),
    expect: BAD_REQUEST,
  },
  {
    group: 'easytpp',
    name: 'null as a sequence',
    request: easy('null-sequence', [null]),
    expect: BAD_REQUEST,
  },
  {
    group: 'easytpp',
    name: 'a string among the times',
    request: easy(
      'string-time',
      [easySeq([0, 1, 2], [0, 1, 2])].map((s) => ({ ...s, time_since_start: [0, 'x', 2] })),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'easytpp',
    name: '30 MB of sequences, the last one bad',
    request: easy(
      'big-bad-tail',
      textOf(
        30 * MiB,
        (i) =>
          JSON.stringify(
            easySeq(
              Array.from({ length: 1000 }, (_, k) => k * 0.5),
              Array.from({ length: 1000 }, (_, k) => k % 3),
              3,
              i,
            ),
          ),
        {
          head: '[',
          separator: ',',
          tail: `,${JSON.stringify(easySeq([0, 1], [0, 9], 3, 1e9))}]`,
        },
      ),
    ),
    expect: BAD_REQUEST,
  },
];

const tsCase = (n: number, label = 'a', value: (i: number) => string = (i) => String(i % 10)) =>
  `${Array.from({ length: n }, (_, i) => value(i)).join(',')}:${label}`;

export const sktimeCases: Case[] = [
  {
    group: 'ts',
    name: 'no @data line',
    request: ts('no-data', sktime([], ['@problemName x', '@univariate true'])),
    expect: BAD_REQUEST,
  },
  {
    group: 'ts',
    name: 'cases with fewer dimensions than @dimensions',
    request: ts(
      'dimensions',
      sktime(
        [tsCase(5), tsCase(5)],
        [
          '@problemName x',
          '@timeStamps false',
          '@univariate false',
          '@dimensions 2',
          '@classLabel true a b',
          '@data',
        ],
      ),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'ts',
    name: '@dimensions not a number',
    request: ts(
      'dimensions-nan',
      sktime([tsCase(5)], ['@problemName x', '@univariate false', '@dimensions many', '@data']),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'ts',
    name: '@dimensions 1 000 000 000',
    request: ts(
      'dimensions-huge',
      sktime([tsCase(5)], ['@problemName x', '@univariate false', '@dimensions 1000000000', '@data']),
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'ts',
    name: '@timeStamps true (unsupported)',
    request: ts('timestamps', sktime([tsCase(3)], ['@problemName x', '@timeStamps true', '@data'])),
    expect: UNSUPPORTED,
  },
  {
    group: 'ts',
    name: '30 MB of cases, the last value bad',
    request: ts(
      'big-bad-tail',
      textOf(30 * MiB, () => `${tsCase(5000)}\n`, {
        head: sktime([]),
        tail: `${tsCase(10, 'b', (i) => (i === 9 ? 'abc' : '1'))}\n`,
      }),
    ),
    expect: BAD_REQUEST,
  },
];
