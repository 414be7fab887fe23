import { useState } from 'preact/hooks';
import { apiBlob, download } from '../api';
import { useApi } from '../hooks';
import { href } from '../router';
import { DataTable, num } from './data-table';
import { FactsList } from './facts-list';
import { ErrorBox, Loading, ProgressBar, Section, formatBytes, formatTime } from './feedback';
import { SeriesChart } from './datasets-series-chart';
import { ColumnStatsTable, FrequencyAndGaps } from './datasets-stats';
import { formatNumber, formatRange } from '../pages/datasets-format';
import type { Dataset, DatasetSchema, DatasetVersion } from '../pages/datasets-types';

/** One dataset: summary, versions, statistics and frequency of the chosen version, its series plotted. */
export function DatasetDetail({
  id,
  version: asked,
  uploadedFile,
}: {
  id: string;
  /** The version in the address (?version=), else the latest. */
  version: number | null;
  /** The file just uploaded as this dataset, whose finished progress bar stays in view. */
  uploadedFile: string | null;
}) {
  const dataset = useApi<Dataset>(`/datasets/${id}`);
  const versions = useApi<DatasetVersion[]>(`/datasets/${id}/versions`);
  const d = dataset.data;
  if (dataset.error) return <ErrorBox error={dataset.error} />;
  if (!d) return <Loading what="the dataset" />;
  const list = versions.data ?? (d.latest ? [d.latest] : []);
  const v = (asked !== null && list.find((x) => x.version === asked)) || d.latest;
  return (
    <>
      <p>
        <a href={href('datasets')}>← All datasets</a>
      </p>
      {uploadedFile && (
        <ProgressBar fraction={1} label={`Uploaded ${uploadedFile}`} testId="upload-progress" />
      )}
      <Section title={d.name} actions={<ExportButtons dataset={d} version={v?.version ?? null} />}>
        {d.description && <p>{d.description}</p>}
        <Summary dataset={d} version={v} />
        {d.kind === 'events' && (
          <p>
            <a class="button" href={href('events', { dataset: d.id })}>
              Timeline and event models of this dataset
            </a>
          </p>
        )}
      </Section>
      <Section title="Versions">
        <ErrorBox error={versions.error} />
        <VersionsTable
          datasetId={d.id}
          versions={list}
          current={v?.version ?? null}
          seriesNoun={d.kind === 'series' ? 'Series' : 'Sequences'}
        />
      </Section>
      {v && (
        <>
          <Section title={`Series of version ${v.version}`}>
            {v.rowCount > 0 ? (
              <SeriesChart datasetId={d.id} version={v.version} schema={v.schema} />
            ) : (
              <p class="muted">This version has no rows.</p>
            )}
          </Section>
          <Section title={`Statistics of version ${v.version}`}>
            <FrequencyAndGaps version={v} />
            <ColumnStatsTable stats={v.stats.columns} />
            <Roles schema={v.schema} />
          </Section>
        </>
      )}
    </>
  );
}

function Summary({ dataset, version }: { dataset: Dataset; version: DatasetVersion | null }) {
  const noun = dataset.kind === 'series' ? 'series' : 'sequences';
  const facts: [string, string][] = [
    ['Kind', dataset.kind],
    ['Created', formatTime(dataset.createdAt)],
    ['On disk', dataset.diskBytes === null ? '–' : formatBytes(dataset.diskBytes)],
  ];
  if (version)
    facts.push(
      ['Version', String(version.version)],
      ['Rows', formatNumber(version.rowCount)],
      [noun[0].toUpperCase() + noun.slice(1), formatNumber(version.seriesCount)],
      ...(dataset.kind === 'events'
        ? ([['Events', formatNumber(version.eventCount)]] as [string, string][])
        : []),
      ['Time range', formatRange(version.timeStart, version.timeEnd)],
      ['Frequency', version.frequency ?? 'none inferred'],
    );
  return <FactsList class="ds-facts" facts={facts} />;
}

function VersionsTable({
  datasetId,
  versions,
  current,
  seriesNoun,
}: {
  datasetId: string;
  versions: DatasetVersion[];
  current: number | null;
  seriesNoun: string;
}) {
  return (
    <DataTable
      testId="dataset-versions"
      columns={[
        'Version',
        'Created',
        num('Rows'),
        num(seriesNoun),
        'Time range',
        'Frequency',
        num('Files'),
        num('On disk'),
      ]}
      rows={[...versions].reverse()}
      row={(v) => (
        <tr key={v.version} aria-current={v.version === current ? 'true' : undefined}>
          <td>
            {v.version === current ? (
              <strong>v{v.version} (shown)</strong>
            ) : (
              <a href={href(`datasets/${datasetId}`, { version: v.version })}>v{v.version}</a>
            )}
          </td>
          <td>{formatTime(v.createdAt)}</td>
          <td class="num">{formatNumber(v.rowCount)}</td>
          <td class="num">{formatNumber(v.seriesCount)}</td>
          <td>{formatRange(v.timeStart, v.timeEnd)}</td>
          <td>{v.frequency ?? '–'}</td>
          <td class="num">{v.files.length}</td>
          <td class="num">{v.diskBytes === null ? '–' : formatBytes(v.diskBytes)}</td>
        </tr>
      )}
    />
  );
}

/** What each column is for, as the version's schema records it. */
function Roles({ schema }: { schema: DatasetSchema }) {
  const roles: [string, string | string[] | number | null | undefined][] = [
    ['time', schema.timeColumn],
    ['series key', schema.keyColumns],
    ['values', schema.valueColumns],
    ['known covariates', schema.knownCovariates],
    ['past covariates', schema.pastCovariates],
    ['sequence', schema.sequenceColumn],
    ['event type', schema.typeColumn],
    ['event types', schema.numTypes],
    ['numeric features', schema.numericFeatures],
    ['categorical features', schema.categoricalFeatures],
    ['sequence target', schema.targetColumn],
    ['inputs', schema.inputColumns],
    ['targets', schema.targetColumns],
    ['input rows per target row', schema.ratio],
  ];
  const shown = roles.filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null));
  return (
    <>
      <h3 class="ds-subhead">Column roles</h3>
      <FactsList
        class="ds-roles"
        facts={shown.map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])}
      />
    </>
  );
}

function ExportButtons({ dataset, version }: { dataset: Dataset; version: number | null }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (version === null) return null;
  const save = async (format: 'csv' | 'arrow') => {
    setBusy(true);
    setError(null);
    try {
      const blob = await apiBlob(`/datasets/${dataset.id}/export?format=${format}&version=${version}`);
      download(blob, `${dataset.name}-v${version}.${format}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" disabled={busy} onClick={() => save('csv')}>
        Download CSV
      </button>
      <button type="button" disabled={busy} onClick={() => save('arrow')}>
        Download Arrow
      </button>
      <ErrorBox error={error} />
    </>
  );
}
