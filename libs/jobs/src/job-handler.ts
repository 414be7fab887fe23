import { SetMetadata } from '@nestjs/common';
import { WorkContext } from '@seqcast/core';

/** What a handler gets besides its payload: progress, cancellation, and who it is. */
export interface JobRunContext extends WorkContext {
  jobId: string;
  /** 1 for the first run; a retry after a crash or failure counts up. */
  attempt: number;
}

/**
 * Who may enqueue a job type:
 * - `public`: anyone, through `POST /jobs` and schedules, once `validate` accepts the payload;
 * - `internal`: only the feature's own route or service, which creates the rows the payload
 *   points at (a model, a calibrator). `POST /jobs` refuses these types, since the generic route
 *   cannot make the checks that precede them (the model exists, is in the right state, ...).
 */
export type JobAccess = 'public' | 'internal';

export interface JobHandler<P = Record<string, unknown>, R = unknown> {
  readonly access: JobAccess;
  /**
   * Checks a payload and returns what the job stores and runs on, or throws `ValidationFailed`
   * naming each bad field. Every enqueue calls it (the queue drivers), and the runner calls it
   * again before `run`: a row written by another process or an older version is not trusted.
   * It must read no file and have no effect beyond lookups, so that a refused payload leaves no trace.
   */
  validate(payload: Record<string, unknown>): P | Promise<P>;
  run(payload: P, ctx: JobRunContext): Promise<R>;
}

export const JOB_HANDLER_TYPE = 'seqcast:job-handler-type';

/** Marks a provider as the handler of one job type (found by the registry at boot). */
export const HandlesJob = (type: string) => SetMetadata(JOB_HANDLER_TYPE, type);
