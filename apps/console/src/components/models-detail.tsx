import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { useApi, usePolling } from '../hooks';
import { href, navigate, Route } from '../router';
import { FINISHED, Page } from '../types';
import { lossChartData } from '../pages/models-loss';
import { metricRows } from '../pages/models-format';
import type { ModelDetail, ModelFamily, ModelVersion, TrainJob } from '../pages/models-types';
import { ErrorBox, formatBytes, formatTime, Loading, ProgressBar, Section } from './feedback';
import { DataTable, num } from './data-table';
import { Fact, FactsList } from './facts-list';
import { TimeChart } from './time-chart';

const TRAIN_JOB: Record<ModelFamily, string> = { series: 'model.train', seq2seq: 'seq2seq-model.train' };
const BASE: Record<ModelFamily, string> = { series: '/models', seq2seq: '/seq2seq-models' };

/** One model: what it is, training with live progress and loss curve, and its versions. */
export function ModelDetailView({ id, route }: { id: string; route: Route }) {
  const family: ModelFamily = route.query.get('family') === 'seq2seq' ? 'seq2seq' : 'series';
  const model = useApi<ModelDetail>(`${BASE[family]}/${encodeURIComponent(id)}`);
  const versions = useApi<ModelVersion[]>(
    family === 'series' ? `/models/${encodeURIComponent(id)}/versions` : null,
  );
  const jobId = route.query.get('job');
  const [job, setJob] = useState<TrainJob | null>(null);
  const [jobError, setJobError] = useState<Error | null>(null);

  // Opened without a job: the model's newest training job, so its curve is shown after the fact.
  useEffect(() => {
    if (jobId) return;
    let live = true;
    api<Page<TrainJob>>(`/jobs?type=${TRAIN_JOB[family]}&limit=100`)
      .then((page) => {
        const found = page.items.find((j) => j.payload.modelId === id);
        if (live && found) setJob(found);
      })
      .catch(() => undefined); // the page works without it
    return () => {
      live = false;
    };
  }, [id, jobId, family]);

  // the job the route names, or else the newest one found, followed until it ends
  const followId = jobId ?? job?.id;
  const running = !!followId && (!job || job.id !== followId || !FINISHED.includes(job.status));
  usePolling(
    async () => {
      try {
        const next = await api<TrainJob>(`/jobs/${encodeURIComponent(followId!)}`);
        setJob(next);
        setJobError(null);
        if (FINISHED.includes(next.status)) {
          model.reload();
          versions.reload();
        }
      } catch (e) {
        setJobError(e as Error);
      }
    },
    500,
    running,
  );

  const m = model.data;
  // Training is offered at once (it needs only the id): a page opened right after creating the
  // model can start it while the model's facts still load.
  return (
    <>
      <p>
        <a href={href('models')}>← all models</a>
      </p>
      {model.error && <ErrorBox error={model.error} />}
      {!m && !model.error && <Loading what="the model" />}
      {m && (
        <Section
          title={m.name}
          actions={
            m.status === 'trained' && family === 'series' ? (
              <a class="button primary" href={href('forecast', { model: m.id })}>
                Forecast with this model
              </a>
            ) : undefined
          }
        >
          <ModelFacts model={m} family={family} />
        </Section>
      )}
      <Section title="Training">
        <TrainControls id={id} model={m} family={family} job={job} />
        <ErrorBox error={jobError} />
        {job && <TrainProgress job={job} />}
      </Section>
      {family === 'series' && (
        <Section title="Versions">
          {versions.error && <ErrorBox error={versions.error} />}
          {versions.data && <VersionsTable modelId={id} versions={versions.data} />}
        </Section>
      )}
    </>
  );
}

function ModelFacts({ model: m, family }: { model: ModelDetail; family: ModelFamily }) {
  const facts: Fact[] = [
    ['kind', <code>{m.kind}</code>],
    ['status', <span class={`badge ${m.status === 'trained' ? 'succeeded' : m.status}`}>{m.status}</span>],
    ['dataset', <a href={href(`datasets/${m.datasetId}`)}>{m.datasetId.slice(0, 8)}…</a>],
  ];
  if (family === 'series') {
    facts.push(['column', (m.targets ?? [m.target]).join(', ')]);
    facts.push(['lookback', String(m.lookback)], ['horizon', String(m.horizon)]);
  }
  facts.push(['created', formatTime(m.createdAt)]);
  if (m.diskBytes !== undefined) facts.push(['on disk', formatBytes(m.diskBytes)]);
  return (
    <>
      <FactsList class="facts" facts={facts} />
      <details class="config-details">
        <summary>Config</summary>
        <DataTable
          columns={['option', 'value']}
          rows={Object.entries(m.config)}
          row={([k, v]) => (
            <tr key={k}>
              <td>
                <code>{k}</code>
              </td>
              <td>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>
            </tr>
          )}
        />
      </details>
    </>
  );
}

