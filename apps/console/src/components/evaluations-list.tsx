import { usePolledApi } from '../use-polled-api';
import { href, navigate, Route } from '../router';
import { FINISHED, Page } from '../types';
import { JOB_STATUS_LIST } from '../pages/jobs-format';
import type { EvaluationSummary } from '../pages/evaluations-types';
import { DataTable } from './data-table';
import { ErrorBox, formatTime, Loading, ProgressBar, Section } from './feedback';
import { FilterSelect } from './filter-select';
import { Pager } from './pager';

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
  const { data, error } = usePolledApi<Page<EvaluationSummary>>(
    path,
    2000,
    (d) => !d || d.items.some((e) => !FINISHED.includes(e.status)),
  );
  const go = (q: Record<string, string | number | undefined>) =>
    navigate('evaluations', { kind, status, ...q, offset: q.offset ?? undefined });

  return (
    <Section title="Evaluations">
      <form class="row filters" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect
          label="Kind"
          value={kind}
          anyLabel="all kinds"
          options={KINDS}
          onChange={(v) => go({ kind: v })}
        />
        <FilterSelect
          label="Status"
          value={status}
          anyLabel="any status"
          options={JOB_STATUS_LIST}
          onChange={(v) => go({ status: v })}
        />
      </form>
      <ErrorBox error={error} />
      {!data && !error && <Loading what="evaluations" />}
      {data && (
        <DataTable
          class="stack-table"
          columns={['Evaluation', 'Kind', 'Status', 'Created', 'Finished']}
          rows={data.items}
          empty={`No evaluations${kind || status ? ' match' : ' yet'}.`}
          row={(e) => (
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
          )}
        />
      )}
      {data && (
        <Pager
          landmark
          class="pager"
          label="pages of evaluations"
          offset={offset}
          size={PAGE_SIZE}
          total={data.total}
          onOffset={(o) => go({ offset: o })}
          back="Newer"
          forward="Older"
        />
      )}
    </Section>
  );
}
