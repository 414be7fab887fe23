import type { Request } from 'express';

/** POST /datasets and POST /datasets/:id/observations: the routes whose body is the data. */
const UPLOAD_PATH = /^\/datasets(\/[^/]+\/observations)?\/?$/;

/**
 * Whether the request is an upload, whose body the datasets controller reads as a stream
 * (MAX_UPLOAD_BYTES, rows validated as they arrive): the JSON body parser leaves it alone,
 * a JSON upload included.
 */
export function isUpload(req: Request): boolean {
  return req.method === 'POST' && UPLOAD_PATH.test(req.path);
}
