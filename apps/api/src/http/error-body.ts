import { ErrorDetail } from '@seqcast/core';

/** The one error shape of every 4xx and 5xx response. */
export interface ErrorBody {
  error: string;
  message: string;
  details: ErrorDetail[];
  /** The request's id (X-Request-Id), to find its log lines. */
  requestId?: string;
}
