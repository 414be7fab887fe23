import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { AsyncByteQueue, RecordBatch, RecordBatchFileWriter, Schema } from 'apache-arrow';
import { BodyCodec, registerArrowEncoders } from './codecs';
import { fileWriter } from './compressed-writer';
import {
  DEFAULT_LEASE_TTL_MS,
  HeldLease,
  holdLease,
  leaseRenewMs,
  leasedTempPath,
} from '../store/temp-lease';

/**
 * Catches the bytes Arrow's writer produces, synchronously, so the caller can write
 * them to disk and wait for the disk before taking the next batch (Arrow's own queue
 * has no back-pressure: a fast upload onto a slow disk would pile up in memory).
 */
class CollectingSink extends AsyncByteQueue {
  chunks: Uint8Array[] = [];
  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }
  take(): Uint8Array[] {
    const out = this.chunks;
    this.chunks = [];
    return out;
  }
}

export interface WrittenFile {
  /** Absolute path of the written temporary file. */
  tempPath: string;
  /** sha256 of the file's bytes, hex. */
  hash: string;
  bytes: number;
  rows: number;
  batches: number;
}

/**
 * Writes record batches into an Arrow IPC file under a temporary name, hashing the
 * bytes as they pass. The caller decides the final name (the hash) and renames, or
 * calls `abort()`, which removes the temporary file: nothing half-written survives.
 */
export class ArrowFileSink {
  private readonly writer: RecordBatchFileWriter;
  private readonly sink = new CollectingSink();
  private readonly hash = createHash('sha256');
  private handle: fsp.FileHandle | null = null;
  private bytes = 0;
  private rows = 0;
  private batches = 0;
  private closed = false;
  private lease: HeldLease | null = null;
  readonly tempPath: string;

  constructor(
    dir: string,
    private readonly schema: Schema,
    private readonly options: { fsync?: boolean; renewMs?: number; compression?: BodyCodec | null } = {},
  ) {
    this.tempPath = leasedTempPath(dir, '.arrow');
    // Stored files may compress their bodies (ZSTD or LZ4 frames); every reader of the store decodes them.
    this.writer = fileWriter(options.compression ?? null);
    this.writer.reset(this.sink as never, schema);
  }

  async open(): Promise<void> {
    if (this.options.compression) await registerArrowEncoders();
    this.handle = await fsp.open(this.tempPath, 'wx');
    // Renewed for as long as the upload runs, however slowly the client sends.
    this.lease = holdLease(this.tempPath, this.options.renewMs ?? leaseRenewMs(DEFAULT_LEASE_TTL_MS));
  }

  async write(batch: RecordBatch): Promise<void> {
    this.writer.write(batch);
    this.rows += batch.numRows;
    this.batches++;
    await this.flush();
  }

  private async flush(): Promise<void> {
    const chunks = this.sink.take();
    if (chunks.length === 0) return;
    for (const c of chunks) {
      this.hash.update(c);
      this.bytes += c.byteLength;
    }
    // One writev per batch: the chunks are views into Arrow's buffers, never copied.
    await this.handle!.writev(chunks as NodeJS.ArrayBufferView[] as Buffer[]);
  }

  async finish(): Promise<WrittenFile> {
    if (this.batches === 0) this.writer.write(new RecordBatch(this.schema)); // an empty file still records its schema
    this.writer.finish();
    await this.flush();
    // Durable before it is published under its final name (the rename that follows).
    if (this.options.fsync !== false) await this.handle!.sync();
    await this.handle!.close();
    this.closed = true;
    // Fresh for the commit that follows at once (the rename to its hash name); renewals stop.
    const now = new Date();
    await fsp.utimes(this.tempPath, now, now);
    this.lease?.release();
    return {
      tempPath: this.tempPath,
      hash: this.hash.digest('hex'),
      bytes: this.bytes,
      rows: this.rows,
      batches: this.batches,
    };
  }

  async abort(): Promise<void> {
    this.lease?.release();
    if (!this.closed) {
      this.closed = true;
      await this.handle?.close().catch(() => undefined);
    }
    await fsp.rm(this.tempPath, { force: true });
  }
}
