import { SeqcastError } from '@seqcast/core';
import type { RequestHandler } from 'express';

/** Methods that change state: a browser sends these cross-site without asking when the body is "simple". */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses a write whose `Origin` is neither this server nor listed in CORS_ORIGINS.
 *
 * CORS only stops a page from *reading* the answer: a form post or a `fetch` with a simple
 * body still reaches the route and has its effect. Browsers send `Origin` on every
 * cross-site write, so refusing unknown origins here stops the write itself. Clients that
 * are not browsers (curl, the CLI) send no `Origin` and pass; a page served by this very
 * server (the OpenAPI console at /docs) names this host and passes too.
 */
export function crossSiteWriteGuard(allowed: readonly string[]): RequestHandler {
  const origins = new Set(allowed.map((o) => o.toLowerCase()));
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || !WRITES.has(req.method) || origins.has(origin.toLowerCase()) || sameHost(origin, req.headers.host)) {
      next();
      return;
    }
    next(
      new SeqcastError('forbidden', `Writes from origin ${origin} are not allowed`, 403, [
        { field: 'origin', reason: 'not this server and not listed in CORS_ORIGINS' },
      ]),
    );
  };
}

/** Whether `origin` names the host the request was sent to (a same-origin page). `null` origins never match. */
function sameHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
