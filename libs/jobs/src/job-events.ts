import { Injectable, Logger } from '@nestjs/common';
import type { RunOutcome } from './job-runner';

/** One finished run of a job, as the runner saw it. */
export interface JobRunEvent {
  type: string;
  /** Never 'skipped': a job another process claimed did not run here. */
  outcome: Exclude<RunOutcome, 'skipped'>;
  /** From the claim to the outcome, validation included. */
  seconds: number;
}

export type JobRunListener = (event: JobRunEvent) => void;

/**
 * The observer port of the job runner: whoever wants to watch runs (the api's metrics)
 * subscribes here, so libs/jobs knows nothing of Prometheus or of who is listening.
 */
@Injectable()
export class JobEvents {
  private readonly logger = new Logger('JobEvents');
  private readonly listeners = new Set<JobRunListener>();

  /** Returns the unsubscribe function. */
  subscribe(listener: JobRunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: JobRunEvent): void {
    for (const listener of this.listeners) {
      // An observer that throws must not change how the job ended.
      try {
        listener(event);
      } catch (e) {
        this.logger.warn(`job run listener failed: ${String(e)}`);
      }
    }
  }
}
