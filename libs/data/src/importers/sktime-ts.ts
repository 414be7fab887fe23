import { RecordBatch } from 'apache-arrow';
import { UnsupportedMediaType, ValidationFailed } from '@seqcast/core';
import { IssueCollector } from '../validation/issues';
import { BatchBuilder, ColumnSpec } from './batch-builder';
import { BatchSource } from './batch-source';
import { decodeUtf8, lines } from './text';

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
      const series = parts.slice(0, dimensions).map((p) => p.split(','));
      const length = Math.max(...series.map((s) => s.length));
      const target = hasTarget ? parts[dimensions].trim() : undefined;
      for (let i = 0; i < length; i++) {
        const row = [key, i, ...series.map((s) => (i < s.length && s[i] !== '?' ? s[i] : null))];
        if (hasTarget) row.push(target ?? null);
        const b = builder.push(row);
        if (b) yield b;
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