function TrainControls({
  id,
  model,
  family,
  job,
}: {
  id: string;
  model: ModelDetail | undefined;
  family: ModelFamily;
  job: TrainJob | null;
}) {
  const [fitOn, setFitOn] = useState<'split' | 'all'>('split');
  const [resume, setResume] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const active = !!job && !FINISHED.includes(job.status);
  const train = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...(family === 'series' ? { fitOn } : {}),
        ...(resume && model?.checkpoint ? { resume: true } : {}),
      };
      const queued = await api<TrainJob>(`${BASE[family]}/${id}/train`, { body });
      navigate(`models/${id}`, { ...(family === 'seq2seq' ? { family } : {}), job: queued.id });
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="row train-form" onSubmit={train}>
      {family === 'series' && (
        <div class="form-field">
          <label for="train-fit-on">Fit on</label>
          <select
            id="train-fit-on"
            value={fitOn}
            onChange={(e) => setFitOn(e.currentTarget.value as 'split' | 'all')}
          >
            <option value="split">first 70% (tested on the last 20%)</option>
            <option value="all">every row (refit after the split fit)</option>
          </select>
        </div>
      )}
      {model?.checkpoint && (
        <label class="check-label">
          <input type="checkbox" checked={resume} onChange={(e) => setResume(e.currentTarget.checked)} />{' '}
          resume ({model.checkpoint.message})
        </label>
      )}
      <button type="submit" class="primary" data-testid="train-button" disabled={busy || active}>
        {active ? 'Training…' : model?.latestVersionId ? 'Train again' : 'Train'}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function TrainProgress({ job }: { job: TrainJob }) {
  const curve = job.progress.curve ?? [];
  // the chart rebuilds when its arrays change: only when an epoch was added, not at every poll
  const data = useMemo(() => lossChartData(curve), [job.id, curve.length]);
  const label = `${job.status}${job.progress.message ? `: ${job.progress.message}` : ''}`;
  return (
    <div class="train-progress" aria-live="polite">
      <ProgressBar fraction={job.progress.fraction} label={label} testId="train-progress" />
      {job.error && <p class="error">{job.error}</p>}
      {curve.length > 0 ? (
        <TimeChart
          x={data.x}
          lines={data.lines}
          time={false}
          height={260}
          title="Loss by epoch"
          xLabel={data.xLabel}
          yLabel="loss"
          testId="loss-chart"
        />
      ) : (
        <p class="muted">
          {FINISHED.includes(job.status)
            ? 'This training reported no epochs (the kind is fitted in closed form): no loss curve.'
            : 'The loss curve appears when the first epoch ends.'}
        </p>
      )}
    </div>
  );
}

function VersionsTable({ modelId, versions }: { modelId: string; versions: ModelVersion[] }) {
  return (
    <DataTable
      class="versions"
      columns={[num('version'), 'created', 'fit on', 'metrics', num('size'), 'forecast']}
      rows={versions}
      empty="Not trained yet: train it to get a first version."
      row={(v) => (
        <tr key={v.id} data-version={v.version}>
          <td class="num">{v.version}</td>
          <td>{formatTime(v.createdAt)}</td>
          <td>{v.fitOn ?? 'split'}</td>
          <td>
            <ul class="metric-list">
              {metricRows(v.metrics).map(([k, val]) => (
                <li key={k}>
                  <span class="muted">{k}</span> {val}
                </li>
              ))}
            </ul>
          </td>
          <td class="num">{v.diskBytes == null ? '–' : formatBytes(v.diskBytes)}</td>
          <td>
            <a href={href('forecast', { model: modelId, version: v.version })}>forecast</a>
          </td>
        </tr>
      )}
    />
  );
}
