import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, apiBlob, ApiError, download } from '../api';
import { useApi } from '../hooks';
import { href, navigate, type Route } from '../router';
import type { ModelKind, Page } from '../types';
import { ErrorBox, Loading, Section } from '../components/feedback';
import { TimeChart } from '../components/time-chart';
import { ForecastForm, type ForecastDraft } from '../components/forecast-form';
import { ForecastAttachments } from '../components/forecast-attachments';
import { ForecastCalibrate } from '../components/forecast-calibrate';
import { ForecastTable } from '../components/forecast-table';
import { modelColor, modelDash } from '../../../../libs/eval/src/report/palette';
import {
  canvasDash,
  chartData,
  fileStem,
  forecastCsv,
  intervalsOf,
  parseLevels,
  type ChartForecast,
  type HistorySeries,
} from './forecast-data';
import { forecastWith, loadHistory, type Ran } from './forecast-run';
import type { ModelSummary, ModelVersion, SeriesSummary } from './forecast-types';
import '../forecast.css';

// #/forecast?model=<id>&series=<key>&horizon=<h>&levels=80,95&compare=<id2>&n=<points>&channel=<name>:
// a trained model's forecast of one series, drawn after the series' newest values with one band
// per interval level, optionally beside a second model's; downloadable as CSV and Arrow.

const ARROW_STREAM = 'application/vnd.apache.arrow.stream';
const DEFAULT_LEVELS = '80,95';

function draftOf(q: URLSearchParams): ForecastDraft {
  return {
    model: q.get('model') ?? '',
    compare: q.get('compare') ?? '',
    series: q.get('series') ?? '',
    channel: q.get('channel') ?? '',
    horizon: q.get('horizon') ?? '',
    levels: q.get('levels') ?? DEFAULT_LEVELS,
    n: q.get('n') ?? '',
  };
}

/** History shown by default: four horizons, at least 48 points. */
const defaultN = (horizon: number) => Math.max(48, 4 * horizon);

const positiveInt = (text: string): number | undefined => {
  const v = Number(text);
  return Number.isInteger(v) && v >= 1 ? v : undefined;
};

interface Shown {
  main: Ran;
  compare?: Ran;
  compareError?: unknown;
  history?: HistorySeries;
  historyError?: unknown;
  channel: string;
  levels: number[];
}

const percent = (levels: (number | string)[]) => levels.map((l) => `${l}%`).join(', ');

/** What the page says about a forecast's intervals (and when it has none, why). */
function intervalNotes(ran: Ran, channel: number, levels: number[], probabilistic: boolean): string[] {
  const { answer, model } = ran;
  const notes: string[] = ran.note ? [ran.note] : [];
  const own = intervalsOf(answer, channel)
    .filter((i) => i.source === 'model')
    .map((i) => i.level);
  if (own.length) notes.push(`${model.name}: its own quantiles give the ${percent(own)} intervals.`);
  const missing = levels.filter((l) => !own.includes(l));
  if (probabilistic && missing.length && !ran.note)
    notes.push(`${model.name}: no quantiles came back for ${percent(missing)}.`);
  if (answer.interval) {
    const i = answer.interval;
    notes.push(
      `${model.name}: calibrator ${i.method} gives the ${percent(i.levels)} intervals` +
        (i.calibratedSteps !== null ? ` (calibrated for ${i.calibratedSteps} steps)` : '') +
        '.',
    );
    if (i.extrapolated) notes.push(i.extrapolated.note);
  }
  if (!own.length && !answer.interval)
    notes.push(
      probabilistic
        ? `${model.name} gave no intervals for this forecast.`
        : `${model.name} gives no intervals: ${model.kind} makes point forecasts and the model has no ready calibrator (add one under Add intervals below).`,
    );
  if (answer.adaptation)
    notes.push(
      `${model.name}: adapted online by its ${answer.adaptation.method} adapter (${answer.adaptation.steps} steps learnt).`,
    );
  return notes;
}

