import { MODEL_PALETTE } from '../../../../libs/eval/src/report/palette';
import { defaultColumns, keyLabel, plottableColumns, seriesChart } from './datasets-chart-data';
import {
  CsvRecordPicker,
  csvCells,
  issueRowNumbers,
  issueRows,
  offendingLine,
} from './datasets-upload-issues';
import { EMPTY_UPLOAD, formatFromFileName, uploadRequest } from './datasets-upload-request';
import { formatNumber } from './datasets-format';
import type { DatasetSchema } from './datasets-types';

const seriesSchema: DatasetSchema = {
  kind: 'series',
  keyColumns: [],
  timeColumn: 'ts',
  valueColumns: ['a', 'b'],
  knownCovariates: ['holiday'],
  pastCovariates: ['label'],
  fields: [
    { name: 'ts', type: 'Timestamp<MILLISECOND, UTC>', nullable: true },
    { name: 'a', type: 'Float64', nullable: true },
    { name: 'b', type: 'Float64', nullable: true },
    { name: 'holiday', type: 'Int32', nullable: true },
    { name: 'label', type: 'Utf8', nullable: true },
  ],
};

describe('series chart data', () => {
  it('puts ISO times on a UTC millisecond axis and one line per chosen column, nulls kept as gaps', () => {
    const chart = seriesChart(
      {
        key: '',
        times: ['2020-01-01T00:00:00.000Z', '2020-01-01T01:00:00.000Z', '2020-01-01T02:00:00.000Z'],
        columns: { a: [1.5, null, 3], b: [10, 20, 30] },
      },
      ['b', 'a'],
      seriesSchema,
    );
    expect(chart.time).toBe(true);
    expect(chart.x).toEqual([1577836800000, 1577840400000, 1577844000000]);
    expect(chart.lines.map((l) => [l.label, Array.from(l.y), l.color, l.points])).toEqual([
      ['b', [10, 20, 30], MODEL_PALETTE[0], undefined],
      ['a', [1.5, null, 3], MODEL_PALETTE[1], undefined],
    ]);
  });

  it('offers the numeric columns of a series dataset and shows its targets first', () => {
    expect(plottableColumns(seriesSchema)).toEqual(['a', 'b', 'holiday']);
    expect(defaultColumns(seriesSchema)).toEqual(['a', 'b', 'holiday']);
  });

  it('draws an event sequence as a timeline: one row of points per type, at the type id', () => {
    const events: DatasetSchema = {
      kind: 'events',
      sequenceColumn: 'sequence',
      timeColumn: 'time',
      typeColumn: 'type',
      numericFeatures: [],
      categoricalFeatures: [],
      fields: [],
    };
    expect(defaultColumns(events)).toEqual(['type']);
    const chart = seriesChart(
      { key: '0', times: [0, 0.4, 1.4, 2.3], columns: { type: [0, 2, 0, 10] } },
      ['type'],
      events,
    );
    expect(chart.time).toBe(false);
    expect(chart.x).toEqual([0, 0.4, 1.4, 2.3]);
    // numeric order, not text order: type 10 after type 2
    expect(chart.lines.map((l) => [l.label, Array.from(l.y), l.points])).toEqual([
      ['type 0', [0, null, 0, null], true],
      ['type 2', [null, 2, null, null], true],
      ['type 10', [null, null, null, 10], true],
    ]);
  });

  it("draws a seq2seq dataset's sparse targets as points and its inputs as lines", () => {
    const s2s: DatasetSchema = {
      kind: 'seq2seq',
      sequenceColumn: 's',
      timeColumn: 'step',
      inputColumns: ['x'],
      targetColumns: ['y'],
      ratio: 2,
      fields: [],
    };
    expect(defaultColumns(s2s)).toEqual(['y']);
    const chart = seriesChart(
      { key: 's0', times: [0, 1, 2, 3], columns: { x: [1, 2, 3, 4], y: [null, 5, null, 6] } },
      ['x', 'y'],
      s2s,
    );
    expect(chart.lines.map((l) => [l.label, Array.from(l.y), l.points])).toEqual([
      ['x', [1, 2, 3, 4], undefined],
      ['y', [null, 5, null, 6], true],
    ]);
  });

  it('names series keys as people read them', () => {
    expect(keyLabel('')).toBe('(the only series)');
    expect(keyLabel('["s1","a"]')).toBe('s1 / a');
    expect(keyLabel('[broken')).toBe('[broken');
    expect(keyLabel('store-7')).toBe('store-7');
  });
});

