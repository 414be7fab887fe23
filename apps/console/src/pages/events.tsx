import { useEffect, useMemo, useState } from 'preact/hooks';
import { useApi } from '../hooks';
import { href, navigate, Route } from '../router';
import type { ModelKind, Page } from '../types';
import { ErrorBox, Loading, Section } from '../components/feedback';
import { TimeChart } from '../components/time-chart';
import { EventModelCreate } from '../components/events-create';
import { ApiHistory, EventModelView } from '../components/events-model-view';
import {
  continuationOf,
  isTimestamped,
  timelineData,
  typedSequence,
  typeNamesOf,
  typeOrder,
} from './events-chart-data';
import type {
  DatasetSummary,
  EventModelRow,
  GenerateAnswer,
  SequenceEntry,
  SequenceValues,
} from './events-types';
import '../events.css';

// #/events?dataset=<id>&seq=<index>&model=<id>: an event dataset's sequence as a timeline by
// type, the event models of that dataset (created and trained here), and for a trained one its
// intensity, next-event prediction and sampled continuations after the sequence (or a cut of it).

export function EventsPage({ route }: { route: Route }) {
  const datasets = useApi<Page<DatasetSummary>>('/datasets?limit=1000');
  const eventSets = useMemo(
    () => (datasets.data?.items ?? []).filter((d) => d.kind === 'events'),
    [datasets.data],
  );
  const wanted = route.query.get('dataset');
  const dataset = eventSets.find((d) => d.id === wanted) ?? eventSets[0];
  const seq = Math.max(0, Math.floor(Number(route.query.get('seq') ?? 0)) || 0);
  const modelId = route.query.get('model') ?? '';
  const go = (q: { dataset?: string; seq?: number; model?: string }) =>
    navigate('events', { dataset: dataset?.id, seq, model: modelId, ...q });

  return (
    <>
      <h1 class="events-title">Event models</h1>
      {!dataset && (
        <Section title="Sequence">
          <ErrorBox error={datasets.error} />
          {datasets.loading && !datasets.data && <Loading what="datasets" />}
          {datasets.data && (
            <p class="muted">
              No event dataset yet: upload one (kind events, e.g. EasyTPP JSON) on the{' '}
              <a href={href('datasets')}>datasets page</a>.
            </p>
          )}
        </Section>
      )}
      {dataset && (
        <DatasetView
          key={dataset.id}
          datasets={eventSets}
          dataset={dataset}
          seq={seq}
          modelId={modelId}
          go={go}
        />
      )}
    </>
  );
}

