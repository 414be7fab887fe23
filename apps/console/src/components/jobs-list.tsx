import { useState } from 'preact/hooks';
import { api } from '../api';
import { useApi, usePolling } from '../hooks';
import { navigate, Route } from '../router';
import type { Job, Page } from '../types';
import { canCancel, canRetry, filtersOf, JOB_STATUS_LIST, jobDuration, jobsPath } from '../pages/jobs-format';
import { ErrorBox, formatTime, Loading, ProgressBar, Section } from './feedback';

/** The jobs, newest first, filtered by status and type (kept in the address), polled every 2 s. */
export function JobsList({ route }: { route: Route }) {
  const filters = filtersOf(route.query);
  const path = jobsPath(filters);
  const types = useApi<{ type: string }[]>('/jobs/types');
  const [page, setPage] = useState<{ path: string; data: Page<Job>; at: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const load = async () => {
    try {
      setPage({ path, data: await api<Page<Job>>(path), at: Date.now() });
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  usePolling(load, 2000, true);
  const data = page?.path === path ? page.data : undefined;

  const act = async (job: Job, verb: 'cancel' | 'retry') => {
    setBusy(`${verb}:${job.id}`);
    setActionError(null);
    try {
      await api<Job>(`/jobs/${job.id}/${verb}`, { method: 'POST' });
      await load();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(null);
    }
  };
  const go = (q: Partial<typeof filters>) => navigate('jobs', { ...filters, ...q });

  return (
    <Section title="Jobs">
      <form class="row filters" onSubmit={(e) => e.preventDefault()}>
        <label class="form-field">
          Status
          <select value={filters.status} onChange={(e) => go({ status: e.currentTarget.value })}>
            <option value="">any status</option>
            {JOB_STATUS_LIST.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label class="form-field">
          Type
          <select value={filters.type} onChange={(e) => go({ type: e.currentTarget.value })}>
            <option value="">any type</option>
            {(types.data ?? []).map((t) => (
              <option key={t.type} value={t.type}>
                {t.type}
              </option>
            ))}
            {filters.type && !types.data?.some((t) => t.type === filters.type) && (
              <option value={filters.type}>{filters.type}</option>
            )}
          </select>
        </label>
        <p class="muted live-note" aria-live="off">
          Refreshed every 2 s{page ? `; ${data?.total ?? 0} in all` : ''}.
        </p>
      </form>
      <ErrorBox error={actionError} />
      <ErrorBox error={error} />
      {!data && !error && <Loading what="jobs" />}
      {data && data.items.length === 0 && (
        <p class="muted">No jobs{filters.status || filters.type ? ' match' : ' yet'}.</p>
      )}
      {data && data.items.length > 0 && (
        <div class="table-wrap">
          <table class="stack-table jobs-table">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Created</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">Ran</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((j) => (
                <tr key={j.id} data-testid="job-row" data-id={j.id} data-status={j.status}>
                  <td data-label="Type">
                    <span class="job-type">{j.type}</span>
                    <br />
                    <code class="muted job-id" title={j.id}>
                      {j.id.slice(0, 8)}
                    </code>
                    {j.scheduleId && <span class="muted"> · scheduled</span>}
                  </td>
                  <td data-label="Status">
                    <span class={`badge ${j.status}`}>{j.status}</span>
                    {j.cancelRequested && j.status === 'running' && <span class="muted"> (cancelling)</span>}
                    {j.attempts > 1 && (
                      <span class="muted">
                        {' '}
                        attempt {j.attempts} of {j.maxAttempts}
                      </span>
                    )}
                    {j.error && <p class="error-text">{j.error}</p>}
                  </td>
                  <td data-label="Progress">
                    <ProgressBar fraction={j.progress.fraction} label={j.progress.message ?? ''} />
                  </td>
                  <td data-label="Created">{formatTime(j.createdAt)}</td>
                  <td data-label="Started">{formatTime(j.startedAt)}</td>
                  <td data-label="Finished">{formatTime(j.finishedAt)}</td>
                  <td data-label="Ran">{jobDuration(j, page!.at)}</td>
                  <td data-label="Actions" class="job-actions">
                    {canCancel(j) && (
                      <button
                        type="button"
                        class="danger"
                        data-testid="job-cancel"
                        disabled={busy !== null}
                        aria-label={`Cancel job ${j.type} ${j.id.slice(0, 8)}`}
                        onClick={() => act(j, 'cancel')}
                      >
                        Cancel
                      </button>
                    )}
                    {canRetry(j) && (
                      <button
                        type="button"
                        data-testid="job-retry"
                        disabled={busy !== null}
                        aria-label={`Retry job ${j.type} ${j.id.slice(0, 8)}`}
                        onClick={() => act(j, 'retry')}
                      >
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
