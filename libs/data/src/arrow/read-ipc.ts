import { AsyncRecordBatchStreamReader, RecordBatch, RecordBatchReader, Schema } from 'apache-arrow';
import { ValidationFailed } from '@seqcast/core';
import { tooLarge } from '../validation/issues';

const MAGIC = Buffer.from('ARROW1');

export interface ByteSourceOptions {
  /** Fail with 413 once more bytes than this arrive. */
  maxBytes?: number;
  /** Called with the running byte count (progress bars). */
  onBytes?: (bytes: number) => void;
}

/**
 * Counts bytes (and enforces the size limit) and strips the 8-byte magic of the Arrow
 * IPC *file* format, so a file can be read front to back as a stream: its body is the
 * stream format, and writers end it with an end-of-stream marker before the footer.
 * Apache Arrow's own reader buffers a whole file to reach the footer first; this way an
 * upload of either format is read batch by batch in constant memory.
 */
class ByteSource implements AsyncIterable<Uint8Array> {
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
      if (this.options.maxBytes !== undefined && this.bytes > this.options.maxBytes) throw tooLarge('bytes', this.options.maxBytes);
      this.options.onBytes?.(this.bytes);
      return chunk;
    } catch (e) {
      this.failure ??= e;
      throw e;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    // Gather the first 8 bytes to tell a file from a stream.
    let head = Buffer.alloc(0);
    while (head.length < 8) {
      const c = await this.next();
      if (!c) break;
      head = Buffer.concat([head, c]);
    }
    if (head.length >= 6 && head.subarray(0, 6).equals(MAGIC)) head = head.subarray(8);
    if (head.length) yield head;
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
}

function invalid(e: unknown): ValidationFailed {
  const reason = e instanceof Error ? e.message : String(e);
  return new ValidationFailed(`Not a valid Arrow IPC stream or file: ${reason}`, [{ reason: `invalid Arrow IPC: ${reason}` }]);
}

/**
 * Opens an Arrow IPC stream or file arriving as bytes (an HTTP request, a file read
 * stream) and yields its record batches one at a time.
 */
export async function openArrowStream(source: AsyncIterable<Uint8Array | string>, options: ByteSourceOptions = {}): Promise<ArrowBatchStream> {
  const bytes = new ByteSource(source, options);
  let reader: AsyncRecordBatchStreamReader;
  try {
    reader = (await RecordBatchReader.from(bytes[Symbol.asyncIterator]())) as unknown as AsyncRecordBatchStreamReader;
    await reader.open();
  } catch (e) {
    throw bytes.failure ?? invalid(e);
  }
  if (!reader.schema) {
    if (bytes.bytes === 0) throw new ValidationFailed('The upload is empty', [{ reason: 'empty: no bytes received' }]);
    throw invalid(new Error('no schema message'));
  }
  async function* batches(): AsyncGenerator<RecordBatch> {
    try {
      for await (const batch of reader) yield batch as RecordBatch;
    } catch (e) {
      throw bytes.failure ?? invalid(e);
    }
    await bytes.drain();
  }
  return { schema: reader.schema, batches: batches(), bytesRead: () => bytes.bytes };
}
