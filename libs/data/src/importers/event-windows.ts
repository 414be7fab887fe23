import {
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import { ValidationFailed } from '@seqcast/core';
import { isNumeric, typeClass } from '../arrow/arrow-types';
import { numericValues, timeValues } from '../arrow/column-values';
import { Frequency, addSteps, parseFrequency } from '../time/frequency';
import { formatTimestamp } from '../time/parse-timestamp';
import { IssueCollector } from '../validation/issues';
import { BatchSource } from './batch-source';

export interface EventWindowOptions {
  /** The column with each event's timestamp. */
  timeColumn: string;
  /** Window length as a frequency label: `30D`, `1M`, `1Y`, `12h`. */
  window: string;
  /** Start of the first window (ISO); default: the first event's time, floored to the window's unit. */
  origin?: string;
  /** Types from a categorical column, or from a numeric column cut at bin edges (type k: edges[k-1] <= v < edges[k]). */
  typeFrom: { column: string; bins?: number[] };
  /** Unit of the relative event times written (`D`, `h`, `min`, `s`); default `D`. */
  timeUnit?: 'D' | 'h' | 'min' | 's';
  /** Numeric columns kept as event features; default every numeric column except time (and the binned type column's source stays too). */
  features?: string[];
}

const UNIT_MS = { D: 86_400_000, h: 3_600_000, min: 60_000, s: 1000 } as const;

function floorTo(t: number, f: Frequency): number {
  const d = new Date(t);
  switch (f.unit) {
    case 'Y':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'Q':
    case 'M':
      return Date.UTC(
        d.getUTCFullYear(),
        f.unit === 'Q' ? d.getUTCMonth() - (d.getUTCMonth() % 3) : d.getUTCMonth(),
        1,
      );
    case 'W':
    case 'D':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'h':
      return Math.floor(t / 3_600_000) * 3_600_000;
    case 'min':
      return Math.floor(t / 60_000) * 60_000;
    default:
      return Math.floor(t / 1000) * 1000;
  }
}

/**
 * Cuts one long, time-sorted event stream (an earthquake catalogue, a log) into
 * sequences by consecutive time windows. Each event's time becomes its offset from
 * its window's start in `timeUnit`; its type comes from a column or from binned
 * values (magnitude classes, say). Windows without events produce no sequence.
 */
export function windowEventStream(
  input: BatchSource,
  options: EventWindowOptions,
  issues: IssueCollector,
): BatchSource {
  const field = input.schema.fields.find((f) => f.name === options.timeColumn);
  if (!field || typeClass(field.type) !== 'timestamp')
    throw new ValidationFailed(`The time column ${options.timeColumn} is missing or not a timestamp`, [
      { column: options.timeColumn, reason: 'missing or not a timestamp column' },
    ]);
  const window = parseFrequency(options.window);
  if (!window)
    throw new ValidationFailed(`Unknown window ${options.window}`, [
      { field: 'window', reason: `expected a length such as 30D, 1M, 1Y; got '${options.window}'` },
    ]);
  const typeField = input.schema.fields.find((f) => f.name === options.typeFrom.column);
  if (!typeField)
    throw new ValidationFailed(`No column ${options.typeFrom.column}`, [
      { column: options.typeFrom.column, reason: 'missing column' },
    ]);
  const bins = options.typeFrom.bins;
  if (bins && !isNumeric(typeField.type))
    throw new ValidationFailed('Binned types need a numeric column', [
      { column: typeField.name, reason: 'not numeric' },
    ]);
  const features =
    options.features ??
    input.schema.fields
      .filter(
        (f) => f.name !== options.timeColumn && isNumeric(f.type) && !(f.name === typeField.name && !bins),
      )
      .map((f) => f.name);
  const absent = features.filter((name) => !input.schema.fields.some((f) => f.name === name && isNumeric(f.type)));
  if (absent.length)
    throw new ValidationFailed(`Feature columns missing or not numeric: ${absent.join(', ')}`, absent.map((column) => ({ column, reason: 'missing or not a numeric column' })));
  const unitMs = UNIT_MS[options.timeUnit ?? 'D'];
  const schema = new Schema([
    new Field('sequence', new Utf8(), false),
    new Field('time', new Float64(), false),
    new Field('type', bins ? new Int32() : typeField.type, true),
    ...features.map((name) => new Field(name, new Float64(), true)),
  ]);
  let origin = options.origin ? Date.parse(options.origin) : NaN;
  let k = 0;
  let start = NaN;
  let end = NaN;
  let label = '';
  let last = -Infinity;
  let row = 0;
  const advance = (t: number) => {
    if (start !== start) {
      if (origin !== origin) origin = floorTo(t, window);
      start = origin;
      end = addSteps(origin, 1, window);
      k = 0;
      label = formatTimestamp(start);
    }
    while (t >= end) {
      k++;
      start = end;
      end = addSteps(origin, k + 1, window);
      label = formatTimestamp(start);
    }
  };
  async function* batches(): AsyncGenerator<RecordBatch> {
    for await (const batch of input.batches) {
      const n = batch.numRows;
      const times = timeValues(batch.getChild(options.timeColumn)!);
      const keys: string[] = new Array(n);
      const rel = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        row++;
        const t = times[i];
        if (t !== t) {
          issues.add(row, options.timeColumn, 'missing or unparseable time');
          continue;
        }
        if (t < last) issues.add(row, options.timeColumn, 'the event stream must be sorted by time');
        if (t < origin) issues.add(row, options.timeColumn, 'event before the window origin');
        last = t;
        advance(t);
        keys[i] = label;
        rel[i] = (t - start) / unitMs;
      }
      let typeData;
      if (bins) {
        const { values, valid } = numericValues(batch.getChild(typeField!.name)!);
        const types = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          if (valid && !valid[i])
            issues.add(row - n + i + 1, typeField!.name, 'missing value to bin into a type');
          let b = 0;
          while (b < bins.length && values[i] >= bins[b]) b++;
          types[i] = b;
        }
        typeData = makeData({ type: new Int32(), length: n, data: types });
      } else {
        typeData = batch.getChild(typeField!.name)!.data[0];
      }
      const children = [
        vectorFromArray(keys, new Utf8()).data[0],
        makeData({ type: new Float64(), length: n, data: rel }),
        typeData,
        ...features.map((name) => {
          const v = batch.getChild(name)!;
          return v.type instanceof Float64
            ? v.data[0]
            : vectorFromArray(Array.from(v.toArray() as ArrayLike<number>, Number), new Float64()).data[0];
        }),
      ];
      yield new RecordBatch(
        schema,
        makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: children as never }),
      );
    }
  }
  return {
    schema,
    batches: batches(),
    kind: 'events',
    roles: {
      sequenceColumn: 'sequence',
      timeColumn: 'time',
      typeColumn: 'type',
      numericFeatures: features,
      categoricalFeatures: [],
      targetColumn: null,
    },
    numTypes: bins ? bins.length + 1 : undefined,
  };
}
