import { RecordBatch } from 'apache-arrow';
import { TURN_CHARS, TURN_ROWS, Turns, ValidationFailed, parseJsonInTurns } from '@seqcast/core';
import { DatasetKind } from '../schema/dataset-schema';
import { RoleHints } from '../schema/resolve-roles';
import { IssueCollector, checkColumnCount } from '../validation/issues';
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
    // A line over TURN_CHARS is parsed in turns: one line may be the whole upload.
    const parse = async (line: string): Promise<Row | null> => {
      lineNo++;
      if (!line.trim()) return null;
      try {
        const v =
          line.length > TURN_CHARS ? await parseJsonInTurns(line, WIDE) : (JSON.parse(line) as unknown);
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Row;
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e; // a limit (too many columns), not a bad line
      }
      issues.add(lineNo, undefined, 'not a JSON object');
      return {};
    };
    while (sample.length < 1000) {
      const r = await it.next();
      if (r.done) break;
      const row = await parse(r.value);
      if (row) sample.push(row);
    }
    rows = (async function* () {
      yield* sample;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        const row = await parse(r.value);
        if (row) yield row;
      }
    })();
  } else {
    const all = await toRows(await parseJsonDocument(text));
    sample = all.slice(0, 1000);
    rows = all;
  }
  // A Set, not names.includes (a row of a million keys made that a trillion comparisons),
  // and counted as it grows: past the column limit the rest of the keys need no looking at.
  const seen = new Set<string>();
  for (const r of sample) {
    for (const k in r) {
      seen.add(k);
      checkColumnCount(seen.size);
    }
  }
  const names = [...seen];
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
  const turns = new Turns(TURN_ROWS);
  async function* batches(): AsyncGenerator<RecordBatch> {
    let row = 0;
    for await (const r of rows) {
      row++;
      if (turns.due()) await turns.turn();
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

/**
 * An object with more members than the column limit is refused while it is parsed: no row
 * (or object of columns, or EasyTPP wrapper) may be that wide.
 */
const WIDE = { onMembers: checkColumnCount };

/** A whole JSON document (EasyTPP's too), parsed in turns: 30 MB in one JSON.parse held the event loop for a third of a second. */
export async function parseJsonDocument(text: AsyncIterable<string>): Promise<unknown> {
  try {
    return await parseJsonInTurns(await readAllText(text), WIDE);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new ValidationFailed('The body is not valid JSON', [{ reason: `invalid JSON: ${e.message}` }]);
  }
}

async function toRows(doc: unknown): Promise<Row[]> {
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
      const rows: Row[] = [];
      const turns = new Turns(TURN_ROWS);
      for (let i = 0; i < n; i++) {
        rows.push(Object.fromEntries(cols.map(([k, v]) => [k, (v as unknown[])[i]])));
        if (turns.due()) await turns.turn();
      }
      return rows;
    }
  }
  throw new ValidationFailed('Expected an array of row objects or an object of column arrays', [
    { reason: 'wrong shape' },
  ]);
}
