import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { useApi, useFollowedJob } from '../hooks';
import { FINISHED, type Job } from '../types';
import { ErrorBox, ProgressBar } from './feedback';
import { parseLevels } from '../pages/forecast-data';

// Intervals for a point model in one click: a conformal calibrator fitted on the model's own
// held-out residuals (POST /models/:id/calibrators), its job followed to the end, then the
// forecast asked again so the bands appear. A new user's first forecast has intervals this way.

interface MethodSummary {
  method: string;
  title: string;
  description: string;
}

/** Levels in percent (80, 95) as the API's miscoverage rates alpha (0.2, 0.05). */
export function alphasOf(levels: number[]): number[] {
  return levels.map((l) => parseFloat((1 - l / 100).toPrecision(10)));
}

export function ForecastCalibrate({ modelId, onReady }: { modelId: string; onReady: () => void }) {
  const methods = useApi<MethodSummary[]>('/models/calibrator-methods');
  const [method, setMethod] = useState('split');
  const [levels, setLevels] = useState('80,95');
  const [error, setError] = useState<unknown>();
  const parsed = parseLevels(levels);
  const levelsError = 'error' in parsed ? parsed.error : undefined;

  const [job, setJob] = useFollowedJob(700, (done) => {
    if (done.status === 'succeeded') onReady();
    else setError(new Error(`the calibration job ${done.status}${done.error ? `: ${done.error}` : ''}`));
  });
  const running = job !== undefined && !FINISHED.includes(job.status);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!('levels' in parsed)) return;
    setError(undefined);
    try {
      const created = await api<{ job: Job }>(`/models/${modelId}/calibrators`, {
        body: { method, alpha: alphasOf(parsed.levels) },
      });
      setJob(created.job);
    } catch (err) {
      setError(err);
    }
  };

  const fieldError = (f: string) => (error instanceof ApiError ? error.forField(f) : []);
  return (
    <form class="forecast-calibrate" onSubmit={submit} data-testid="calibrate-form">
      <h3>Add intervals</h3>
      <p class="muted">
        Fits a conformal calibrator on the model's held-out residuals; forecasts then carry its bands.
      </p>
      <div class="row">
        <label class="form-field">
          Method
          <select id="calibrate-method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
            {(methods.data ?? [{ method: 'split', title: 'Split conformal', description: '' }]).map((m) => (
              <option key={m.method} value={m.method} title={m.description}>
                {m.title}
              </option>
            ))}
          </select>
          {fieldError('method').map((r) => (
            <span class="field-error" key={r}>
              {r}
            </span>
          ))}
        </label>
        <label class="form-field">
          Levels (%)
          <input
            id="calibrate-levels"
            value={levels}
            onInput={(e) => setLevels(e.currentTarget.value)}
            aria-invalid={levelsError !== undefined || fieldError('alpha').length > 0}
          />
          {[...(levelsError ? [levelsError] : []), ...fieldError('alpha')].map((r) => (
            <span class="field-error" key={r}>
              {r}
            </span>
          ))}
        </label>
        <button
          type="submit"
          class="primary"
          data-testid="calibrate-button"
          disabled={running || !!levelsError}
        >
          Calibrate
        </button>
      </div>
      {job && (
        <ProgressBar
          testId="calibrate-progress"
          fraction={job.status === 'succeeded' ? 1 : job.progress.fraction}
          label={job.progress.message ?? `calibration ${job.status}`}
        />
      )}
      <ErrorBox error={error} />
    </form>
  );
}
