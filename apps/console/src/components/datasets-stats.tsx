import type { ColumnStats, DatasetVersion, GapReport } from '../pages/datasets-types';
import { formatDataTime, formatNumber } from '../pages/datasets-format';
import { keyLabel } from '../pages/datasets-chart-data';
import { DataTable, num } from './data-table';

/** Per-column statistics of a version: numeric columns' moments, categorical columns' counts. */
export function ColumnStatsTable({ stats }: { stats: Record<string, ColumnStats> }) {
  const entries = Object.entries(stats);
  if (!entries.length) return <p class="muted">No column statistics were recorded for this version.</p>;
  const numeric = entries.filter(([, s]) => s.kind === 'numeric');
  const category = entries.filter(([, s]) => s.kind === 'category');
  return (
    <>
      <DataTable
        testId="dataset-stats"
        caption={<caption class="muted">Numeric columns (std: population standard deviation)</caption>}
        columns={['Column', ...['count', 'nulls', 'min', 'max', 'mean', 'std'].map(num)]}
        rows={numeric}
        empty={null}
        row={([name, s]) =>
          s.kind === 'numeric' ? (
            <tr key={name} data-column={name}>
              <th scope="row">{name}</th>
              {[s.count, s.nulls, s.min, s.max, s.mean, s.std].map((v, i) => (
                <td key={i} class="num">
                  {formatNumber(v)}
                </td>
              ))}
            </tr>
          ) : null
        }
      />
      <DataTable
        caption={<caption class="muted">Categorical columns</caption>}
        columns={['Column', num('count'), num('nulls'), num('distinct'), 'most frequent']}
        rows={category}
        empty={null}
        row={([name, s]) =>
          s.kind === 'category' ? (
            <tr key={name} data-column={name}>
              <th scope="row">{name}</th>
              <td class="num">{formatNumber(s.count)}</td>
              <td class="num">{formatNumber(s.nulls)}</td>
              <td class="num">{formatNumber(s.distinct)}</td>
              <td>
                {Object.entries(s.top)
                  .sort((a, b) => b[1] - a[1])
                  .slice(0, 8)
                  .map(([value, n]) => `${value} (${formatNumber(n)})`)
                  .join(', ')}
              </td>
            </tr>
          ) : null
        }
      />
    </>
  );
}

/** The frequency and what the gap check found against it. */
export function FrequencyAndGaps({ version }: { version: DatasetVersion }) {
  const gaps = version.stats.gaps;
  return (
    <div class="ds-gaps">
      <p>
        Frequency: <strong>{version.frequency ?? 'none inferred'}</strong>
        {version.frequency === null && version.schema.kind === 'series' && (
          <span class="muted"> (irregular stamps, or too few rows to tell)</span>
        )}
      </p>
      {gaps ? <GapSummary gaps={gaps} /> : <p class="muted">No gap check applies to this dataset.</p>}
    </div>
  );
}

function GapSummary({ gaps }: { gaps: GapReport }) {
  if (!gaps.count && !gaps.irregular)
    return <p class="ok">No gaps: every stamp is on the frequency's grid.</p>;
  return (
    <>
      <p>
        {formatNumber(gaps.count)} gap{gaps.count === 1 ? '' : 's'} ({formatNumber(gaps.missing)} missing
        stamp
        {gaps.missing === 1 ? '' : 's'}), {formatNumber(gaps.irregular)} pair{gaps.irregular === 1 ? '' : 's'}{' '}
        off the grid.
      </p>
      <DataTable
        caption={<caption class="muted">Examples</caption>}
        columns={['Series', 'After', 'Before', num('Missing')]}
        rows={gaps.examples}
        empty={null}
        row={(g, i) => (
          <tr key={i}>
            <td>{keyLabel(g.key)}</td>
            <td>{formatDataTime(g.after)}</td>
            <td>{formatDataTime(g.before)}</td>
            <td class="num">{formatNumber(g.missing)}</td>
          </tr>
        )}
      />
    </>
  );
}
