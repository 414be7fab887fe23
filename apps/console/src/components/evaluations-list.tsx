import { useState } from 'preact/hooks';
import { api } from '../api';
import { usePolling } from '../hooks';
import { href, navigate, Route } from '../router';
import { FINISHED, Page } from '../types';
import { JOB_STATUS_LIST } from '../pages/jobs-format';
import type { EvaluationSummary } from '../pages/evaluations-types';
import { ErrorBox, formatTime, Loading, ProgressBar, Section } from './feedback';

const KINDS = ['backtest', 'tpp', 'sequences', 'generation'];
const PAGE_SIZE = 20;

/** Every evaluation, newest first, filtered by kind and status (kept in the address); polled while any runs. */
export function EvaluationsList({ route }: { route: Route }) {
  const kind = route.query.get('kind') ?? '';
  const status = route.query.get('status') ?? '';
  const offset = Math.max(0, Number(route.query.get('offset')) || 0);
  const path = `/evaluations?${new URLSearchParams({
    ...(kind ? { kind } : {}),
    ...(status ? { status } : {}),
    limit: String(PAGE_SIZE),
    offset: String(offset),
  })}`;
  const [page, setPage] = useState<{ path: string; data: Page<EvaluationSummary> } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const data = page?.path === path ? page.data : undefined;
  const active = !data || data.items.some((e) => !FINISHED.includes(e.status));
  usePolling(
    async () => {
      try {
        setPage({ path, data: await api<Page<EvaluationSummary>>(path) });
        setError(null);
      } catch (e) {
        setError(e);
      }
    },
    2000,
    active,
  );
  const go = (q: Record<string, string | number | undefined>) =>
    navigate('evaluations', { kind, status, ...q, offset: q.offset ?? undefined });

  return (
    <Section title="Evaluations">
      <form class="row filters" onSubmit={(e) => e.preventDefault()}>
        <label class="form-field">
          Kind
          <select value={kind} onChange={(e) => go({ kind: e.currentTarget.value })}>
            <option value="">all kinds</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label class="form-field">
          Status
          <select value={status} onChange={(e) => go({ status: e.currentTarget.value })}>
            <option value="">any status</option>
            {JOB_STATUS_LIST.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorBox error={error} />
      {!data && !error && <Loading what="evaluations" />}
      {data && data.items.length === 0 && (
        <p class="muted">No evaluations{kind || status ? ' match' : ' yet'}.</p>
      )}
      {data && data.items.length > 0 && (
        <div class="table-wrap">
          <table class="stack-table">
            <thead>
              <tr>
                <th scope="col">Evaluation</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.id} data-testid="evaluation-row" data-id={e.id} data-status={e.status}>
                  <td data-label="Evaluation">
                    <a href={href(`evaluations/${e.id}`)}>{e.summary || e.id}</a>
                    {e.error && <p class="error-text">{e.error}</p>}
                  </td>
                  <td data-label="Kind">{e.kind}</td>
                  <td data-label="Status">
                    <span class={`badge ${e.status}`}>{e.status}</span>
                    {!FINISHED.includes(e.status) && (
                      <ProgressBar fraction={e.progress.fraction} label={e.progress.message ?? e.status} />
                    )}
                  </td>
                  <td data-label="Created">{formatTime(e.createdAt)}</td>
                  <td data-label="Finished">{formatTime(e.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > PAGE_SIZE && (
        <nav class="row pager" aria-label="pages of evaluations">
          <button
            type="button"
            disabled={offset === 0}
            onClick={() => go({ offset: Math.max(0, offset - PAGE_SIZE) })}
          >
            Newer
          </button>
          <span class="muted">
            {offset + 1}–{Math.min(offset + PAGE_SIZE, data.total)} of {data.total}
          </span>
          <button
            type="button"
            disabled={offset + PAGE_SIZE >= data.total}
            onClick={() => go({ offset: offset + PAGE_SIZE })}
          >
            Older
          </button>
        </nav>
      )}
    </Section>
  );
}
