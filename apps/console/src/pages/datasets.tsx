import { useState } from 'preact/hooks';
import type { Route } from '../router';
import { href, navigate } from '../router';
import { useApi } from '../hooks';
import type { Page } from '../types';
import { ErrorBox, Loading, Section, formatBytes, formatTime } from '../components/feedback';
import { DataTable, num } from '../components/data-table';
import { DatasetUpload } from '../components/datasets-upload';
import { DatasetDetail } from '../components/datasets-detail';
import { formatNumber } from './datasets-format';
import type { Dataset } from './datasets-types';
import '../datasets.css';

const PAGE_SIZE = 50;

/** #/datasets: the list and the upload; #/datasets/<id>[?version=N]: one dataset. */
export function DatasetsPage({ route }: { route: Route }) {
  // The upload's finished bar stays in view on the new dataset's page (the form is gone by then).
  const [uploaded, setUploaded] = useState<{ id: string; fileName: string } | null>(null);
  const id = route.parts[1];
  if (id) {
    const version = Number(route.query.get('version'));
    return (
      <DatasetDetail
        key={id}
        id={id}
        version={Number.isInteger(version) && version > 0 ? version : null}
        uploadedFile={uploaded?.id === id ? uploaded.fileName : null}
      />
    );
  }
  return (
    <>
      <Section title="Upload a dataset">
        <DatasetUpload
          onUploaded={(d, fileName) => {
            setUploaded({ id: d.id, fileName });
            navigate(`datasets/${d.id}`);
          }}
        />
      </Section>
      <DatasetList offset={Math.max(0, Number(route.query.get('offset')) || 0)} />
    </>
  );
}

function DatasetList({ offset }: { offset: number }) {
  const page = useApi<Page<Dataset>>(`/datasets?limit=${PAGE_SIZE}&offset=${offset}`);
  const total = page.data?.total ?? 0;
  return (
    <Section
      title="Datasets"
      actions={
        <button type="button" onClick={page.reload}>
          Refresh
        </button>
      }
    >
      <ErrorBox error={page.error} />
      {page.loading && !page.data && <Loading what="datasets" />}
      {page.data && (
        <DataTable
          class="ds-list"
          columns={[
            'Name',
            'Kind',
            num('Rows'),
            num('Series'),
            'Frequency',
            num('On disk'),
            'Versions',
            'Created',
          ]}
          rows={page.data.items}
          empty="No datasets yet: upload one above."
          row={(d) => (
            <tr key={d.id} data-testid="dataset-row" data-id={d.id} data-name={d.name}>
              <th scope="row">
                <a href={href(`datasets/${d.id}`)}>{d.name}</a>
                {d.description && <div class="muted ds-desc">{d.description}</div>}
              </th>
              <td>
                <span class="badge">{d.kind}</span>
              </td>
              <td class="num">{formatNumber(d.latest?.rowCount)}</td>
              <td class="num">{formatNumber(d.latest?.seriesCount)}</td>
              <td>{d.latest?.frequency ?? '–'}</td>
              <td class="num">{d.diskBytes === null ? '–' : formatBytes(d.diskBytes)}</td>
              <td>
                {d.latest ? (
                  <a
                    href={href(`datasets/${d.id}`)}
                    aria-label={`${d.name}: latest version ${d.latest.version}, all versions`}
                  >
                    v{d.latest.version}
                  </a>
                ) : (
                  '–'
                )}
              </td>
              <td>{formatTime(d.createdAt)}</td>
            </tr>
          )}
        />
      )}
      {total > PAGE_SIZE && (
        <nav class="row ds-pager" aria-label="dataset pages">
          {offset > 0 && (
            <a href={href('datasets', { offset: Math.max(0, offset - PAGE_SIZE) || undefined })}>previous</a>
          )}
          <span class="muted">
            {offset + 1}–{Math.min(total, offset + PAGE_SIZE)} of {total}
          </span>
          {offset + PAGE_SIZE < total && <a href={href('datasets', { offset: offset + PAGE_SIZE })}>next</a>}
        </nav>
      )}
    </Section>
  );
}
