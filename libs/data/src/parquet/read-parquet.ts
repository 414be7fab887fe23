import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import { DataType, RecordBatch, RecordBatchReader, Schema, Type } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { ValidationFailed } from '@seqcast/core';
import {
  ArrowBatchStream,
  ByteSource,
  ByteSourceOptions,
  SLICE_ROWS,
  inSlices,
  spoolBytes,
} from '../arrow/read-ipc';
import { DEFAULT_LEASE_TTL_MS, leaseRenewMs } from '../store/temp-lease';

function invalid(e: unknown): ValidationFailed {
  const reason = e instanceof Error ? e.message : String(e);
  return new ValidationFailed(`Not a valid Parquet file: ${reason}`, [
    { reason: `invalid Parquet: ${reason}` },
  ]);
}

/**
 * parquet-wasm 0.8's reader cannot build a dictionary of views (polars writes categoricals
 * so): it fails inside the wasm module, where the failure surfaces as a trap and the
 * read never settles. Such a column is refused before any row group is read.
 */
function refuseUndecodable(schema: Schema): void {
  const details = schema.fields
    .filter(
      (f) =>
        DataType.isDictionary(f.type) &&
        [Type.Utf8View, Type.BinaryView].includes(f.type.dictionary.typeId as Type),
    )
    .map((f) => ({
      column: f.name,
      reason: `column ${f.name}: the Parquet reader (parquet-wasm 0.8) cannot decode ${String(f.type)}; write it as a plain string column`,
    }));
  if (details.length)
    throw new ValidationFailed(`This Parquet file has columns the Parquet reader cannot decode`, details);
}

/**
 * The spool as the Blob parquet-wasm reads ranges of (`size`, `slice(a, b).arrayBuffer()`),
 * through one file handle. Not Node's `openAsBlob`: its reads fail once the file's mtime
 * changes, and the spool's lease renews exactly that while a long upload is validated
 * (parquet-wasm then traps and the read never settles).
 */
function blobOf(handle: fsp.FileHandle, size: number): Blob {
  const range = (start: number, end: number) => ({
    arrayBuffer: async (): Promise<ArrayBuffer> => {
      const from = Math.max(0, Math.trunc(start));
      const to = Math.min(size, Math.trunc(end));
      const out = new Uint8Array(Math.max(0, to - from));
      let at = 0;
      while (at < out.length) {
        const { bytesRead } = await handle.read(out, at, out.length - at, from + at);
        if (bytesRead === 0) throw new Error(`unexpected end of the spooled file at byte ${from + at}`);
        at += bytesRead;
      }
      return out.buffer;
    },
  });
  return { size, slice: (start = 0, end = size) => range(start, end) } as unknown as Blob;
}

/**
 * Rows a row group is decoded into per batch: the upload's slice size, where parquet-wasm's
 * default (1024) cut a 65536-row group into 64 batches, each then validated and written on its
 * own (ten thousand small writes for ten million rows).
 */
const readOptions = (group: number) => ({ rowGroups: [group], batchSize: SLICE_ROWS });

/** Arrow batches from the IPC stream bytes parquet-wasm hands over (its Arrow lives in wasm memory). */
function batchesOf(ipc: Uint8Array): { schema: Schema; batches: RecordBatch[] } {
  const reader = RecordBatchReader.from(ipc);
  reader.open();
  const schema = reader.schema; // read before iterating: a finished reader forgets it
  const batches = [...reader] as RecordBatch[];
  return { schema, batches };
}

/**
 * Opens a Parquet upload and yields its rows one row group at a time. Parquet keeps its
 * schema and row-group offsets in a footer, so the bytes are spooled to a leased temp
 * file first (as an Arrow IPC file is); parquet-wasm (the Rust `parquet` crate compiled
 * to WebAssembly, shipped in the npm package) then reads the footer and each row group
 * through a file-backed Blob, so memory holds one row group, never the file.
 *
 * The schema is the first row group's as decoded (parquet-wasm may decode a column
 * with a narrower Arrow type than the one recorded in the footer, Utf8 for Utf8View),
 * so the schema and the batches always agree.
 */
export async function openParquetStream(
  source: AsyncIterable<Uint8Array | string>,
  options: ByteSourceOptions = {},
): Promise<ArrowBatchStream> {
  const bytes = new ByteSource(source, options);
  const { path, discard } = await spoolBytes(
    bytes,
    options.spoolDir ?? os.tmpdir(),
    options.spoolRenewMs ?? leaseRenewMs(DEFAULT_LEASE_TTL_MS),
  );
  if (bytes.bytes === 0) {
    await discard();
    throw new ValidationFailed('The upload is empty', [{ reason: 'empty: no bytes received' }]);
  }
  let file: ParquetFile;
  let groups: number;
  let first: { schema: Schema; batches: RecordBatch[] };
  const handle = await fsp.open(path, 'r');
  const close = async () => {
    await handle.close().catch(() => undefined);
    await discard();
  };
  try {
    file = await ParquetFile.fromFile(blobOf(handle, (await handle.stat()).size));
  } catch (e) {
    await close();
    throw invalid(e);
  }
  try {
    refuseUndecodable(batchesOf(file.schema().intoIPCStream()).schema);
    groups = file.metadata().numRowGroups();
    first =
      groups > 0
        ? batchesOf((await file.read(readOptions(0))).intoIPCStream())
        : batchesOf(file.schema().intoIPCStream());
  } catch (e) {
    file.free();
    await close();
    throw e instanceof ValidationFailed ? e : invalid(e);
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    file.free();
    await close();
  };
  const expected = first.schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ');
  async function* rowGroups(): AsyncGenerator<RecordBatch> {
    try {
      yield* first.batches;
      for (let g = 1; g < groups; g++) {
        let next: { schema: Schema; batches: RecordBatch[] };
        try {
          next = batchesOf((await file.read(readOptions(g))).intoIPCStream());
        } catch (e) {
          throw invalid(e);
        }
        const got = next.schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ');
        if (got !== expected) throw invalid(new Error(`row group ${g} decodes as ${got}, not ${expected}`));
        yield* next.batches;
      }
    } finally {
      await release();
    }
  }
  return {
    schema: first.schema,
    batches: inSlices(rowGroups()),
    bytesRead: () => bytes.bytes,
    close: release,
  };
}
