import { AsyncByteQueue, RecordBatch, Schema } from 'apache-arrow';
import { typeClass } from '../arrow/arrow-types';
import { BodyCodec } from '../arrow/codecs';
import { streamWriter } from '../arrow/compressed-writer';
import { timeValues } from '../arrow/column-values';

class Collect extends AsyncByteQueue {
  chunks: Uint8Array[] = [];
  override write(value: Uint8Array): void {
    if (value.byteLength) this.chunks.push(value);
  }
}

/**
 * A version as one Arrow IPC stream, batch by batch (the files of a version share one
 * schema), its record batch bodies optionally compressed with ZSTD or LZ4 frames.
 */
export async function* exportArrowStream(
  schema: Schema,
  batches: AsyncIterable<RecordBatch>,
  codec: BodyCodec | null = null,
): AsyncGenerator<Uint8Array> {
  const sink = new Collect();
  const writer = await streamWriter(codec);
  writer.reset(sink as never, schema);
  const drain = () => sink.chunks.splice(0);
  yield* drain();
  for await (const b of batches) {
    if (b.numRows === 0) continue;
    writer.write(b);
    yield* drain();
  }
  writer.finish();
  yield* drain();
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s =
    typeof v === 'number'
      ? Number.isFinite(v)
        ? String(v)
        : v !== v
          ? 'NaN'
          : v > 0
            ? 'inf'
            : '-inf'
      : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A version as CSV text chunks: a header, then one line per row; timestamps as ISO 8601 UTC. */
export async function* exportCsv(
  schema: Schema,
  batches: AsyncIterable<RecordBatch>,
): AsyncGenerator<string> {
  const names = schema.fields.map((f) => f.name);
  const stamps = schema.fields.map((f) => typeClass(f.type) === 'timestamp');
  yield names.map(csvCell).join(',') + '\n';
  for await (const b of batches) {
    const cols = names.map((n, j) => {
      const v = b.getChild(n)!;
      if (stamps[j]) {
        const t = timeValues(v);
        return (i: number) => (t[i] === t[i] ? new Date(t[i]).toISOString() : '');
      }
      return (i: number) => csvCell(v.get(i));
    });
    const lines: string[] = new Array(b.numRows);
    for (let i = 0; i < b.numRows; i++) lines[i] = cols.map((c) => c(i)).join(',');
    if (lines.length) yield lines.join('\n') + '\n';
  }
}
