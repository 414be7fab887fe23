import { useState } from 'preact/hooks';
import { api } from '../api';
import { useApi } from '../hooks';
import { DataTable } from './data-table';
import { ErrorBox, formatTime, Loading, Section } from './feedback';

export interface Schedule {
  id: string;
  name: string;
  cron: string;
  timezone: string;
  jobType: string;
  enabled: boolean;
  lastFiredAt: string | null;
  nextFireAt?: string | null;
  skippedRuns: number;
  createdAt: string;
}

/** The schedules: pause and resume (PATCH), delete, with their next and last fire times. */
export function Schedules() {
  const list = useApi<Schedule[]>('/schedules');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (s: Schedule) =>
    run(() => api(`/schedules/${s.id}`, { method: 'PATCH', body: { enabled: !s.enabled } }));
  const remove = (s: Schedule) => {
    if (confirm(`Delete the schedule '${s.name}'? Jobs it started stay.`))
      void run(() => api(`/schedules/${s.id}`, { method: 'DELETE' }));
  };

  return (
    <Section
      title="Schedules"
      actions={
        <button type="button" onClick={list.reload}>
          Refresh
        </button>
      }
    >
      <ErrorBox error={error} />
      <ErrorBox error={list.error} />
      {list.loading && !list.data && <Loading what="schedules" />}
      {list.data && (
        <DataTable
          class="stack-table"
          columns={['Name', 'When', 'Job type', 'State', 'Next fire', 'Last fired', 'Actions']}
          rows={list.data}
          empty="No schedules. POST /schedules creates one (see /docs)."
          row={(s) => (
            <tr key={s.id} data-testid="schedule-row" data-id={s.id}>
              <td data-label="Name">{s.name}</td>
              <td data-label="When">
                <code>{s.cron}</code> <span class="muted">{s.timezone}</span>
              </td>
              <td data-label="Job type">{s.jobType}</td>
              <td data-label="State">
                <span class={`badge ${s.enabled ? 'succeeded' : 'cancelled'}`}>
                  {s.enabled ? 'enabled' : 'paused'}
                </span>
                {s.skippedRuns > 0 && <span class="muted"> {s.skippedRuns} fires skipped</span>}
              </td>
              <td data-label="Next fire">{s.enabled ? formatTime(s.nextFireAt) : '–'}</td>
              <td data-label="Last fired">{formatTime(s.lastFiredAt)}</td>
              <td data-label="Actions" class="job-actions">
                <button type="button" disabled={busy} onClick={() => toggle(s)}>
                  {s.enabled ? 'Pause' : 'Resume'}
                </button>
                <button type="button" class="danger" disabled={busy} onClick={() => remove(s)}>
                  Delete
                </button>
              </td>
            </tr>
          )}
        />
      )}
    </Section>
  );
}
