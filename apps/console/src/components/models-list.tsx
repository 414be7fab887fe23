import { href } from '../router';
import type { ModelFamily, ModelSummary } from '../pages/models-types';
import { DataTable } from './data-table';
import { formatTime } from './feedback';

export type ListedModel = ModelSummary & { family: ModelFamily };

/** The models, newest first: each row links to its page and, once trained, to its forecasts. */
export function ModelList({ models }: { models: ListedModel[] }) {
  return (
    <DataTable
      class="model-list"
      columns={['name', 'kind', 'column', 'status', 'created', 'forecast']}
      rows={models}
      empty="No models yet: pick a kind below and create one."
      row={(m) => (
        <tr key={m.id} data-testid="model-row" data-id={m.id}>
          <td>
            <a href={href(`models/${m.id}`, m.family === 'seq2seq' ? { family: 'seq2seq' } : {})}>{m.name}</a>
          </td>
          <td>
            <code>{m.kind}</code>
          </td>
          <td>
            {m.family === 'seq2seq' ? (
              <span class="muted">seq2seq</span>
            ) : (
              (m.targets ?? [m.target]).join(', ')
            )}
          </td>
          <td>
            <span class={`badge ${m.status === 'trained' ? 'succeeded' : m.status}`}>{m.status}</span>
          </td>
          <td>{formatTime(m.createdAt)}</td>
          <td>
            {m.status === 'trained' && m.family === 'series' ? (
              <a href={href('forecast', { model: m.id })} aria-label={`forecast with ${m.name}`}>
                forecast
              </a>
            ) : (
              <span class="muted">–</span>
            )}
          </td>
        </tr>
      )}
    />
  );
}
