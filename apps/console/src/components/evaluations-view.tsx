import { useEffect, useState } from 'preact/hooks';
import { api, apiText } from '../api';
import { usePolling } from '../hooks';
import { href } from '../router';
import { FINISHED, Job } from '../types';
import type { BacktestResultJson, TppResult } from '../pages/evaluations-types';
import { BacktestCharts } from './evaluations-charts';
import { TppTable } from './evaluations-tpp-table';
import { ErrorBox, formatTime, Loading, ProgressBar, Section } from './feedback';
import { Markdown } from './markdown-view';

/** What a finished evaluation shows beyond its job: the report, and the backtest's JSON result. */
interface Outputs {
  report?: string;
  result?: unknown;
  error?: unknown;
}

/** One evaluation: its progress while it runs, then its report rendered and its charts redrawn. */
export function EvaluationView({ id }: { id: string }) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [outputs, setOutputs] = useState<Outputs | null>(null);
  const finished = job !== null && FINISHED.includes(job.status);

  usePolling(
    async () => {
      try {
        setJob(await api<Job>(`/evaluations/${id}`));
        setError(null);
      } catch (e) {
        setError(e);
      }
    },
    2000,
    !finished && !(error && (error as { status?: number }).status === 404),
  );

  useEffect(() => {
    if (job?.status !== 'succeeded') return;
    let stale = false;
    const kind = job.type.replace(/^evaluation\./, '');
    Promise.all([
      apiText(`/evaluations/${id}/report`),
      // a backtest's figures live in its result.json; the table kinds' in the job's result
      kind === 'backtest'
        ? api<unknown>(`/evaluations/${id}/result.json`).catch(() => undefined)
        : job.result,
    ])
      .then(([report, result]) => !stale && setOutputs({ report, result }))
      .catch((e) => !stale && setOutputs({ error: e }));
    return () => {
      stale = true;
    };
  }, [id, job?.status]);

  if (!job) {
    return (
      <Section title="Evaluation">
        <p>
          <a href={href('evaluations')}>← All evaluations</a>
        </p>
        {error ? <ErrorBox error={error} /> : <Loading what="the evaluation" />}
      </Section>
    );
  }
  const kind = job.type.replace(/^evaluation\./, '');
  return (
    <>
      <Section title={`Evaluation: ${kind}`} actions={<a href={href('evaluations')}>← All evaluations</a>}>
        <dl class="eval-facts">
          <dt>Status</dt>
          <dd>
            <span class={`badge ${job.status}`}>{job.status}</span>
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(job.createdAt)}</dd>
          <dt>Finished</dt>
          <dd>{formatTime(job.finishedAt)}</dd>
          <dt>Id</dt>
          <dd>
            <code>{job.id}</code>
          </dd>
        </dl>
        {!finished && (
          <ProgressBar
            fraction={job.progress.fraction}
            label={job.progress.message ?? job.status}
            testId="evaluation-progress"
          />
        )}
        {job.error && <p class="error">{job.error}</p>}
        <ErrorBox error={error} />
      </Section>
      {job.status === 'succeeded' && !outputs && <Loading what="the report" />}
      {outputs?.error !== undefined && <ErrorBox error={outputs.error} />}
      {kind === 'tpp' && isTpp(outputs?.result) && (
        <Section title="Metrics per model">
          <TppTable result={outputs.result} />
        </Section>
      )}
      {kind === 'backtest' && isBacktest(outputs?.result) && (
        <Section title="Charts">
          <BacktestCharts id={id} result={outputs.result} />
        </Section>
      )}
      {outputs?.report !== undefined && (
        <Section title="Report">
          <Markdown text={outputs.report} base={`/evaluations/${id}/`} testId="report" />
        </Section>
      )}
    </>
  );
}

function isTpp(r: unknown): r is TppResult {
  return !!r && Array.isArray((r as TppResult).rows);
}

function isBacktest(r: unknown): r is BacktestResultJson {
  return !!r && typeof (r as BacktestResultJson).settings === 'object';
}