export function ForecastPage({ route }: { route: Route }) {
  const routeKey = route.query.toString();
  const models = useApi<Page<ModelSummary>>('/models?limit=1000');
  const kinds = useApi<ModelKind[]>('/models/kinds');
  const [draft, setDraft] = useState<ForecastDraft>(() => draftOf(route.query));
  useEffect(() => setDraft(draftOf(route.query)), [routeKey]);

  // a model can forecast once it has a version (a retrain in progress keeps the old one)
  const trained = useMemo(
    () => (models.data?.items ?? []).filter((m) => m.status === 'trained' || m.latestVersionId !== null),
    [models.data],
  );
  const probabilistic = (kind: string) =>
    kinds.data?.find((k) => k.kind === kind)?.capabilities?.includes('probabilistic') ?? false;
  const draftModel = trained.find((m) => m.id === draft.model);
  const series = useApi<Page<SeriesSummary>>(
    draftModel ? `/datasets/${draftModel.datasetId}/series?limit=1000` : null,
  );
  const seriesItems = draftModel && series.data ? series.data.items : undefined;
  // the draft with what it leaves open filled in: the model's horizon, the first series
  const horizonText = draft.horizon || (draftModel ? String(draftModel.horizon) : '');
  const filled: ForecastDraft = {
    ...draft,
    horizon: horizonText,
    n: draft.n || String(defaultN(positiveInt(horizonText) ?? 24)),
    series: draft.series || (seriesItems && seriesItems.length > 1 ? seriesItems[0].key : ''),
  };
  const parsedLevels = parseLevels(draft.levels);
  const levelsError = 'error' in parsedLevels ? parsedLevels.error : undefined;

  const [shown, setShown] = useState<Shown | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  // a calibrator that became ready: the attachments are read again and the forecast asked again
  const [attached, setAttached] = useState(0);
  const runId = useRef(0);

  // The route is the request: a forecast runs whenever it names a model (a shared link included).
  useEffect(() => {
    const q = route.query;
    const modelId = q.get('model');
    if (!modelId || !models.data || !kinds.data) return;
    const model = trained.find((m) => m.id === modelId);
    const id = ++runId.current;
    const current = () => id === runId.current;
    if (!model) {
      setShown(undefined);
      setError(new Error(`No trained model ${modelId}: choose one of the list.`));
      return;
    }
    const parsed = parseLevels(q.get('levels') ?? DEFAULT_LEVELS);
    const levels = 'levels' in parsed ? parsed.levels : [];
    const horizon = positiveInt(q.get('horizon') ?? '') ?? model.horizon;
    const n = positiveInt(q.get('n') ?? '') ?? defaultN(horizon);
    const channel = q.get('channel') || model.targets[0];
    const compareModel = trained.find((m) => m.id === q.get('compare') && m.id !== model.id);
    setBusy(true);
    setError(undefined);
    void (async () => {
      try {
        const list = await api<Page<SeriesSummary>>(`/datasets/${model.datasetId}/series?limit=1000`);
        const key = q.get('series') || (list.items.length > 1 ? list.items[0].key : undefined);
        const [main, compare] = await Promise.allSettled([
          forecastWith(model, probabilistic(model.kind), horizon, key, levels),
          compareModel
            ? forecastWith(compareModel, probabilistic(compareModel.kind), horizon, key, levels)
            : Promise.resolve(undefined),
        ]);
        if (!current()) return;
        if (main.status === 'rejected') {
          setShown(undefined);
          setError(main.reason);
          return;
        }
        const next: Shown = {
          main: main.value,
          ...(compare.status === 'fulfilled' ? { compare: compare.value } : { compareError: compare.reason }),
          channel,
          levels,
        };
        const answerKey = main.value.answer.seriesKey;
        try {
          next.history = await loadHistory(
            model.datasetId,
            answerKey,
            channel,
            n,
            list.items.find((s) => s.key === answerKey),
          );
        } catch (e) {
          next.historyError = e;
        }
        if (current()) setShown(next);
      } catch (e) {
        if (current()) {
          setShown(undefined);
          setError(e);
        }
      } finally {
        if (current()) setBusy(false);
      }
    })();
  }, [routeKey, tick, models.data, kinds.data]);

  const submit = () => {
    const query = {
      model: filled.model,
      series: filled.series || undefined,
      horizon: filled.horizon,
      levels: draft.levels.trim(),
      compare: filled.compare || undefined,
      n: filled.n,
      channel: draftModel && draftModel.targets.length > 1 ? filled.channel || undefined : undefined,
    };
    // the same link again: run it again (a model retrained since gives a new forecast)
    if (location.hash === href('forecast', query)) setTick((t) => t + 1);
    else navigate('forecast', query);
  };

  const chart = useMemo(() => {
    if (!shown) return undefined;
    const channelOf = (r: Ran) => r.answer.channels.indexOf(shown.channel);
    const lines: ChartForecast[] = [];
    const runs = [shown.main, shown.compare].filter((r): r is Ran => r !== undefined);
    runs.forEach((r, position) => {
      const channel = channelOf(r);
      if (channel < 0) return;
      const label =
        position > 0 && r.model.name === shown.main.model.name ? `${r.model.name} (compare)` : r.model.name;
      lines.push({
        label,
        color: modelColor(position),
        dash: canvasDash(modelDash(position)),
        answer: r.answer,
        channel,
      });
    });
    return chartData(shown.history ?? { times: [], values: [] }, lines);
  }, [shown]);

  const versions = useApi<ModelVersion[]>(shown ? `/models/${shown.main.model.id}/versions` : null);
  const version = versions.data?.find((v) => v.id === shown?.main.answer.modelVersionId);

  const [downloadError, setDownloadError] = useState<unknown>();
  const saveCsv = () => {
    if (!shown) return;
    const { answer, model } = shown.main;
    download(
      new Blob([forecastCsv(answer)], { type: 'text/csv' }),
      `${fileStem(model.name, answer.seriesKey)}.csv`,
    );
  };
  const saveArrow = async () => {
    if (!shown) return;
    const { request, model, answer } = shown.main;
    setDownloadError(undefined);
    try {
      const blob = await apiBlob(`/models/${model.id}/forecast`, { body: request, accept: ARROW_STREAM });
      download(blob, `${fileStem(model.name, answer.seriesKey)}.arrows`);
    } catch (e) {
      setDownloadError(e);
    }
  };

  const notes: string[] = [];
  if (shown) {
    for (const r of [shown.main, shown.compare]) {
      if (!r) continue;
      const channel = r.answer.channels.indexOf(shown.channel);
      if (channel < 0) notes.push(`${r.model.name} does not forecast ${shown.channel}: not drawn.`);
      else notes.push(...intervalNotes(r, channel, shown.levels, probabilistic(r.model.kind)));
    }
  }

  return (
    <>
      <Section title="Forecast">
        {(models.loading || kinds.loading) && <Loading what="models" />}
        <ErrorBox error={models.error ?? kinds.error} />
        {models.data && trained.length === 0 && (
          <p class="muted">
            No trained model yet: create and train one on the <a href="#/models">models page</a>.
          </p>
        )}
        {models.data && (
          <ForecastForm
            draft={filled}
            onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
            onSubmit={submit}
            models={trained}
            series={seriesItems}
            probabilistic={draftModel ? probabilistic(draftModel.kind) : false}
            levelsError={levelsError}
            error={error instanceof ApiError ? error : undefined}
            busy={busy}
          />
        )}
        <ErrorBox error={error} />
      </Section>
      {shown && chart && (
        <Section
          title={`${shown.main.model.name} · ${shown.main.answer.seriesKey || 'the only series'} · ${shown.channel}`}
          actions={
            <>
              <button type="button" data-testid="download-csv" onClick={saveCsv}>
                Download CSV
              </button>
              <button type="button" data-testid="download-arrow" onClick={saveArrow}>
                Download Arrow
              </button>
            </>
          }
        >
          <p class="muted forecast-meta">
            {version ? `Version ${version.version}` : 'Current version'} (the route forecasts a model's
            current version) · {shown.main.answer.horizon} steps
            {shown.main.answer.frequency ? ` of ${shown.main.answer.frequency}` : ''}
            {shown.main.answer.origin
              ? ` after ${shown.main.answer.origin.replace('T00:00:00.000Z', '')}`
              : ''}
          </p>
          <ErrorBox error={downloadError} />
          <TimeChart
            testId="forecast-chart"
            title={`Forecast of ${shown.channel}${shown.compare ? ` by ${shown.main.model.name} and ${shown.compare.model.name}` : ''}`}
            x={chart.x}
            lines={chart.lines}
            bands={chart.bands}
            time={chart.time}
            yLabel={shown.channel}
          />
          <ul class="forecast-notes">
            {notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
          {shown.historyError !== undefined && (
            <>
              <p class="muted">The series' history could not be read:</p>
              <ErrorBox error={shown.historyError} />
            </>
          )}
          {shown.compareError !== undefined && (
            <>
              <p class="muted">The second model's forecast failed:</p>
              <ErrorBox error={shown.compareError} />
            </>
          )}
          <ForecastTable
            answer={shown.main.answer}
            channel={Math.max(0, shown.main.answer.channels.indexOf(shown.channel))}
          />
        </Section>
      )}
      {draftModel && (
        <Section title={`Attached to ${draftModel.name}`}>
          <ForecastAttachments key={attached} modelId={draftModel.id} answer={shown?.main.answer} />
          <ForecastCalibrate
            modelId={draftModel.id}
            onReady={() => {
              setAttached((n) => n + 1);
              setTick((t) => t + 1);
            }}
          />
        </Section>
      )}
    </>
  );
}
