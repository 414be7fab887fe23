import { RecordBatch } from 'apache-arrow';
import { TURN_ROWS, Turns, ValidationFailed } from '@seqcast/core';
import { DatasetKind } from '../schema/dataset-schema';
import { RoleHints } from '../schema/resolve-roles';
import { IssueCollector, checkColumnCount } from '../validation/issues';
import { BatchBuilder, ColumnKind, ColumnSpec, RawValue, inferKind } from './batch-builder';
import { BatchSource } from './batch-source';
import { CsvLimits, csvRecords } from './csv-records';
import { decodeUtf8 } from './text';

export interface CsvOptions {
  delimiter?: string;
  kind?: DatasetKind;
  roles?: RoleHints;
  /** Force a column's kind instead of guessing it from the first rows. */
  columnTypes?: Record<string, ColumnKind>;
  batchSize?: number;
  /** Rows read to guess column kinds. */
  sampleRows?: number;
  /** Field and line size limits (CSV_MAX_FIELD_BYTES, CSV_MAX_LINE_BYTES). */
  limits?: CsvLimits;
}

/** The kinds that role hints imply: keys and categories are text even when they look like numbers. */
export function kindsFromRoles(
  roles: RoleHints = {},
  kind: DatasetKind = 'series',
): Record<string, ColumnKind> {
  const out: Record<string, ColumnKind> = {};
  for (const k of roles.keyColumns ?? []) out[k] = 'string';
  if (roles.sequenceColumn) out[roles.sequenceColumn] = 'string';
  for (const c of roles.categoricalFeatures ?? []) out[c] = 'string';
  for (const c of [
    ...(roles.valueColumns ?? []),
    ...(roles.numericFeatures ?? []),
    ...(roles.inputColumns ?? []),
    ...(roles.targetColumns ?? []),
  ])
    out[c] = 'number';
  if (roles.timeColumn && kind === 'series') out[roles.timeColumn] = 'timestamp';
  return out;
}

const TYPE_NAMES = ['type', 'event_type', 'mark', 'type_event'];

/** Text of the rows read to guess column kinds, at most. */
const SAMPLE_CHARS = 16 * 1024 * 1024;

/** Event types are categories: a numeric-looking type column becomes integer (or text when not whole). */
export function refineEventTypes(
  columns: ColumnSpec[],
  options: { kind?: DatasetKind; roles?: RoleHints; columnTypes?: Record<string, ColumnKind> },
  rows: ((j: number) => RawValue)[],
): void {
  if (options.kind !== 'events') return;
  const name =
    options.roles?.typeColumn ?? columns.find((c) => TYPE_NAMES.includes(c.name.toLowerCase()))?.name;
  const j = columns.findIndex((c) => c.name === name);
  if (j < 0 || options.columnTypes?.[columns[j].name] || columns[j].kind !== 'number') return;
  const whole = rows.every((r) => {
    const v = r(j);
    return v === null || v === undefined || v === '' || Number.isInteger(Number(v));
  });
  columns[j].kind = whole ? 'integer' : 'string';
}

/**
 * CSV with a header row, read as a stream: the first rows fix each column's kind
 * (number, timestamp or text, unless the roles or `columnTypes` say), then every row
 * goes into Arrow batches; a cell that does not fit is reported by row and column.
 */
export async function openCsv(
  source: AsyncIterable<Uint8Array | string>,
  options: CsvOptions,
  issues: IssueCollector,
): Promise<BatchSource> {
  const records = csvRecords(decodeUtf8(source), options.delimiter ?? ',', options.limits)[
    Symbol.asyncIterator
  ]();
  const head = await records.next();
  if (head.done) throw new ValidationFailed('The CSV is empty', [{ reason: 'empty: no header row' }]);
  const header = head.value.map((h) => h.trim());
  checkColumnCount(header.length);
  const seen = new Set<string>();
  let dup: string | undefined;
  for (const h of header) {
    if (seen.has(h)) {
      dup = h;
      break;
    }
    seen.add(h);
  }
  if (dup !== undefined)
    throw new ValidationFailed(`Duplicate column name ${dup}`, [
      { column: dup, reason: 'duplicate column name' },
    ]);
  const sample: string[][] = [];
  const sampleRows = options.sampleRows ?? 1000;
  // and at most SAMPLE_CHARS of them: a thousand records of CSV_MAX_LINE_BYTES would be 4 GB
  let sampled = 0;
  while (sample.length < sampleRows && sampled < SAMPLE_CHARS) {
    const r = await records.next();
    if (r.done) break;
    sample.push(r.value);
    for (const f of r.value) sampled += f.length;
  }
  if (sample.length === 0)
    throw new ValidationFailed('The CSV holds no rows', [{ reason: 'empty: the upload holds no rows' }]);
  const forced = { ...kindsFromRoles(options.roles, options.kind), ...(options.columnTypes ?? {}) };
  const columns: ColumnSpec[] = header.map((name, j) => ({
    name,
    kind: forced[name] ?? inferKind(sample.map((r) => r[j])),
  }));
  refineEventTypes(
    columns,
    options,
    sample.map((r) => (j: number) => r[j]),
  );
  const builder = new BatchBuilder(columns, issues, options.batchSize);
  const width = header.length;
  const turns = new Turns(TURN_ROWS);
  let row = 0;
  const take = (r: string[]): RecordBatch | null => {
    row++;
    if (r.length !== width) issues.add(row, undefined, `expected ${width} fields, found ${r.length}`);
    return builder.push(r as RawValue[]);
  };
  async function* batches(): AsyncGenerator<RecordBatch> {
    for (const r of sample) {
      const b = take(r);
      if (b) yield b;
    }
    for (;;) {
      const r = await records.next();
      if (r.done) break;
      const b = take(r.value);
      if (b) yield b;
      else if (turns.due()) await turns.turn();
    }
    const last = builder.flush();
    if (last) yield last;
  }
  return { schema: builder.schema, batches: batches(), kind: options.kind, roles: options.roles };
}
