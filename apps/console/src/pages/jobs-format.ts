import { FINISHED, Job, JobStatus } from '../types';

// The Jobs page's pure parts: the list's query from its filters, what may be done to a job,
// and how long it ran.

export const JOB_STATUS_LIST: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

export interface JobFilters {
  status: string;
  type: string;
}

/** The filters in the page's address, only known statuses kept. */
export function filtersOf(query: URLSearchParams): JobFilters {
  const status = query.get('status') ?? '';
  return {
    status: (JOB_STATUS_LIST as string[]).includes(status) ? status : '',
    type: query.get('type') ?? '',
  };
}

/** GET /jobs with the filters that are set (none: every job), newest first. */
export function jobsPath(f: JobFilters, limit = 50): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.type) q.set('type', f.type);
  q.set('limit', String(limit));
  return `/jobs?${q}`;
}

/** A queued or running job whose cancellation is not already asked. */
export function canCancel(j: Pick<Job, 'status' | 'cancelRequested'>): boolean {
  return !FINISHED.includes(j.status) && !j.cancelRequested;
}

/** POST /jobs/:id/retry takes failed and cancelled jobs (a succeeded one's result stands). */
export function canRetry(j: Pick<Job, 'status'>): boolean {
  return j.status === 'failed' || j.status === 'cancelled';
}

/** `1.2 s`, `3 min 05 s`, `2 h 04 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** How long a job ran: to its end, or to `now` while it runs; '–' before it starts. */
export function jobDuration(j: Pick<Job, 'startedAt' | 'finishedAt'>, now: number): string {
  if (!j.startedAt) return '–';
  const end = j.finishedAt ? Date.parse(j.finishedAt) : now;
  return formatDuration(end - Date.parse(j.startedAt));
}
