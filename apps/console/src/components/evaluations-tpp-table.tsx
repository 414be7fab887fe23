import { DataTable, num } from './data-table';
import type { TppResult, TppStat } from '../pages/evaluations-types';

/** `mean ± std` at 4 significant figures; '–' when undefined (NaN became null in JSON). */
export function formatStat(s: TppStat | undefined): string {
  if (!s || s.mean === null || !Number.isFinite(s.mean)) return '–';
  const mean = Number(s.mean.toPrecision(4));
  return s.std === null || !Number.isFinite(s.std) || s.std === 0
    ? String(mean)
    : `${mean} ± ${Number(s.std.toPrecision(2))}`;
}

/** A TPP evaluation's metrics per dataset and model, over its seeds. */
export function TppTable({ result }: { result: TppResult }) {
  const horizon = result.rows.some((r) => r.otd);
  return (
    <DataTable
      class="tpp-table"
      caption={
        <caption class="muted">
          Mean ± standard deviation over seeds
          {result.window ? `; log-likelihood per event over ${result.window}` : ''}.
        </caption>
      }
      columns={[
        'Dataset',
        'Model',
        num('Seeds'),
        num('Log-likelihood / event'),
        num('RMSE (next time)'),
        num('Error rate (next type)'),
        horizon && num('OTD'),
        num('s / epoch'),
        'Flags',
      ]}
      rows={result.rows}
      row={(r) => (
        <tr key={`${r.dataset}:${r.model}`}>
          <th scope="row">{r.dataset}</th>
          <td>
            {r.model}
            {r.kind !== r.model && <span class="muted"> ({r.kind})</span>}
          </td>
          <td class="num">{r.seeds}</td>
          <td class="num">{formatStat(r.logLikelihood)}</td>
          <td class="num">{formatStat(r.rmse)}</td>
          <td class="num">{formatStat(r.errorRate)}</td>
          {horizon && <td class="num">{formatStat(r.otd)}</td>}
          <td class="num">{formatStat(r.medianSecondsPerEpoch)}</td>
          <td>{r.flags?.length ? r.flags.join('; ') : ''}</td>
        </tr>
      )}
    />
  );
}
