import {
  Float64,
  Int32,
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  Schema,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  tableFromArrays,
  vectorFromArray,
  Field,
  Struct,
} from 'apache-arrow';

/** Builds a record batch from plain arrays; `ts` columns are UTC milliseconds. */
export function batchOf(
  columns: Record<string, { type: 'utf8' | 'ts' | 'f64' | 'i32'; values: unknown[] }>,
): RecordBatch {
  const fields: Field[] = [];
  const children = Object.entries(columns).map(([name, c]) => {
    const type =
      c.type === 'utf8'
        ? new Utf8()
        : c.type === 'ts'
          ? new TimestampMillisecond('UTC')
          : c.type === 'i32'
            ? new Int32()
            : new Float64();
    fields.push(new Field(name, type, true));
    return vectorFromArray(c.values as never[], type as never).data[0];
  });
  const schema = new Schema(fields);
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length: children[0].length, nullCount: 0, children }),
  );
}

export function ipcStream(batches: RecordBatch[]): Uint8Array {
  return RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
}

export function ipcFile(batches: RecordBatch[]): Uint8Array {
  return RecordBatchFileWriter.writeAll(batches).toUint8Array(true);
}

/** Bytes as an async source cut into small chunks, the way a socket delivers them. */
export async function* chunked(bytes: Uint8Array, size = 4096): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

export async function* textChunks(text: string, size = 1000): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

export { Table, tableFromArrays };