describe('upload errors against rows and columns', () => {
  // the body the API gave for bad.csv (row 1 is the first row after the header)
  const details = [
    { reason: "unparseable timestamp '2020-13-45'", row: 4, column: 'date' },
    { reason: "wrong type: 'abc' is not a number", row: 2, column: 'value' },
    { reason: 'unknown column: not named in the schema', column: 'extra' },
    { reason: 'expected 3 fields, found 4', row: 2 },
  ];

  it('lists whole-column problems first, then rows in file order, and the rows to read back', () => {
    const rows = issueRows(details);
    expect(rows.map((r) => [r.row, r.column, r.reason])).toEqual([
      [null, 'extra', 'unknown column: not named in the schema'],
      [2, 'value', "wrong type: 'abc' is not a number"],
      [2, null, 'expected 3 fields, found 4'],
      [4, 'date', "unparseable timestamp '2020-13-45'"],
    ]);
    expect(issueRowNumbers(rows)).toEqual([2, 4]);
  });

  const csv =
    'date,value,note\n2020-01-01,1,"a\nquoted newline"\n2020-01-02,abc,"x,y"\r\n2020-01-03,3,z\n"2020-13-45",5,w';

  it('reads back the header and the named records, a quoted newline inside one record, across chunk edges', () => {
    const picker = new CsvRecordPicker([2, 4]);
    // fed in 3-character chunks: records and quotes straddle them
    for (let i = 0; i < csv.length && picker.push(csv.slice(i, i + 3)); i += 3);
    picker.finish();
    expect([...picker.records.entries()]).toEqual([
      [0, 'date,value,note'],
      [2, '2020-01-02,abc,"x,y"'],
      [4, '"2020-13-45",5,w'],
    ]);
  });

  it('stops reading once the last named record is complete', () => {
    const picker = new CsvRecordPicker([1]);
    expect(picker.push('h\nr1\n')).toBe(false);
    expect(picker.done).toBe(true);
  });

  it('marks the cell of the named column in the offending line', () => {
    const picker = new CsvRecordPicker([2, 4]);
    picker.push(csv);
    picker.finish();
    const [, valueIssue, rowIssue, dateIssue] = issueRows(details);
    expect(offendingLine(picker.records, valueIssue)).toEqual({ cells: ['2020-01-02', 'abc', 'x,y'], at: 1 });
    expect(offendingLine(picker.records, dateIssue)).toEqual({ cells: ['2020-13-45', '5', 'w'], at: 0 });
    expect(offendingLine(picker.records, rowIssue)?.at).toBe(-1);
    expect(offendingLine(picker.records, { row: 3, column: 'value', field: null, reason: '' })).toBeNull();
  });

  it('splits CSV cells with quotes, doubled quotes and another delimiter', () => {
    expect(csvCells('a,"b,c","say ""hi""",')).toEqual(['a', 'b,c', 'say "hi"', '']);
    expect(csvCells('a;b;"c;d"', ';')).toEqual(['a', 'b', 'c;d']);
  });
});

describe('the upload request', () => {
  it('sends a CSV as text/csv with the roles of its kind as query parameters', () => {
    const out = uploadRequest('national_illness.csv', {
      ...EMPTY_UPLOAD,
      name: ' ili ',
      timeColumn: ' date ',
      valueColumns: 'OT, AGE 0-4,,',
      sequenceColumn: 'ignored for series',
      nan: 'missing',
      sort: true,
    });
    if (!('request' in out)) throw new Error('expected a request');
    expect(out.request.contentType).toBe('text/csv');
    const [path, query] = out.request.path.split('?');
    expect(path).toBe('/datasets');
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
      name: 'ili',
      kind: 'series',
      format: 'csv',
      timeColumn: 'date',
      valueColumns: 'OT,AGE 0-4',
      nan: 'missing',
      sort: 'true',
    });
  });

  it('reads a .json of events as EasyTPP and sends it as JSON', () => {
    expect(formatFromFileName('easytpp_synthetic.json', 'events')).toBe('easytpp');
    expect(formatFromFileName('records.json', 'series')).toBe('json');
    expect(formatFromFileName('x.feather', 'series')).toBe('arrow');
    expect(formatFromFileName('data.txt', 'series')).toBeNull();
    const out = uploadRequest('easytpp_synthetic.json', { ...EMPTY_UPLOAD, name: 'tpp', kind: 'events' });
    if (!('request' in out)) throw new Error('expected a request');
    expect(out.request).toMatchObject({ contentType: 'application/json', format: 'easytpp' });
  });

  it('names the fields to fix before sending anything', () => {
    expect(uploadRequest('data.txt', { ...EMPTY_UPLOAD, ratio: '1.5', delimiter: ';;' })).toEqual({
      problems: {
        name: 'give the dataset a name',
        format: 'cannot tell the format of data.txt: choose one',
        ratio: 'an integer of at least 1',
        delimiter: 'one character',
      },
    });
  });
});

describe('numbers in the statistics', () => {
  it('keeps six significant digits, groups whole numbers, and writes missing as a dash', () => {
    expect(formatNumber(355.3109311740885)).toBe('355.311');
    expect(formatNumber(1640587)).toBe('1,640,587');
    expect(formatNumber(0.00001234)).toBe('1.234e-5');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(Number.NaN)).toBe('–');
  });
});
