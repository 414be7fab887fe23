import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { SeqcastError } from '@seqcast/core';
import type { Request, Response } from 'express';
import { ErrorBody } from './error-body';
import { requestIdOf } from './request-id';

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** Maps every error to `{ error, message, details[], requestId }`; internal errors are logged, not leaked. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const requestId = requestIdOf(http.getRequest<Request>(), res);
    const [status, body] = this.toBody(exception);
    if (status >= 500) {
      this.logger.error(`request ${requestId}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).json({ ...body, requestId });
  }

  private toBody(e: unknown): [number, ErrorBody] {
    if (e instanceof SeqcastError) {
      const status = e.status >= 400 && e.status < 600 ? e.status : 500;
      return [status, { error: e.code, message: e.message, details: e.details }];
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const r = e.getResponse();
      const message =
        typeof r === 'string'
          ? r
          : Array.isArray((r as { message?: unknown }).message)
            ? (r as { message: string[] }).message.join('; ')
            : String((r as { message?: unknown }).message ?? e.message);
      return [
        status,
        { error: CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), message, details: [] },
      ];
    }
    // Body parser errors (malformed JSON, too large) carry a status but are not HttpExceptions.
    const status = (e as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = e instanceof Error ? e.message : 'bad request';
      return [status, { error: CODES[status] ?? 'bad_request', message, details: [] }];
    }
    return [
      HttpStatus.INTERNAL_SERVER_ERROR,
      { error: 'internal_error', message: 'internal error', details: [] },
    ];
  }
}
