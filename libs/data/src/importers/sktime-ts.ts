import { RecordBatch } from 'apache-arrow';
import { TURN_ROWS, Turns, UnsupportedMediaType, ValidationFailed } from '@seqcast/core';
import { IssueCollector } from '../validation/issues';
import { BatchBuilder, ColumnSpec } from './batch-builder';
import { BatchSource } from './batch-source';
import { decodeUtf8, lines, splitLazily } from './text';

/** More dimensions than any UEA archive problem has (the largest has 1 345). */
const MAX_DIMENSIONS = 10_000;

/**
 * sktime / UEA `.ts` classification and regression files: `@` header lines, then
 * one case per line, dimensions separated by `:`, values by `,`, the label last.
 * Each case becomes a sequence of rows (time = position, one feature column per
 * dimension) with the label as the sequence target, the EBES layout for
 * sequence classification.
 */
export async function openSktimeTs(
  source: AsyncIterable<Uint8Array | string>,
  options: { batchSize?: number },
  issues: IssueCollector,
): Promise<BatchSource> {
  const it = lines(decodeUtf8(source))[Symbol.asyncIterator]();
  let dimensions = 1;
  let classLabel = false;
  let targetLabel = false;
  let inData = false;
  while (!inData) {
    const r = await it.next();
    if (r.done) break;
    const line = r.value.trim();
    if (!line || line.startsWith('#')) continue;
    const [tag, ...rest] = line.split(/\s+/);
    switch (tag.toLowerCase()) {
      case '@timestamps':
        if (rest[0] === 'true')
          throw new UnsupportedMediaType('sktime .ts files with timestamps are not supported', [
            { field: '@timeStamps', reason: 'only @timeStamps false is supported' },
          ]);
        break;
      case '@dimensions':
        dimensions = Number(rest[0]);
        // one column each: a huge count would be a huge schema before any data is read
        if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS)
          throw new ValidationFailed(`Bad .ts header line '${line.slice(0, 80)}'`, [
            { field: '@dimensions', reason: `expected a whole number from 1 to ${MAX_DIMENSIONS}` },
          ]);
        break;
      case '@univariate':
        if (rest[0] === 'true') dimensions = 1;
        break;
      case '@classlabel':
        classLabel = rest[0] === 'true';
        break;
      case '@targetlabel':
        targetLabel = rest[0] === 'true';
        break;
      case '@data':
        inData = true;
        break;
      default:
        if (!tag.startsWith('@'))
          throw new ValidationFailed('Not a .ts file: data before @data', [
            { reason: `unexpected line '${line.slice(0, 40)}'` },
          ]);
    }
  }
  if (!inData) throw new ValidationFailed('Not a .ts file: no @data line', [{ reason: 'missing @data' }]);
  const hasTarget = classLabel || targetLabel;
  const dims = Array.from({ length: dimensions }, (_, d) => `dim_${d}`);
  const columns: ColumnSpec[] = [
    { name: 'sequence', kind: 'string' },
    { name: 'time', kind: 'number' },
    ...dims.map((name) => ({ name, kind: 'number' as const })),
    ...(hasTarget ? [{ name: 'target', kind: classLabel ? ('string' as const) : ('number' as const) }] : []),
  ];
  const builder = new BatchBuilder(columns, issues, options.batchSize);
  const turns = new Turns(TURN_ROWS);
  async function* batches(): AsyncGenerator<RecordBatch> {
    let seq = 0;
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      const text = r.value.trim();
      if (!text) continue;
      const parts = text.split(':');
      const expected = dimensions + (hasTarget ? 1 : 0);
      const key = String(seq++);
      if (parts.length !== expected) {
        issues.add(
          builder.length + 1,
          undefined,
          `case ${key}: expected ${expected} ':'-separated fields, found ${parts.length}`,
        );
        continue;
      }
      // The dimensions side by side, value by value; one that ends first gives nulls after.
      const series = parts.slice(0, dimensions).map((p) => splitLazily(p, ','));
      const target = hasTarget ? parts[dimensions].trim() : undefined;
      for (let i = 0; ; i++) {
        let more = false;
        const values = series.map((s) => {
          const r = s.next();
          if (r.done) return null;
          more = true;
          return r.value !== '?' ? r.value : null;
        });
        if (!more) break;
        const row = [key, i, ...values];
        if (hasTarget) row.push(target ?? null);
        const b = builder.push(row);
        if (b) yield b;
        else if (turns.due()) await turns.turn();
      }
    }
    const last = builder.flush();
    if (last) yield last;
  }
  return {
    schema: builder.schema,
    batches: batches(),
    kind: 'events',
    roles: {
      sequenceColumn: 'sequence',
      timeColumn: 'time',
      typeColumn: null,
      numericFeatures: dims,
      categoricalFeatures: [],
      targetColumn: hasTarget ? 'target' : null,
    },
  };
}
