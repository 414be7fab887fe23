import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import {
  AsyncRecordBatchFileReader,
  AsyncRecordBatchStreamReader,
  RecordBatch,
  RecordBatchReader,
  Schema,
} from 'apache-arrow';
import { ValidationFailed } from '@seqcast/core';
import { tooLarge } from '../validation/issues';
import { registerArrowCodecs } from './codecs';
import { MessageFrames, ReceivedSlice } from './message-frames';
import { DEFAULT_LEASE_TTL_MS, holdLease, leaseRenewMs, leasedTempPath } from '../store/temp-lease';

const MAGIC = Buffer.from('ARROW1');

registerArrowCodecs();

export interface ByteSourceOptions {
  /** Fail with 413 once more bytes than this arrive. */
  maxBytes?: number;
  /** Called with the running byte count (progress bars). */
  onBytes?: (bytes: number) => void;
  /** Where an upload in the IPC *file* format is spooled (default: the OS temp dir). */
  spoolDir?: string;
  /** How often the spool file's lease is renewed (the store's `leaseRenewMs`, so its sweep spares it). */
  spoolRenewMs?: number;
}

/** Counts bytes (and enforces the size limit) and tells the IPC file format from the stream format. */
export class ByteSource implements AsyncIterable<Uint8Array> {
  bytes = 0;
  private iterator: AsyncIterator<Uint8Array>;

  constructor(
    source: AsyncIterable<Uint8Array | string>,
    private readonly options: ByteSourceOptions,
  ) {
    this.iterator = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  }

  /** Set when the source itself failed (aborted request, size limit): that error, not Arrow's, is the cause. */
  failure: unknown = null;

  private async next(): Promise<Uint8Array | null> {
    try {
      const r = await this.iterator.next();
      if (r.done) return null;
      const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      this.bytes += chunk.byteLength;
      if (this.options.maxBytes !== undefined && this.bytes > this.options.maxBytes)
        throw tooLarge('bytes', this.options.maxBytes);
      this.options.onBytes?.(this.bytes);
      return chunk;
    } catch (e) {
      this.failure ??= e;
      throw e;
    }
  }

  private head: Buffer | null = null;

  /** Whether the bytes start with the IPC file magic (reads up to 8 bytes ahead). */
  async isFile(): Promise<boolean> {
    let head = Buffer.alloc(0);
    while (head.length < 8) {
      const c = await this.next();
      if (!c) break;
      head = Buffer.concat([head, c]);
    }
    this.head = head;
    return head.length >= 6 && head.subarray(0, 6).equals(MAGIC);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    if (this.head?.length) yield this.head;
    this.head = null;
    for (;;) {
      const c = await this.next();
      if (!c) return;
      yield c;
    }
  }

  /** Reads and discards what the Arrow reader left (a file's footer), still counting bytes. */
  async drain(): Promise<void> {
    while (await this.next());
  }
}

export interface ArrowBatchStream {
  schema: Schema;
  batches: AsyncIterable<RecordBatch>;
  /** Bytes read so far. */
  bytesRead(): number;
  /** Releases the source without reading further (a file handle, a spool file). */
  close?(): Promise<void>;
  /** The received message a batch is a slice of, where its body may be stored verbatim. */
  received?(batch: RecordBatch): ReceivedSlice | undefined;
  /**
   * Promises that the caller keeps no batch, nor any view of one, once it asks for the next:
   * the stream then copies later messages into the memory of earlier ones (MessageFrames).
   */
  keepsNoBatches?(): void;
}

/** Rows of an uploaded batch validated in one go (see `inSlices`). */
export const SLICE_ROWS = 16_384;

/**
 * An upload's batches cut to at most SLICE_ROWS rows (zero-copy views): batches come in the
 * sender's size, a million rows is common, and each is validated in one synchronous pass
 * that would hold the event loop for a tenth of a second or more.
 */
export async function* inSlices(batches: AsyncIterable<RecordBatch>): AsyncGenerator<RecordBatch> {
  for await (const batch of batches) yield* slicesOf(batch);
}

function* slicesOf(batch: RecordBatch): Generator<RecordBatch> {
  if (batch.numRows <= SLICE_ROWS) yield batch;
  else for (let at = 0; at < batch.numRows; at += SLICE_ROWS) yield batch.slice(at, at + SLICE_ROWS);
}

/**
 * Received batches of at most this many rows are stored as they came (see MessageFrames);
 * larger ones are stored in slices, so readers of the store never meet a batch much larger
 * than the upload's slices whatever the sender's batch size.
 */
const VERBATIM_MAX_ROWS = 1 << 17;

function invalid(e: unknown): ValidationFailed {
  const reason = e instanceof Error ? e.message : String(e);
  return new ValidationFailed(`Not a valid Arrow IPC stream or file: ${reason}`, [
    { reason: `invalid Arrow IPC: ${reason}` },
  ]);
}

