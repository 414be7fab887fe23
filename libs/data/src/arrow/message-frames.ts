import { Message, MessageHeader, MetadataVersion } from 'apache-arrow';

/** A record batch message as it arrived: its decoded header and its body bytes, untouched. */
export interface ReceivedBatch {
  message: Message;
  body: Uint8Array;
  rows: number;
}

/** One slice of a received batch, as validation sees it (see `inSlices`). */
export interface ReceivedSlice {
  batch: ReceivedBatch;
  index: number;
  count: number;
}

/** The continuation marker before each message's length (absent in pre-0.15 streams). */
const CONTINUATION = -1;
/** A metadata flatbuffer longer than this is not a message of any stream we read: left to Arrow to refuse. */
const MAX_METADATA = 64 * 1024 * 1024;

/**
 * Cuts an Arrow IPC stream into whole messages (length prefix, metadata flatbuffer, body)
 * before apache-arrow's reader sees it, and keeps, for each record batch message, its
 * header and a view of its body. The store writes those bodies verbatim into its IPC
 * file when validation leaves a batch as it was, instead of re-serialising every column
 * (see ArrowFileSink).
 *
 * The reader gets each message as one contiguous chunk, so it slices the message's
 * buffers without copying; a message that arrives in many pieces is copied once, here,
 * instead of in the reader. (Into private memory: a SharedArrayBuffer, which the writing
 * thread could read without a copy, measured several times slower to allocate.) Anything
 * that does not frame as a message (a truncated or corrupt stream) is passed on as it is,
 * for the reader to refuse with its own error.
 *
 * `received` lists the record batch messages passed on, oldest first, so the reader's
 * k-th batch is the k-th entry: `verbatim` is null for those that cannot be written
 * verbatim (compressed bodies, pre-V5 metadata, more than `maxRows` rows), `frame` the
 * memory this class allocated for the message, if it did.
 *
 * A consumer that keeps nothing of a batch once it asks for the next (the ingest: it
 * validates and copies each batch to the writing thread) may hand a record batch's frame
 * back with `release`: the next message is copied into it instead of fresh memory, which
 * saves a page fault every 4 KiB and most of the garbage of an upload. Only record batch
 * frames come back; a dictionary stays referenced by the reader for later batches.
 */
export class MessageFrames {
  readonly received: { verbatim: ReceivedBatch | null; frame: ArrayBuffer | null }[] = [];
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  /** A released frame, for the next message that fits. */
  private spare: ArrayBuffer | null = null;
  /** The frame `take` allocated last (null when it returned a view of a received chunk). */
  private allocated: ArrayBuffer | null = null;

  constructor(private readonly maxRows: number) {}

  async *frames(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const it = source[Symbol.asyncIterator]();
    const fill = async (n: number): Promise<boolean> => {
      while (this.queued < n) {
        const r = await it.next();
        if (r.done) return false;
        this.queue.push(r.value);
        this.queued += r.value.byteLength;
      }
      return true;
    };
    for (;;) {
      if (!(await fill(8))) break;
      const bytes = this.peek(8);
      const head = new DataView(bytes.buffer, bytes.byteOffset, 8);
      const legacy = head.getInt32(0, true) !== CONTINUATION;
      const prefix = legacy ? 4 : 8;
      const length = head.getInt32(legacy ? 0 : 4, true);
      if (length === 0) {
        yield this.take(prefix); // end of stream; what follows is passed on as it is
        break;
      }
      if (length < 0 || length > MAX_METADATA || !(await fill(prefix + length))) break;
      let message: Message;
      try {
        message = Message.decode(this.peek(prefix + length).subarray(prefix));
      } catch {
        break;
      }
      const total = prefix + length + message.bodyLength;
      if (!(message.bodyLength >= 0) || !(await fill(total))) break;
      const frame = this.take(total);
      if (message.headerType === MessageHeader.RecordBatch)
        this.received.push({
          verbatim: this.verbatim(message, frame.subarray(prefix + length)),
          frame: this.allocated,
        });
      yield frame;
    }
    if (this.queued > 0) yield this.take(this.queued);
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }

  private verbatim(message: Message, body: Uint8Array): ReceivedBatch | null {
    if (message.version !== MetadataVersion.V5) return null;
    const header = message.header() as { length: number | bigint; compression?: unknown };
    const rows = Number(header.length);
    if (header.compression || rows > this.maxRows) return null;
    return { message, body, rows };
  }

  /** Hands back a record batch's frame whose batch, and every view of it, the consumer has dropped. */
  release(frame: ArrayBuffer): void {
    if (!this.spare || frame.byteLength > this.spare.byteLength) this.spare = frame;
  }

  /** The first n queued bytes, contiguous (n is small: a message header). */
  private peek(n: number): Uint8Array {
    const first = this.queue[0];
    if (first.byteLength >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.queue) {
      const k = Math.min(c.byteLength, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (at === n) break;
    }
    return out;
  }

  /** Removes and returns the first n queued bytes: a view when one chunk holds them, else one copy. */
  private take(n: number): Uint8Array {
    this.queued -= n;
    this.allocated = null;
    const first = this.queue[0];
    if (first.byteLength >= n) {
      if (first.byteLength === n) this.queue.shift();
      else this.queue[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    // A released frame, or memory uninitialised (every byte is written below) and not from Node's small-buffer pool.
    let memory: ArrayBuffer;
    if (this.spare && this.spare.byteLength >= n) {
      memory = this.spare;
      this.spare = null;
    } else memory = Buffer.allocUnsafeSlow(n).buffer as ArrayBuffer;
    this.allocated = memory;
    const out = new Uint8Array(memory, 0, n);
    let at = 0;
    while (at < n) {
      const c = this.queue[0];
      const k = Math.min(c.byteLength, n - at);
      out.set(k === c.byteLength ? c : c.subarray(0, k), at);
      at += k;
      if (k === c.byteLength) this.queue.shift();
      else this.queue[0] = c.subarray(k);
    }
    return out;
  }
}