function DatasetView({
  datasets,
  dataset,
  seq,
  modelId,
  go,
}: {
  datasets: DatasetSummary[];
  dataset: DatasetSummary;
  seq: number;
  modelId: string;
  go: (q: { dataset?: string; seq?: number; model?: string }) => void;
}) {
  const entry = useApi<Page<SequenceEntry>>(`/datasets/${dataset.id}/series?offset=${seq}&limit=1`);
  const key = entry.data?.items[0]?.key;
  const values = useApi<SequenceValues>(
    key === undefined ? null : `/datasets/${dataset.id}/series/${encodeURIComponent(key)}`,
  );
  const total = entry.data?.total ?? dataset.latest?.seriesCount ?? 0;
  const [draft, setDraft] = useState(String(seq));
  useEffect(() => setDraft(String(seq)), [seq]);

  const schema = dataset.latest?.schema;
  const typeColumn = schema?.typeColumn ?? null;
  const names = useMemo(
    () => (values.data ? typeNamesOf(values.data, typeColumn) : []),
    [values.data, typeColumn],
  );
  // the server's type ids: every name the dataset's statistics know, and this sequence's
  const typeNames = useMemo(() => {
    const top = typeColumn ? Object.keys(dataset.latest?.stats?.columns?.[typeColumn]?.top ?? {}) : [];
    const order = typeOrder([...top, ...names]);
    const n = schema?.numTypes ?? 0;
    // integer types the data never shows still have their ids
    return order.every((t) => /^\d+$/.test(t)) && n > order.length
      ? Array.from({ length: n }, (_, i) => String(i))
      : order;
  }, [dataset, names, typeColumn, schema]);

  const length = values.data?.times.length ?? 0;
  const [cutText, setCutText] = useState('');
  useEffect(() => setCutText(''), [key]);
  const cut =
    cutText.trim() === '' ? length : Math.max(1, Math.min(length, Math.floor(Number(cutText)) || length));
  const [continuations, setContinuations] = useState<GenerateAnswer | null>(null);
  useEffect(() => setContinuations(null), [key, cut, modelId]);

  const observed = useMemo(
    () => (values.data ? typedSequence(values.data.times, names, typeNames) : null),
    [values.data, names, typeNames],
  );
  const timeline = useMemo(
    () =>
      observed &&
      timelineData(observed, typeNames, {
        cut,
        continuations: continuations?.samples.map(continuationOf) ?? [],
      }),
    [observed, typeNames, cut, continuations],
  );
  const timestamps = values.data ? isTimestamped(values.data.times) : false;
  const history = useMemo<ApiHistory | null>(
    () => (values.data ? { times: values.data.times.slice(0, cut), types: names.slice(0, cut) } : null),
    [values.data, names, cut],
  );
  // generation's first span: what was held out, or a quarter of the history (seconds for timestamps)
  const defaultHorizon = useMemo(() => {
    if (!observed || observed.times.length === 0) return 1;
    const t = observed.times;
    const span = cut < t.length ? t[t.length - 1] - t[cut - 1] : (t[cut - 1] - t[0]) / 4;
    return (span > 0 ? span : 1) / (timestamps ? 1000 : 1);
  }, [observed, cut, timestamps]);

  const submitSeq = (e: Event) => {
    e.preventDefault();
    const n = Math.floor(Number(draft));
    if (Number.isFinite(n) && n >= 0 && n < total) go({ seq: n });
  };

  return (
    <>
      <Section title="Sequence">
        <div class="row events-pick">
          <div class="form-field">
            <label for="event-dataset">Event dataset</label>
            <select
              id="event-dataset"
              data-testid="event-dataset"
              value={dataset.id}
              onChange={(e) => go({ dataset: e.currentTarget.value, seq: 0, model: '' })}
            >
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          <form class="form-field" onSubmit={submitSeq}>
            <label for="event-sequence">Sequence (0–{Math.max(0, total - 1)})</label>
            <input
              id="event-sequence"
              data-testid="event-sequence"
              type="number"
              min="0"
              max={Math.max(0, total - 1)}
              value={draft}
              onInput={(e) => setDraft(e.currentTarget.value)}
              onChange={(e) => {
                const n = Math.floor(Number(e.currentTarget.value));
                if (Number.isFinite(n) && n >= 0 && n < total && n !== seq) go({ seq: n });
              }}
            />
          </form>
          <div class="form-field">
            <label for="event-cut">Condition on the first events</label>
            <input
              id="event-cut"
              type="number"
              min="1"
              max={length}
              placeholder={`all ${length}`}
              value={cutText}
              onInput={(e) => setCutText(e.currentTarget.value)}
              aria-describedby="event-cut-hint"
            />
            <span id="event-cut-hint" class="hint">
              The rest are held out (grey) to compare with generated continuations.
            </span>
          </div>
        </div>
        <ErrorBox error={entry.error ?? values.error} />
        {values.loading && <Loading what="the sequence" />}
        {values.data && timeline && (
          <>
            <p class="muted">
              Sequence <code>{values.data.key}</code>: {length} events of {typeNames.length} types
              {cut < length ? `; the model sees the first ${cut}` : ''}.
            </p>
            <TimeChart
              x={timeline.x}
              lines={timeline.lines}
              time={timestamps}
              height={Math.max(200, 60 + 40 * typeNames.length)}
              title="Events by type (one row per type)"
              yLabel="event type"
              yCategories={typeNames}
              testId="event-timeline"
            />
          </>
        )}
      </Section>
      <ModelsPart
        datasetId={dataset.id}
        modelId={modelId}
        go={go}
        history={history}
        timestamps={timestamps}
        defaultHorizon={defaultHorizon}
        onContinuations={setContinuations}
      />
    </>
  );
}

function ModelsPart(props: {
  datasetId: string;
  modelId: string;
  go: (q: { model?: string }) => void;
  history: ApiHistory | null;
  timestamps: boolean;
  defaultHorizon: number;
  onContinuations: (g: GenerateAnswer | null) => void;
}) {
  const models = useApi<Page<EventModelRow>>('/event-models?limit=1000');
  const kinds = useApi<ModelKind[]>('/event-models/kinds');
  const mine = (models.data?.items ?? []).filter((m) => m.datasetId === props.datasetId);
  const model = mine.find((m) => m.id === props.modelId);
  const trained = model && model.status === 'trained' && model.latestVersionId;

  return (
    <Section title="Model">
      <ErrorBox error={models.error} />
      {models.data && mine.length === 0 && (
        <p class="muted">No event model on this dataset yet: create one below.</p>
      )}
      {mine.length > 0 && (
        <div class="form-field events-model-pick">
          <label for="event-model">Event model</label>
          <select
            id="event-model"
            data-testid="event-model"
            value={model?.id ?? ''}
            onChange={(e) => props.go({ model: e.currentTarget.value })}
          >
            <option value="">— choose a model —</option>
            {mine.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.kind}, {m.status})
              </option>
            ))}
          </select>
        </div>
      )}
      {model && !trained && (
        <p class="muted">
          {model.name} is {model.status}: it can be trained on the <a href={href('models')}>models page</a> or
          created again below.
        </p>
      )}
      {trained && props.history && (
        <EventModelView
          modelId={model.id}
          history={props.history}
          timestamps={props.timestamps}
          defaultHorizon={props.defaultHorizon}
          onContinuations={props.onContinuations}
        />
      )}
      <details class="events-create-box" open={models.data !== undefined && mine.length === 0}>
        <summary>Create and train an event model on this dataset</summary>
        <ErrorBox error={kinds.error} />
        {kinds.data && (
          <EventModelCreate
            kinds={kinds.data}
            datasetId={props.datasetId}
            onTrained={(id) => {
              models.reload();
              props.go({ model: id });
            }}
          />
        )}
      </details>
    </Section>
  );
}
