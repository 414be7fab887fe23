import { Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { UnsupportedMediaType, ValidationFailed } from '@seqcast/core';
import type { ErrorRequestHandler } from 'express';

/** The decoders of the Content-Encodings an upload may carry (`identity` means none). */
const DECODERS: Record<string, (() => Transform) | null> = {
  identity: null,
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * The encodings of a `Content-Encoding` header in the order they were applied, refused with
 * 415 when one is unknown: read as it is, a compressed body would be parsed as text and
 * fail with a misleading data error ("holds no rows").
 */
export function contentEncodings(header: string | undefined): string[] {
  if (!header) return [];
  const names = header
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.length > 0);
  for (const name of names) if (!(name in DECODERS)) throw unknownEncoding(name);
  return names.filter((n) => DECODERS[n] !== null);
}

function unknownEncoding(name: string): UnsupportedMediaType {
  return new UnsupportedMediaType(`Cannot read Content-Encoding ${name}`, [
    { field: 'content-encoding', reason: `use one of ${Object.keys(DECODERS).join(', ')}` },
  ]);
}

/**
 * The JSON parser's "unsupported content encoding" (a JSON upload or any JSON request),
 * told like an upload's: 415 naming content-encoding instead of a bare message.
 */
export function unknownBodyEncoding(): ErrorRequestHandler {
  return (err: unknown, req, _res, next) => {
    if ((err as { type?: unknown } | null)?.type === 'encoding.unsupported') {
      next(unknownEncoding(String(req.headers['content-encoding'] ?? '').toLowerCase()));
      return;
    }
    next(err);
  };
}

/**
 * The body decompressed while it streams, undoing the encodings last-applied first. The
 * size limits of the store then count decompressed bytes, so a small bomb is refused as
 * soon as its output passes MAX_UPLOAD_BYTES, never inflated whole; a corrupt stream is a
 * 400 rather than a crash.
 */
export function decoded(body: Readable, encodings: string[]): AsyncIterable<Uint8Array> {
  let out: Readable = body;
  for (const name of [...encodings].reverse()) {
    const decoder = DECODERS[name]!();
    const source = out;
    source.on('error', (e) => decoder.destroy(e));
    out = source.pipe(decoder);
  }
  // a reader that gives up early (a size limit, a bad row) leaves the request open: destroying
  // it would drop the connection under the answer (the client, still writing, reads EPIPE);
  // the controller reads and drops the rest instead (DatasetsController.refuse)
  if (out === body) return body.iterator({ destroyOnReturn: false });
  const stream = out;
  return (async function* () {
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__')))
        throw new ValidationFailed(`The body is not valid ${encodings.join(', ')}: ${(e as Error).message}`, [
          { field: 'content-encoding', reason: 'the body does not decode' },
        ]);
      throw e;
    } finally {
      // Stop inflating at once when the reader gives up (a size limit, a bad row).
      stream.destroy();
    }
  })();
}
