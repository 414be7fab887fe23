import type { ApiError } from '../api';
import type { ModelSummary, SeriesSummary } from '../pages/forecast-types';

// The forecast page's form: which model (and which to compare), series, channel, horizon,
// interval levels and how much history to show. It edits a draft; submitting puts the draft in
// the route, so a forecast view is a link.

export interface ForecastDraft {
  model: string;
  compare: string;
  series: string;
  channel: string;
  horizon: string;
  levels: string;
  n: string;
}

export interface ForecastFormProps {
  draft: ForecastDraft;
  onChange: (patch: Partial<ForecastDraft>) => void;
  onSubmit: () => void;
  models: ModelSummary[];
  series: SeriesSummary[] | undefined;
  /** The draft model's kind gives quantiles (else only a calibrator gives intervals). */
  probabilistic: boolean;
  levelsError: string | undefined;
  /** The last forecast's error, whose details name fields (horizon, seriesKey, quantiles). */
  error: ApiError | undefined;
  busy: boolean;
}

const seriesLabel = (s: SeriesSummary) => (s.key === '' ? '(the only series)' : s.key);

function FieldErrors({ error, field }: { error: ApiError | undefined; field: string }) {
  const reasons = error?.forField(field) ?? [];
  return (
    <>
      {reasons.map((r) => (
        <p class="field-error" key={r}>
          {r}
        </p>
      ))}
    </>
  );
}

export function ForecastForm(props: ForecastFormProps) {
  const { draft, onChange, models, series } = props;
  const model = models.find((m) => m.id === draft.model);
  const submit = (e: Event) => {
    e.preventDefault();
    props.onSubmit();
  };
  return (
    <form class="forecast-form" onSubmit={submit} aria-busy={props.busy}>
      <div class="form-grid">
        <div class="form-field">
          <label for="forecast-model">Model</label>
          <select
            id="forecast-model"
            data-testid="forecast-model"
            value={draft.model}
            onChange={(e) => {
              // another model: its own horizon, series and channels; the comparison stays unless it is this one
              const id = e.currentTarget.value;
              onChange({
                model: id,
                horizon: '',
                series: '',
                channel: '',
                compare: draft.compare === id ? '' : draft.compare,
              });
            }}
          >
            <option value="">Choose a trained model…</option>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.kind})
              </option>
            ))}
          </select>
          {model && (
            <span class="hint">
              {model.kind}, lookback {model.lookback}, trained for horizon {model.horizon};{' '}
              {props.probabilistic ? 'gives quantiles' : 'point forecasts (intervals only from a calibrator)'}
            </span>
          )}
        </div>
        {series && series.length > 1 && (
          <div class="form-field">
            <label for="forecast-series">Series</label>
            <select
              id="forecast-series"
              value={draft.series}
              onChange={(e) => onChange({ series: e.currentTarget.value })}
            >
              {series.map((s) => (
                <option key={s.key} value={s.key}>
                  {seriesLabel(s)} ({s.rows} rows)
                </option>
              ))}
            </select>
            <FieldErrors error={props.error} field="seriesKey" />
          </div>
        )}
        {model && model.targets.length > 1 && (
          <div class="form-field">
            <label for="forecast-channel">Channel shown</label>
            <select
              id="forecast-channel"
              value={draft.channel || model.targets[0]}
              onChange={(e) => onChange({ channel: e.currentTarget.value })}
            >
              {model.targets.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="form-field">
          <label for="forecast-horizon">Horizon (steps)</label>
          <input
            id="forecast-horizon"
            data-testid="forecast-horizon"
            type="number"
            min={1}
            step={1}
            required
            value={draft.horizon}
            onInput={(e) => onChange({ horizon: e.currentTarget.value })}
          />
          <FieldErrors error={props.error} field="horizon" />
        </div>
        <div class="form-field">
          <label for="forecast-levels">Interval levels (%)</label>
          <input
            id="forecast-levels"
            type="text"
            inputMode="decimal"
            value={draft.levels}
            aria-describedby="forecast-levels-hint"
            aria-invalid={props.levelsError ? true : undefined}
            onInput={(e) => onChange({ levels: e.currentTarget.value })}
          />
          <span class="hint" id="forecast-levels-hint">
            e.g. 50, 80, 95: the model's quantiles; a calibrator's levels come with it
          </span>
          {props.levelsError && <p class="field-error">{props.levelsError}</p>}
          <FieldErrors error={props.error} field="quantiles" />
        </div>
        <div class="form-field">
          <label for="forecast-n">History points shown</label>
          <input
            id="forecast-n"
            type="number"
            min={1}
            step={1}
            value={draft.n}
            onInput={(e) => onChange({ n: e.currentTarget.value })}
          />
        </div>
        <div class="form-field">
          <label for="forecast-compare">Compare with</label>
          <select
            id="forecast-compare"
            value={draft.compare}
            onChange={(e) => onChange({ compare: e.currentTarget.value })}
          >
            <option value="">No second model</option>
            {models
              .filter((m) => m.id !== draft.model)
              .map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({m.kind})
                </option>
              ))}
          </select>
        </div>
      </div>
      <div class="row forecast-actions">
        <button
          type="submit"
          class="primary"
          data-testid="forecast-submit"
          disabled={!draft.model || props.busy || props.levelsError !== undefined}
        >
          {props.busy ? 'Forecasting…' : 'Forecast'}
        </button>
      </div>
    </form>
  );
}
