import { RecordBatchFileWriter, RecordBatchStreamWriter } from 'apache-arrow';
import { BodyCodec, compressionTypeOf, registerArrowEncoders } from './codecs';

/** The 8-byte little-endian prefix of a compressed body buffer that says the buffer was stored raw. */
const RAW = -1n;

/**
 * Writers whose compressed bodies other engines can read. apache-arrow JS 21.2 writes each
 * compressed buffer's *compressed* length into the 8-byte prefix that the Arrow format
 * reserves for the *uncompressed* length (its own reader ignores the prefix; polars and
 * pyarrow do not, and refuse the batch). The buffers its writer compressed are kept; only
 * the prefixes are rewritten with the lengths of the buffers that went in.
 */
function fixPrefixes<T extends { buffers: ArrayBufferView[] }>(buffers: ArrayBufferView[], out: T): T {
  // The writer emits a (prefix, body) pair per input buffer, in order; empty buffers as two empty arrays.
  buffers.forEach((buffer, i) => {
    const prefix = out.buffers[2 * i] as Uint8Array;
    if (prefix.byteLength !== 8) return;
    const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
    if (view.getBigInt64(0, true) !== RAW) view.setBigInt64(0, BigInt(buffer.byteLength), true);
  });
  return out;
}

class ConformantStreamWriter extends RecordBatchStreamWriter {
  protected override _compressBodyBuffers(buffers: ArrayBufferView[]) {
    return fixPrefixes(buffers, super._compressBodyBuffers(buffers));
  }
}

class ConformantFileWriter extends RecordBatchFileWriter {
  protected override _compressBodyBuffers(buffers: ArrayBufferView[]) {
    return fixPrefixes(buffers, super._compressBodyBuffers(buffers));
  }
}

/** A stream writer that compresses record batch bodies with `codec` (null: uncompressed). */
export async function streamWriter(codec: BodyCodec | null): Promise<RecordBatchStreamWriter> {
  if (!codec) return new RecordBatchStreamWriter();
  await registerArrowEncoders();
  return new ConformantStreamWriter({ compressionType: compressionTypeOf(codec) });
}

/**
 * A file writer that compresses bodies with `codec`. Synchronous, for the store's sink:
 * the encoders must be registered (`registerArrowEncoders`) before its first write.
 */
export function fileWriter(codec: BodyCodec | null): RecordBatchFileWriter {
  return codec
    ? new ConformantFileWriter({ compressionType: compressionTypeOf(codec) })
    : new RecordBatchFileWriter();
}
