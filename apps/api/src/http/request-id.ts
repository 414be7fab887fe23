import { randomUUID } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What an incoming X-Request-Id may be: short, and only characters that are safe in a log
 * line, a header and a JSON body (no spaces, quotes, control characters or newlines).
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const ASSIGNED = Symbol('seqcast.requestId');
type Tagged = IncomingMessage & { [ASSIGNED]?: string };

/**
 * The request's id: the caller's X-Request-Id when it is safe, otherwise a new UUID; set
 * once and echoed in the response header. Idempotent, so the request-id middleware,
 * pino-http's genReqId and the error filter all see the same value whichever runs first.
 */
export function requestIdOf(req: IncomingMessage, res?: ServerResponse): string {
  const tagged = req as Tagged;
  let id = tagged[ASSIGNED];
  if (id === undefined) {
    const given = req.headers[REQUEST_ID_HEADER];
    id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    tagged[ASSIGNED] = id;
  }
  if (res && !res.headersSent && res.getHeader(REQUEST_ID_HEADER) === undefined) res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** Express middleware: assigns the id before anything else can answer. */
export function requestIdMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  requestIdOf(req, res);
  next();
}
