import type { AppConfig } from '@seqcast/core';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'http';
import type { Options } from 'pino-http';
import { requestIdOf } from './request-id';

/**
 * The request headers a request log line keeps. An allow-list rather than a redact list:
 * credentials come in many headers (authorization, cookie, x-api-key, a proxy's own), and
 * a header nobody thought of must stay out of the logs by default.
 */
export const LOGGED_REQUEST_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'accept',
  'accept-encoding',
  'user-agent',
  'x-request-id',
  'origin',
] as const;

/** The response headers it keeps (no set-cookie, nor whatever a later middleware adds). */
export const LOGGED_RESPONSE_HEADERS = ['content-type', 'content-length', 'retry-after', 'x-request-id'] as const;

function pick(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders | undefined,
  names: readonly string[],
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  if (!headers) return kept;
  for (const name of names) {
    if (headers[name] !== undefined) kept[name] = headers[name];
  }
  return kept;
}

/** pino-http's options for the API's request log: level, what is logged, which headers. */
export function requestLogOptions(config: AppConfig): Options {
  return {
    level: config.LOG_LEVEL,
    autoLogging: { ignore: (req) => req.url === '/health' },
    // REQUEST_LOG=errors: answers below 400 get no line (pino-http's own level for the rest).
    ...(config.REQUEST_LOG === 'errors'
      ? { customLogLevel: (_req, res, err) => (err || res.statusCode >= 400 ? 'info' : 'silent') }
      : {}),
    // The same id as the X-Request-Id header and error bodies, on every line logged for the request.
    genReqId: (req, res) => requestIdOf(req, res),
    customProps: (req) => ({ requestId: requestIdOf(req) }),
    // pino-http hands these the standard serialized request / response (a copy of their
    // fields, `headers` being the live object), so a new object replaces the headers.
    serializers: {
      req: (req: { headers?: IncomingHttpHeaders }) => ({ ...req, headers: pick(req.headers, LOGGED_REQUEST_HEADERS) }),
      res: (res: { headers?: OutgoingHttpHeaders }) => ({ ...res, headers: pick(res.headers, LOGGED_RESPONSE_HEADERS) }),
    },
  };
}
