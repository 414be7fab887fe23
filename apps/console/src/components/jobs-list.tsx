import { useState } from 'preact/hooks';
import { api } from '../api';
import { useApi } from '../hooks';
import { usePolledApi } from '../use-polled-api';
import { navigate, Route } from '../router';
import type { Job, Page } from '../types';
import { canCancel, canRetry, filtersOf, JOB_STATUS_LIST, jobDuration, jobsPath } from '../pages/jobs-format';
import { DataTable } from './data-table';
import { ErrorBox, formatTime, Loading, ProgressBar, Section } from './feedback';
import { FilterSelect } from './filter-select';

/** The jobs, newest first, filtered by status and type (kept in the address), polled every 2 s. */
export function JobsList({ route }: { route: Route }) {
  const filters = filtersOf(route.query);
  const path = jobsPath(filters);
  const types = useApi<{ type: string }[]>('/jobs/types');
  const list = usePolledApi<Page<Job>>(path, 2000);
  const { data, error } = list;
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const act = async (job: Job, verb: 'cancel' | 'retry') => {
    setBusy(`${verb}:${job.id}`);
    setActionError(null);
    try {
      await api<Job>(`/jobs/${job.id}/${verb}`, { method: 'POST' });
      await list.reload();
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
        <FilterSelect
          label="Status"
          value={filters.status}
          anyLabel="any status"
          options={JOB_STATUS_LIST}
          onChange={(v) => go({ status: v })}
        />
        <FilterSelect
          label="Type"
          value={filters.type}
          anyLabel="any type"
          options={(types.data ?? []).map((t) => t.type)}
          onChange={(v) => go({ type: v })}
        >
          {filters.type && !types.data?.some((t) => t.type === filters.type) && (
            <option value={filters.type}>{filters.type}</option>
          )}
        </FilterSelect>
        <p class="muted live-note" aria-live="off">
          Refreshed every 2 s{list.loaded ? `; ${data?.total ?? 0} in all` : ''}.
        </p>
      </form>
      <ErrorBox error={actionError} />
      <ErrorBox error={error} />
      {!data && !error && <Loading what="jobs" />}
      {data && (
        <DataTable
          class="stack-table jobs-table"
          columns={['Type', 'Status', 'Progress', 'Created', 'Started', 'Finished', 'Ran', 'Actions']}
          rows={data.items}
          empty={`No jobs${filters.status || filters.type ? ' match' : ' yet'}.`}
          row={(j) => (
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
              <td data-label="Ran">{jobDuration(j, list.at)}</td>
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
          )}
        />
      )}
    </Section>
  );
}
