import { promises as fsp } from 'node:fs';
import { AsyncByteQueue, Message, RecordBatch, RecordBatchFileWriter, Schema } from 'apache-arrow';
import { BodyCodec, registerArrowEncoders } from './codecs';
import { fileWriter } from './compressed-writer';
import { ReceivedBatch, ReceivedSlice } from './message-frames';
import { OffThreadFile } from '../store/off-thread-file';
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

/**
 * Arrow's file writer, plus record batch messages written as they were received: the
 * small metadata flatbuffer is re-encoded (which also records the batch's block for the
 * footer), the body is copied byte for byte. Valid whenever the file's schema is the
 * stream's and the body is uncompressed V5 (MessageFrames offers no others).
 */
class ReceivingFileWriter extends RecordBatchFileWriter {
  writeReceived(message: Message, body: Uint8Array): void {
    this._writeMessage(message);
    this._write(body);
    // Bodies are 8-byte multiples by the format; padding keeps the next block aligned if not.
    const pad = ((body.byteLength + 7) & ~7) - body.byteLength;
    if (pad > 0) this._writePadding(pad);
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
 * bytes as they pass (both on a worker thread: see OffThreadFile). The caller decides
 * the final name (the hash) and renames, or calls `abort()`, which removes the temporary
 * file: nothing half-written survives.
 *
 * A batch validation left untouched may come with the message it was received in (the
 * caller passes it only when the file's schema is the stream's); when all slices of that
 * message arrive so, its body is written as received (no re-serialisation), else the
 * slices are written through Arrow's writer as any batch.
 */
export class ArrowFileSink {
  private readonly writer: RecordBatchFileWriter;
  /** Received bodies can be kept: uncompressed storage and no dictionaries (the file would need their messages). */
  private readonly verbatim: boolean;
  private readonly sink = new CollectingSink();
  private file: OffThreadFile | null = null;
  private rows = 0;
  private batches = 0;
  private closed = false;
  private lease: HeldLease | null = null;
  /** Slices of one received message waiting for its last slice. */
  private pending: RecordBatch[] = [];
  private pendingOf: ReceivedBatch | null = null;
  readonly tempPath: string;

  constructor(
    dir: string,
    private readonly schema: Schema,
    private readonly options: { fsync?: boolean; renewMs?: number; compression?: BodyCodec | null } = {},
  ) {
    this.tempPath = leasedTempPath(dir, '.arrow');
    // Stored files may compress their bodies (ZSTD or LZ4 frames); every reader of the store decodes them.
    this.writer = options.compression ? fileWriter(options.compression) : new ReceivingFileWriter();
    this.verbatim = this.writer instanceof ReceivingFileWriter && schema.dictionaries.size === 0;
    this.writer.reset(this.sink as never, schema);
  }

  async open(): Promise<void> {
    if (this.options.compression) await registerArrowEncoders();
    this.file = await OffThreadFile.create(this.tempPath);
    // Renewed for as long as the upload runs, however slowly the client sends.
    this.lease = holdLease(this.tempPath, this.options.renewMs ?? leaseRenewMs(DEFAULT_LEASE_TTL_MS));
  }

  async write(batch: RecordBatch, received?: ReceivedSlice): Promise<void> {
    if (received && this.verbatim) {
      if (this.pendingOf !== received.batch) this.writePending();
      this.pendingOf = received.batch;
      this.pending.push(batch);
      if (received.index < received.count - 1) return;
      if (this.pending.length === received.count) {
        (this.writer as ReceivingFileWriter).writeReceived(received.batch.message, received.batch.body);
        this.rows += received.batch.rows;
        this.batches++;
        this.pending = [];
        this.pendingOf = null;
      } else this.writePending();
    } else {
      this.writePending();
      this.writeBatch(batch);
    }
    await this.flush();
  }

  private writeBatch(batch: RecordBatch): void {
    this.writer.write(batch);
    this.rows += batch.numRows;
    this.batches++;
  }

  /** Slices held for a received message that will not be written verbatim after all. */
  private writePending(): void {
    for (const b of this.pending) this.writeBatch(b);
    this.pending = [];
    this.pendingOf = null;
  }

  private async flush(): Promise<void> {
    const chunks = this.sink.take();
    // Copied once into the thread's buffer: the chunks are views into Arrow's buffers.
    if (chunks.length > 0) await this.file!.write(chunks);
  }

  async finish(): Promise<WrittenFile> {
    this.writePending();
    if (this.batches === 0) this.writer.write(new RecordBatch(this.schema)); // an empty file still records its schema
    this.writer.finish();
    await this.flush();
    // Durable before it is published under its final name (the rename that follows).
    const hash = await this.file!.finish(this.options.fsync !== false);
    this.closed = true;
    // Fresh for the commit that follows at once (the rename to its hash name); renewals stop.
    const now = new Date();
    await fsp.utimes(this.tempPath, now, now);
    this.lease?.release();
    return {
      tempPath: this.tempPath,
      hash,
      bytes: this.file!.bytes,
      rows: this.rows,
      batches: this.batches,
    };
  }

  async abort(): Promise<void> {
    this.lease?.release();
    if (!this.closed) {
      this.closed = true;
      await this.file?.abort();
    }
    await fsp.rm(this.tempPath, { force: true });
  }
}
