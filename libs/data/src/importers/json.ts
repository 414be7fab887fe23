import { RecordBatch } from 'apache-arrow';
import { ValidationFailed } from '@seqcast/core';
import { DatasetKind } from '../schema/dataset-schema';
import { RoleHints } from '../schema/resolve-roles';
import { IssueCollector } from '../validation/issues';
import { BatchBuilder, ColumnKind, ColumnSpec, RawValue, inferKind } from './batch-builder';
import { BatchSource } from './batch-source';
import { kindsFromRoles, refineEventTypes } from './csv';
import { decodeUtf8, lines, readAllText } from './text';

export interface JsonOptions {
  kind?: DatasetKind;
  roles?: RoleHints;
  columnTypes?: Record<string, ColumnKind>;
  batchSize?: number;
  /** One JSON object per line instead of one document. */
  ndjson?: boolean;
}

type Row = Record<string, unknown>;

/**
 * JSON records: an array of row objects, an object of equal-length column arrays, or
 * (with `ndjson`) one object per line, which streams. Values keep their JSON types;
 * strings in a timestamp column are parsed as timestamps, numbers there are epoch ms.
 */
export async function openJson(
  source: AsyncIterable<Uint8Array | string>,
  options: JsonOptions,
  issues: IssueCollector,
): Promise<BatchSource> {
  const text = decodeUtf8(source);
  let rows: AsyncIterable<Row> | Iterable<Row>;
  let sample: Row[];
  if (options.ndjson) {
    const it = lines(text)[Symbol.asyncIterator]();
    sample = [];
    let lineNo = 0;
    const parse = (line: string): Row | null => {
      lineNo++;
      if (!line.trim()) return null;
      try {
        const v = JSON.parse(line) as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Row;
      } catch {
        /* reported below */
      }
      issues.add(lineNo, undefined, 'not a JSON object');
      return {};
    };
    while (sample.length < 1000) {
      const r = await it.next();
      if (r.done) break;
      const row = parse(r.value);
      if (row) sample.push(row);
    }
    rows = (async function* () {
      yield* sample;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        const row = parse(r.value);
        if (row) yield row;
      }
    })();
  } else {
    let doc: unknown;
    try {
      doc = JSON.parse(await readAllText(text));
    } catch (e) {
      throw new ValidationFailed('The body is not valid JSON', [
        { reason: `invalid JSON: ${(e as Error).message}` },
      ]);
    }
    const all = toRows(doc);
    sample = all.slice(0, 1000);
    rows = all;
  }
  const names: string[] = [];
  for (const r of sample) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
  if (names.length === 0)
    throw new ValidationFailed('The JSON holds no rows', [{ reason: 'empty: no rows' }]);
  const forced = { ...kindsFromRoles(options.roles, options.kind), ...(options.columnTypes ?? {}) };
  const columns: ColumnSpec[] = names.map((name) => ({
    name,
    kind: forced[name] ?? inferKind(sample.map((r) => r[name] as RawValue)),
  }));
  refineEventTypes(
    columns,
    options,
    sample.map((r) => (j: number) => r[names[j]] as RawValue),
  );
  const builder = new BatchBuilder(columns, issues, options.batchSize);
  const known = new Set(names);
  async function* batches(): AsyncGenerator<RecordBatch> {
    let row = 0;
    for await (const r of rows) {
      row++;
      for (const k of Object.keys(r))
        if (!known.has(k)) issues.add(row, k, 'unknown column: not present in the first rows');
      const values = names.map((n) => {
        const v = r[n];
        if (v !== null && typeof v === 'object') {
          issues.add(row, n, 'wrong type: nested values are not supported');
          return null;
        }
        return v as RawValue;
      });
      const b = builder.push(values);
      if (b) yield b;
    }
    const last = builder.flush();
    if (last) yield last;
  }
  return { schema: builder.schema, batches: batches(), kind: options.kind, roles: options.roles };
}

function toRows(doc: unknown): Row[] {
  if (Array.isArray(doc)) {
    if (doc.some((r) => !r || typeof r !== 'object' || Array.isArray(r)))
      throw new ValidationFailed('Expected an array of row objects', [
        { reason: 'wrong shape: every element must be an object' },
      ]);
    return doc as Row[];
  }
  if (doc && typeof doc === 'object') {
    const cols = Object.entries(doc as Record<string, unknown>);
    if (cols.every(([, v]) => Array.isArray(v))) {
      const n = (cols[0]?.[1] as unknown[] | undefined)?.length ?? 0;
      const bad = cols.find(([, v]) => (v as unknown[]).length !== n);
      if (bad)
        throw new ValidationFailed('Columns of different lengths', [
          { column: bad[0], reason: `has ${(bad[1] as unknown[]).length} values, expected ${n}` },
        ]);
      return Array.from({ length: n }, (_, i) =>
        Object.fromEntries(cols.map(([k, v]) => [k, (v as unknown[])[i]])),
      );
    }
  }
  throw new ValidationFailed('Expected an array of row objects or an object of column arrays', [
    { reason: 'wrong shape' },
  ]);
}
