import { useApi } from '../hooks';
import { DataTable } from './data-table';
import { ErrorBox, formatTime, Loading } from './feedback';
import type { AdapterSummary, CalibratorSummary, ForecastAnswer } from '../pages/forecast-types';

// What is attached to a model: its conformal calibrators and online adapters. The forecast
// route takes no choice of either (ForecastDto): a forecast uses the newest ready calibrator and
// the newest attached adapter, so the tables mark the ones the shown forecast used.

const levelsOf = (alpha: number[]) =>
  alpha.map((a) => `${parseFloat(((1 - a) * 100).toPrecision(10))}%`).join(', ');

export function ForecastAttachments({
  modelId,
  answer,
}: {
  modelId: string;
  answer: ForecastAnswer | undefined;
}) {
  const calibrators = useApi<CalibratorSummary[]>(`/models/${modelId}/calibrators`);
  const adapters = useApi<AdapterSummary[]>(`/models/${modelId}/adapters`);
  const usedCalibrator = answer?.modelId === modelId ? answer.interval?.calibratorId : undefined;
  const usedAdapter = answer?.modelId === modelId ? answer.adaptation?.adapterId : undefined;
  return (
    <div class="forecast-attachments">
      <p class="muted">
        The forecast route takes no choice of calibrator or adapter: it uses the newest ready calibrator and
        the newest attached adapter.
      </p>
      <h3>Calibrators</h3>
      {calibrators.loading && <Loading what="calibrators" />}
      <ErrorBox error={calibrators.error} />
      {calibrators.data && (
        <DataTable
          columns={['Method', 'Levels', 'Status', 'Created', 'Used']}
          rows={calibrators.data}
          empty="None: a point model's forecasts have no intervals without one."
          row={(c) => (
            <tr key={c.id}>
              <td>{c.method}</td>
              <td>{levelsOf(c.alpha)}</td>
              <td>
                <span class={`badge ${c.status === 'ready' ? 'succeeded' : c.status}`}>{c.status}</span>
              </td>
              <td>{formatTime(c.createdAt)}</td>
              <td>{c.id === usedCalibrator ? 'used' : '–'}</td>
            </tr>
          )}
        />
      )}
      <h3>Adapters</h3>
      {adapters.loading && <Loading what="adapters" />}
      <ErrorBox error={adapters.error} />
      {adapters.data && (
        <DataTable
          columns={['Method', 'Status', 'Created', 'Used']}
          rows={adapters.data}
          empty="None attached."
          row={(a) => (
            <tr key={a.id}>
              <td>{a.method}</td>
              <td>
                <span class={`badge ${a.status === 'ready' ? 'succeeded' : 'cancelled'}`}>{a.status}</span>
              </td>
              <td>{formatTime(a.createdAt)}</td>
              <td>{a.id === usedAdapter ? `used (${answer?.adaptation?.steps ?? 0} steps)` : '–'}</td>
            </tr>
          )}
        />
      )}
    </div>
  );
}
