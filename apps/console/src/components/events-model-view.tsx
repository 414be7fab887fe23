import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { intensityChartData, nextTimeChartData, typeProbabilityRows } from '../pages/events-chart-data';
import type { EventTime, GenerateAnswer, IntensityAnswer, PredictAnswer } from '../pages/events-types';
import { DataTable, num } from './data-table';
import { ErrorBox, Loading } from './feedback';
import { TimeChart } from './time-chart';

/** A history as the API takes it: the times as the dataset gives them, types by name. */
export interface ApiHistory {
  times: EventTime[];
  types: string[];
}

const formatNumber = (v: number) =>
  Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toPrecision(4);
const formatTimeValue = (t: EventTime) => (typeof t === 'number' ? formatNumber(t) : t);

/**
 * What a trained event model says after a history: its intensity over time (along the history
 * and after it), the density of the time to the next event with the sampled quantiles, the next
 * type's probabilities, and sampled continuations (handed to the page's timeline).
 */
export function EventModelView({
  modelId,
  history,
  timestamps,
  defaultHorizon,
  onContinuations,
}: {
  modelId: string;
  history: ApiHistory;
  timestamps: boolean;
  /** The generation span offered first, in the dataset's unit. */
  defaultHorizon: number;
  onContinuations: (answer: GenerateAnswer | null) => void;
}) {
  const [intensity, setIntensity] = useState<IntensityAnswer | null>(null);
  const [predict, setPredict] = useState<PredictAnswer | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    setIntensity(null);
    setPredict(null);
    Promise.all([
      api<IntensityAnswer>(`/event-models/${modelId}/intensity`, {
        body: { history, points: 300, along: true },
        signal: ctl.signal,
      }),
      api<PredictAnswer>(`/event-models/${modelId}/predict`, {
        body: { history, samples: 1000, quantiles: [0.1, 0.5, 0.9] },
        signal: ctl.signal,
      }),
    ])
      .then(([i, p]) => {
        setIntensity(i);
        setPredict(p);
      })
      .catch((e: Error) => {
        if (!ctl.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [modelId, history]);

  const intensityChart = useMemo(() => intensity && intensityChartData(intensity), [intensity]);
  const nextChart = useMemo(() => intensity && nextTimeChartData(intensity), [intensity]);
  const rows = useMemo(() => (predict ? typeProbabilityRows(predict) : []), [predict]);
  const unit = intensity?.unit === 'seconds' ? 'seconds' : 'time units';

  return (
    <div class="events-model-view">
      <ErrorBox error={error} />
      {loading && <Loading what="the model's intensity and prediction" />}
      {intensity && intensityChart && (
        <TimeChart
          x={intensityChart.x}
          lines={intensityChart.lines}
          time={timestamps}
          title={`Intensity over time: along the history, then after its last event (per ${unit === 'seconds' ? 'second' : 'time unit'})`}
          yLabel="intensity"
          testId="intensity-chart"
        />
      )}
      <div class="events-next">
        {intensity && nextChart && (
          <div class="events-next-chart">
            <TimeChart
              x={nextChart.x}
              lines={nextChart.lines}
              time={false}
              height={240}
              title="Time to the next event: density"
              xLabel={`time after the last event (${unit})`}
              yLabel="density"
              testId="next-time-chart"
            />
          </div>
        )}
        {predict && (
          <div class="events-next-table">
            <h3>Next event</h3>
            <dl class="events-summary">
              <dt>mean time to it</dt>
              <dd>
                {formatNumber(predict.next.gapMean)} {unit}
              </dd>
              {Object.entries(predict.next.timeQuantiles).map(([q, t]) => (
                <Fragment key={q}>
                  <dt>{Math.round(Number(q) * 100)}% quantile of its time</dt>
                  <dd>{formatTimeValue(t)}</dd>
                </Fragment>
              ))}
              <dt>most likely type</dt>
              <dd>{predict.next.typeName}</dd>
            </dl>
            <DataTable
              testId="type-probabilities"
              caption={<caption>Next type's probabilities (sampled)</caption>}
              columns={['type', num('probability'), { label: <span class="events-sr-only">bar</span> }]}
              rows={rows}
              row={(r) => (
                <tr key={r.type} data-type={r.name}>
                  <th scope="row">{r.name}</th>
                  <td class="num">{r.probability.toFixed(3)}</td>
                  <td class="events-bar-cell" aria-hidden="true">
                    <span class="events-bar" style={{ width: `${Math.round(r.probability * 100)}%` }} />
                  </td>
                </tr>
              )}
            />
          </div>
        )}
      </div>
      <GenerateForm
        modelId={modelId}
        history={history}
        unit={unit}
        defaultHorizon={defaultHorizon}
        onContinuations={onContinuations}
      />
    </div>
  );
}

/** Samples continuations after the history, up to a span after its last event. */
function GenerateForm(props: {
  modelId: string;
  history: ApiHistory;
  unit: string;
  defaultHorizon: number;
  onContinuations: (answer: GenerateAnswer | null) => void;
}) {
  const [horizon, setHorizon] = useState(formatNumber(props.defaultHorizon));
  const [samples, setSamples] = useState('3');
  const [seed, setSeed] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [count, setCount] = useState<number[] | null>(null);

  useEffect(() => setHorizon(formatNumber(props.defaultHorizon)), [props.defaultHorizon]);

  const generate = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const g = await api<GenerateAnswer>(`/event-models/${props.modelId}/generate`, {
        body: { history: props.history, horizon: Number(horizon), samples: Number(samples), seed },
      });
      props.onContinuations(g);
      setCount(g.samples.map((s) => s.times.length));
      // the next press draws other continuations
      setSeed(seed + 1);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="events-generate" onSubmit={generate} aria-label="generate continuations">
      <h3>Generated continuations</h3>
      <div class="row">
        <div class="form-field">
          <label for="event-gen-horizon">Span after the last event ({props.unit})</label>
          <input
            id="event-gen-horizon"
            type="number"
            step="any"
            min="0"
            value={horizon}
            onInput={(e) => setHorizon(e.currentTarget.value)}
          />
        </div>
        <div class="form-field">
          <label for="event-gen-samples">Continuations</label>
          <input
            id="event-gen-samples"
            type="number"
            min="1"
            max="10"
            value={samples}
            onInput={(e) => setSamples(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary" data-testid="generate-button" disabled={busy}>
          {busy ? 'Generating…' : 'Generate'}
        </button>
        {count && (
          <button
            type="button"
            onClick={() => {
              props.onContinuations(null);
              setCount(null);
            }}
          >
            Clear
          </button>
        )}
      </div>
      <ErrorBox error={error} />
      {count && (
        <p class="muted" aria-live="polite">
          Drawn on the timeline above: {count.map((n, i) => `continuation ${i + 1}: ${n} events`).join('; ')}.
        </p>
      )}
    </form>
  );
}
