import { CompressionType, compressionRegistry } from 'apache-arrow';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { decompress as zstdDecompress } from 'fzstd';

/**
 * Arrow IPC bodies compressed with LZ4 frame or ZSTD (what polars, pyarrow, DuckDB and Spark
 * write when asked to compress) are decoded through apache-arrow's codec registry, one
 * buffer of one record batch at a time, so a compressed upload streams in the same
 * constant memory as a plain one.
 *
 * LZ4 frames go through lz4-napi (lz4_flex, prebuilt per platform in the npm package);
 * ZSTD frames through fzstd, which, unlike the wasm builds of libzstd, also decodes
 * frames that do not state their content size (polars' streaming encoder writes those).
 */
function aligned(bytes: Uint8Array): Uint8Array {
  // Arrow views the decoded buffer as Float64Array/BigInt64Array in place: it must start on
  // an 8-byte boundary, which a codec's output (a slice of a pooled buffer) need not.
  if (bytes.byteOffset % 8 === 0) return bytes;
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

let registered = false;

/** Registers the decoders once per process (idempotent; the reader calls it before reading). */
export function registerArrowCodecs(): void {
  if (registered) return;
  registered = true;
  compressionRegistry.set(CompressionType.LZ4_FRAME, {
    decode: (bytes) => aligned(decompressFrameSync(asBuffer(bytes))),
  });
  compressionRegistry.set(CompressionType.ZSTD, { decode: (bytes) => aligned(zstdDecompress(bytes)) });
}

/** Body codecs a download (or any IPC written here) may be compressed with. */
export type BodyCodec = 'zstd' | 'lz4';
export const BODY_CODECS: BodyCodec[] = ['zstd', 'lz4'];

let encoders: Promise<void> | null = null;

/**
 * Registers the encoders too: LZ4 frames through lz4-napi, ZSTD (level 3, libzstd's
 * default) through @bokuweb/zstd-wasm, whose wasm module loads asynchronously once.
 */
export function registerArrowEncoders(): Promise<void> {
  registerArrowCodecs();
  encoders ??= (async () => {
    const zstd = await import('@bokuweb/zstd-wasm');
    await zstd.init();
    compressionRegistry.set(CompressionType.LZ4_FRAME, {
      decode: compressionRegistry.get(CompressionType.LZ4_FRAME)!.decode,
      encode: (bytes) => compressFrameSync(asBuffer(bytes)),
    });
    compressionRegistry.set(CompressionType.ZSTD, {
      decode: compressionRegistry.get(CompressionType.ZSTD)!.decode,
      encode: (bytes) => zstd.compress(bytes, 3),
    });
  })();
  return encoders;
}

export function compressionTypeOf(codec: BodyCodec): CompressionType {
  return codec === 'zstd' ? CompressionType.ZSTD : CompressionType.LZ4_FRAME;
}
