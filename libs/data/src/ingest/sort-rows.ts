import { RecordBatch, Schema, Struct, makeData, vectorFromArray } from 'apache-arrow';
import { KeyAssigner } from '../arrow/key-ids';
import { timeValues } from '../arrow/column-values';
import { DatasetRoles, keyColumnsOf } from '../schema/dataset-schema';
import { tooLarge } from '../validation/issues';

/**
 * The `sort` option: gathers the whole upload and reorders rows by series, then time
 * (stable, so equal stamps keep their order for the duplicate check). Sorting needs
 * every row at once, so this path holds the upload in memory (bounded by `maxRows`)
 * unlike the streaming default.
 */
export async function* sortRows(
  schema: Schema,
  batches: AsyncIterable<RecordBatch>,
  roles: DatasetRoles,
  maxRows: number,
  batchSize = 65_536,
): AsyncGenerator<RecordBatch> {
  const all: RecordBatch[] = [];
  let total = 0;
  for await (const b of batches) {
    total += b.numRows;
    if (total > maxRows) throw tooLarge('rows', maxRows);
    all.push(b);
  }
  if (total === 0) return;
  const assigner = new KeyAssigner(keyColumnsOf(roles));
  const ids = new Int32Array(total);
  const times = new Float64Array(total);
  let at = 0;
  for (const b of all) {
    ids.set(assigner.assign(b), at);
    times.set(timeValues(b.getChild(roles.timeColumn)!), at);
    at += b.numRows;
  }
  // Series in key order (not first-seen order) so a sorted upload does not depend on the input order.
  const keys = assigner.registry.keys;
  const rank = new Int32Array(keys.length);
  keys
    .map((k, i) => [k, i] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .forEach(([, i], r) => (rank[i] = r));
  const order = Uint32Array.from({ length: total }, (_, i) => i).sort((a, b) => {
    const ka = ids[a] < 0 ? -1 : rank[ids[a]];
    const kb = ids[b] < 0 ? -1 : rank[ids[b]];
    if (ka !== kb) return ka - kb;
    const ta = times[a];
    const tb = times[b];
    if (ta !== tb) return ta !== ta ? 1 : tb !== tb ? -1 : ta - tb;
    return a - b;
  });
  const starts: number[] = [];
  let s = 0;
  for (const b of all) {
    starts.push(s);
    s += b.numRows;
  }
  const locate = (row: number): [number, number] => {
    let lo = 0;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    return [lo, row - starts[lo]];
  };
  for (let from = 0; from < total; from += batchSize) {
    const n = Math.min(batchSize, total - from);
    const children = schema.fields.map((f) => {
      const values: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const [b, r] = locate(order[from + i]);
        values[i] = all[b].getChild(f.name)!.get(r);
      }
      return vectorFromArray(values as never, f.type).data[0];
    });
    yield new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: children as never }),
    );
  }
}
