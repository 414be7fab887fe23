import { useEffect, useMemo, useState } from 'preact/hooks';
import { useApi } from '../hooks';
import type { Page } from '../types';
import { ErrorBox, Loading } from './feedback';
import { Pager } from './pager';
import { TimeChart } from './time-chart';
import { defaultColumns, keyLabel, plottableColumns, seriesChart } from '../pages/datasets-chart-data';
import type { DatasetSchema, SeriesSummary, SeriesValues } from '../pages/datasets-types';

const SERIES_PAGE = 50;
/** Rows drawn at most: uPlot stays responsive well past this, the browser's memory less so. */
const MAX_ROWS = 100_000;

/** One series of a dataset version plotted: the key and the columns chosen, zoom and pan by TimeChart. */
export function SeriesChart({
  datasetId,
  version,
  schema,
}: {
  datasetId: string;
  version: number;
  schema: DatasetSchema;
}) {
  const [offset, setOffset] = useState(0);
  const [key, setKey] = useState<string | null>(null);
  const all = useMemo(() => plottableColumns(schema), [schema]);
  const [columns, setColumns] = useState<string[]>(() => defaultColumns(schema));
  useEffect(() => {
    setColumns(defaultColumns(schema));
    setKey(null);
    setOffset(0);
  }, [schema, version]);

  const list = useApi<Page<SeriesSummary>>(
    `/datasets/${datasetId}/series?version=${version}&limit=${SERIES_PAGE}&offset=${offset}`,
  );
  const items = list.data?.items ?? [];
  const chosen = key ?? items[0]?.key ?? null;
  const summary = items.find((s) => s.key === chosen);
  const values = useApi<SeriesValues>(
    chosen === null
      ? null
      : `/datasets/${datasetId}/values?${new URLSearchParams({ key: chosen, version: String(version), limit: String(MAX_ROWS) })}`,
  );
  const shown = values.data && values.data.key === chosen ? values.data : undefined;
  // memoised: the chart rebuilds whenever the arrays it is handed change identity
  const chart = useMemo(() => (shown ? seriesChart(shown, columns, schema) : null), [shown, columns, schema]);

  const toggle = (c: string, on: boolean) =>
    setColumns((cs) => (on ? all.filter((x) => x === c || cs.includes(x)) : cs.filter((x) => x !== c)));

  const noun = schema.kind === 'series' ? 'series' : 'sequence';
  const total = list.data?.total ?? 0;
  return (
    <div class="ds-plot">
      <div class="row ds-plot-controls">
        <div class="form-field">
          <label for="ds-series-key">{noun === 'series' ? 'Series' : 'Sequence'}</label>
          <select
            id="ds-series-key"
            value={chosen ?? ''}
            disabled={!items.length}
            onChange={(e) => setKey(e.currentTarget.value)}
          >
            {items.map((s) => (
              <option key={s.key} value={s.key}>
                {keyLabel(s.key)} ({s.rows} rows)
              </option>
            ))}
          </select>
        </div>
        <Pager
          class="ds-pager"
          label={`${noun} list pages`}
          offset={offset}
          size={SERIES_PAGE}
          total={total}
          onOffset={(o) => (setOffset(o), setKey(null))}
          back={`previous ${SERIES_PAGE}`}
          forward={`next ${SERIES_PAGE}`}
        />
        <fieldset class="ds-columns-pick">
          <legend>Columns</legend>
          {all.map((c) => (
            <label key={c} class="ds-check">
              <input
                type="checkbox"
                checked={columns.includes(c)}
                onChange={(e) => toggle(c, e.currentTarget.checked)}
              />{' '}
              {c}
            </label>
          ))}
        </fieldset>
      </div>
      <ErrorBox error={list.error ?? values.error} />
      {(list.loading || values.loading) && !chart && <Loading what="the series" />}
      {summary && summary.rows > MAX_ROWS && (
        <p class="muted">
          The first {MAX_ROWS.toLocaleString()} of {summary.rows.toLocaleString()} rows are drawn.
        </p>
      )}
      {chart && (
        <TimeChart
          x={chart.x}
          lines={chart.lines}
          time={chart.time}
          title={`${keyLabel(chosen ?? '')}: ${columns.join(', ') || 'no column chosen'}`}
          xLabel={chart.time ? 'time (UTC)' : schema.timeColumn}
          testId="series-chart"
        />
      )}
    </div>
  );
}
