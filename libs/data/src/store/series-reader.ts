import { RecordBatch } from 'apache-arrow';
import { KeyAssigner } from '../arrow/key-ids';
import { timeValues } from '../arrow/column-values';
import { DatasetSchema, keyColumnsOf } from '../schema/dataset-schema';

export interface SeriesValues {
  key: string;
  /** ISO 8601 for timestamps, numbers for numeric event times. */
  times: (string | number)[];
  /** Every non-key column except time, in schema order; nulls for missing values. */
  columns: Record<string, (number | string | null)[]>;
}

/** The rows of one series (or sequence) with from <= time <= to, read batch by batch. */
export async function readSeriesValues(
  batches: AsyncIterable<RecordBatch>,
  schema: DatasetSchema,
  key: string,
  range: { from?: number; to?: number; limit?: number } = {},
): Promise<SeriesValues | null> {
  const keyCols = keyColumnsOf(schema);
  const assigner = new KeyAssigner(keyCols);
  const isStamp = /^(Timestamp|Date)/.test(
    schema.fields.find((f) => f.name === schema.timeColumn)?.type ?? '',
  );
  const cols = schema.fields
    .map((f) => f.name)
    .filter((n) => n !== schema.timeColumn && !keyCols.includes(n));
  const out: SeriesValues = { key, times: [], columns: Object.fromEntries(cols.map((c) => [c, []])) };
  const from = range.from ?? -Infinity;
  const to = range.to ?? Infinity;
  const limit = range.limit ?? Infinity;
  let found = false;
  for await (const b of batches) {
    const ids = assigner.assign(b);
    const want = assigner.registry.find(key);
    if (want === undefined) continue;
    found = true;
    const t = timeValues(b.getChild(schema.timeColumn)!);
    const vectors = cols.map((c) => b.getChild(c)!);
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== want || t[i] < from || t[i] > to) continue;
      if (out.times.length >= limit) return out;
      out.times.push(isStamp ? new Date(t[i]).toISOString() : t[i]);
      cols.forEach((c, j) => {
        const v = vectors[j].get(i) as unknown;
        out.columns[c].push(
          v === null || v === undefined
            ? null
            : typeof v === 'bigint'
              ? Number(v)
              : typeof v === 'number' && !Number.isFinite(v)
                ? null
                : (v as number | string),
        );
      });
    }
  }
  return found ? out : null;
}