/**
 * Opens an Arrow IPC stream or file arriving as bytes (an HTTP request) and yields its
 * record batches one at a time. The stream format is parsed as it arrives. The file
 * format keeps its schema and batch offsets in a footer at the end (and writers such
 * as Arrow JS put the schema only there), so a file upload is first spooled to disk
 * and then read batch by batch through the footer: memory stays constant either way.
 */
export async function openArrowStream(
  source: AsyncIterable<Uint8Array | string>,
  options: ByteSourceOptions = {},
): Promise<ArrowBatchStream> {
  const bytes = new ByteSource(source, options);
  if (await bytes.isFile())
    return spoolFile(
      bytes,
      options.spoolDir ?? os.tmpdir(),
      options.spoolRenewMs ?? leaseRenewMs(DEFAULT_LEASE_TTL_MS),
    );
  let reader: AsyncRecordBatchStreamReader;
  const frames = new MessageFrames(VERBATIM_MAX_ROWS);
  try {
    reader = (await RecordBatchReader.from(frames.frames(bytes))) as unknown as AsyncRecordBatchStreamReader;
    await reader.open();
  } catch (e) {
    throw bytes.failure ?? invalid(e);
  }
  if (!reader.schema) {
    if (bytes.bytes === 0)
      throw new ValidationFailed('The upload is empty', [{ reason: 'empty: no bytes received' }]);
    throw invalid(new Error('no schema message'));
  }
  const received = new WeakMap<RecordBatch, ReceivedSlice>();
  // The reader returns one batch per record batch message, in order; a batch that does not
  // match its message's row count (never seen) ends verbatim storage for the upload.
  let matched = true;
  let recycle = false;
  async function* batches(): AsyncGenerator<RecordBatch> {
    try {
      for await (const batch of reader as AsyncIterable<RecordBatch>) {
        const entry = frames.received.shift();
        const whole = entry?.verbatim;
        if (whole && whole.rows !== batch.numRows) matched = false;
        const slices = [...slicesOf(batch)];
        for (let index = 0; index < slices.length; index++) {
          if (whole && matched) received.set(slices[index], { batch: whole, index, count: slices.length });
          yield slices[index];
        }
        // The consumer asked for the next batch: under its promise, this one's memory is free.
        if (recycle && entry?.frame) frames.release(entry.frame);
      }
    } catch (e) {
      throw bytes.failure ?? invalid(e);
    }
    await bytes.drain();
  }
  return {
    schema: reader.schema,
    batches: batches(),
    bytesRead: () => bytes.bytes,
    received: (batch) => received.get(batch),
    keepsNoBatches: () => (recycle = true),
  };
}

/**
 * Writes an upload to a leased temporary file (formats that keep their index in a footer,
 * an IPC file or Parquet, are read from disk). `discard` releases the lease and removes it.
 */
export async function spoolBytes(
  bytes: AsyncIterable<Uint8Array>,
  dir: string,
  renewMs: number,
): Promise<{ path: string; discard: () => Promise<void> }> {
  await fsp.mkdir(dir, { recursive: true });
  const spool = leasedTempPath(dir, '.spool');
  const out = await fsp.open(spool, 'wx');
  // The spool lives while the upload arrives and while it is validated: leased for both.
  const lease = holdLease(spool, renewMs);
  const discard = async () => {
    lease.release();
    await fsp.rm(spool, { force: true });
  };
  try {
    for await (const chunk of bytes) await out.write(chunk);
  } catch (e) {
    await out.close();
    await discard();
    throw e;
  }
  await out.close();
  return { path: spool, discard };
}

async function spoolFile(bytes: ByteSource, dir: string, renewMs: number): Promise<ArrowBatchStream> {
  const { path: spool, discard } = await spoolBytes(bytes, dir, renewMs);
  try {
    const opened = await openArrowFile(spool);
    const inner = opened.batches;
    async function* batches(): AsyncGenerator<RecordBatch> {
      try {
        yield* inSlices(inner);
      } finally {
        await discard();
      }
    }
    return { schema: opened.schema, batches: batches(), bytesRead: () => bytes.bytes };
  } catch (e) {
    await discard();
    throw e;
  }
}

/** Reads an Arrow IPC file on disk batch by batch through its footer (random access, constant memory). */
export async function openArrowFile(file: string): Promise<ArrowBatchStream> {
  const handle = await fsp.open(file, 'r');
  let reader: AsyncRecordBatchFileReader;
  try {
    reader = (await RecordBatchReader.from(handle)) as unknown as AsyncRecordBatchFileReader;
    await reader.open();
    if (!reader.schema) throw new Error('no schema');
  } catch (e) {
    await handle.close();
    throw invalid(e);
  }
  const size = (await handle.stat()).size;
  async function* batches(): AsyncGenerator<RecordBatch> {
    try {
      for await (const batch of reader) yield batch as RecordBatch;
    } catch (e) {
      throw invalid(e);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  return {
    schema: reader.schema,
    batches: batches(),
    bytesRead: () => size,
    close: () => handle.close().catch(() => undefined),
  };
}
