import {
  Binary,
  Data,
  DataType,
  Dictionary,
  Field,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Table,
  Type,
  Utf8,
  Vector,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import {
  Compression,
  RecordBatch as WasmRecordBatch,
  Table as WasmTable,
  WriterProperties,
  WriterPropertiesBuilder,
  transformParquetStream,
  writeParquet,
} from 'parquet-wasm';

const isViewDictionary = (t: DataType): t is Dictionary =>
  DataType.isDictionary(t) && [Type.Utf8View, Type.BinaryView].includes(t.dictionary.typeId as Type);

/**
 * parquet-wasm 0.8 traps on a dictionary of views (polars' categorical, stored as sent):
 * such columns are written as a dictionary of Utf8 (or Binary) with the same indices. Only
 * the dictionary, a few distinct values, is rebuilt; the indices are shared.
 */
class ParquetColumns {
  readonly schema: Schema;
  private readonly rebuilt = new WeakMap<object, Vector>();

  constructor(source: Schema) {
    this.schema = new Schema(
      source.fields.map((f) =>
        isViewDictionary(f.type)
          ? new Field(
              f.name,
              new Dictionary(
                f.type.dictionary.typeId === Type.Utf8View ? new Utf8() : new Binary(),
                f.type.indices,
                f.type.id,
                f.type.isOrdered,
              ),
              f.nullable,
              f.metadata,
            )
          : f,
      ),
      source.metadata,
    );
  }

  batch(batch: RecordBatch): RecordBatch {
    const children = this.schema.fields.map((f, j) => {
      const data = batch.data.children[j] as Data;
      if (f.type === batch.schema.fields[j].type || !DataType.isDictionary(f.type)) return data;
      const dictionary = data.dictionary as Vector;
      let plain = this.rebuilt.get(dictionary);
      if (!plain) {
        plain = vectorFromArray(dictionary.toArray() as never[], f.type.dictionary as never);
        this.rebuilt.set(dictionary, plain);
      }
      return makeData({
        type: f.type,
        offset: data.offset,
        length: data.length,
        nullCount: data.nullCount,
        nullBitmap: data.nullBitmap,
        data: data.values,
        dictionary: plain,
      } as never) as Data;
    });
    return new RecordBatch(
      this.schema,
      makeData({ type: new Struct(this.schema.fields), length: batch.numRows, nullCount: 0, children }),
    );
  }
}

/**
 * Rows per Parquet row group. The writer holds one row group's columns in wasm memory
 * before it encodes and hands them on, so this bounds memory: 64 Ki rows of a few
 * columns is a few MiB, and still large enough for column statistics and compression.
 */
export const PARQUET_ROW_GROUP_ROWS = 65_536;

/** One apache-arrow JS batch as a parquet-wasm batch (through the IPC stream format both speak). */
function toWasm(batch: RecordBatch): WasmRecordBatch {
  const bytes = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
  const table = WasmTable.fromIPCStream(bytes);
  const out = table.recordBatch(0)!;
  table.free();
  return out;
}

function properties(rowGroupRows: number): WriterProperties {
  return new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(rowGroupRows)
    .build();
}

/**
 * Record batches as a Parquet file, streamed: batches are pulled as the writer asks for
 * them and each finished row group leaves as bytes, so memory holds about one row group
 * whatever the size of the export. ZSTD pages; the Arrow schema (time zones included) is
 * kept in the file's metadata, as Arrow engines expect.
 */
export async function* exportParquet(
  schema: Schema,
  batches: AsyncIterable<RecordBatch>,
  rowGroupRows = PARQUET_ROW_GROUP_ROWS,
): AsyncGenerator<Uint8Array> {
  const columns = new ParquetColumns(schema);
  const source = batches[Symbol.asyncIterator]();
  let first = await source.next();
  while (!first.done && first.value.numRows === 0) first = await source.next();
  if (first.done) {
    // No rows: a valid file that records the schema (the streaming writer needs a batch).
    const empty = WasmTable.fromIPCStream(
      RecordBatchStreamWriter.writeAll(new Table(columns.schema)).toUint8Array(true),
    );
    yield writeParquet(empty, properties(rowGroupRows));
    return;
  }
  let pending: RecordBatch | null = first.value;
  const input = new ReadableStream<WasmRecordBatch>({
    async pull(controller) {
      if (pending) {
        controller.enqueue(toWasm(columns.batch(pending)));
        pending = null;
        return;
      }
      for (;;) {
        const next = await source.next();
        if (next.done) return controller.close();
        if (next.value.numRows === 0) continue;
        controller.enqueue(toWasm(columns.batch(next.value)));
        return;
      }
    },
    async cancel() {
      await source.return?.();
    },
  });
  const output = await transformParquetStream(input, properties(rowGroupRows));
  const reader = output.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value as Uint8Array;
    }
  } finally {
    reader.releaseLock();
  }
}
