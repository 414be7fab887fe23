import { SetMetadata } from '@nestjs/common';
import { WorkContext } from '@seqcast/core';

/** What a handler gets besides its payload: progress, cancellation, and who it is. */
export interface JobRunContext extends WorkContext {
  jobId: string;
  /** 1 for the first run; a retry after a crash or failure counts up. */
  attempt: number;
}

export interface JobHandler<P = Record<string, unknown>, R = unknown> {
  run(payload: P, ctx: JobRunContext): Promise<R>;
}

export const JOB_HANDLER_TYPE = 'seqcast:job-handler-type';

/** Marks a provider as the handler of one job type (found by the registry at boot). */
export const HandlesJob = (type: string) => SetMetadata(JOB_HANDLER_TYPE, type);
