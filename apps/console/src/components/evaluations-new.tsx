import { useState } from 'preact/hooks';
import { api } from '../api';
import { useApi } from '../hooks';
import { navigate } from '../router';
import type { Job, Page } from '../types';
import { ErrorBox, Section } from './feedback';

/** Where each kind of evaluation is started, and a body to start from. */
const ROUTES = {
  backtest: {
    path: '/evaluations',
    example: (datasetId: string) => ({
      datasetId,
      target: 'CO2',
      lookback: 36,
      horizon: 12,
      folds: 6,
      models: [{ kind: 'naive' }, { kind: 'seasonal-naive', config: { seasonLength: 12 } }],
      intervals: { method: 'split', alpha: 0.1 },
    }),
  },
  tpp: {
    path: '/evaluations/tpp',
    example: () => ({
      datasets: [
        {
          name: 'synthetic',
          source: { kind: 'easytpp', file: '${SHARED_DATA}/events/easytpp_synthetic.json' },
        },
      ],
      models: [{ kind: 'rmtpp' }],
      seeds: [0],
    }),
  },
} as const;
type StartKind = keyof typeof ROUTES;

/**
 * Starts an evaluation from its JSON body (the DTOs are documented at /docs): a backtest (or,
 * with `kind` 'sequences' or 'generation', those protocols) at POST /evaluations, a TPP
 * evaluation at POST /evaluations/tpp. The API's errors are shown with the fields they name.
 */
export function NewEvaluation() {
  const datasets = useApi<Page<{ id: string }>>('/datasets?limit=1');
  const firstDataset = datasets.data?.items[0]?.id ?? '<dataset id>';
  const [kind, setKind] = useState<StartKind>('backtest');
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const body = text ?? JSON.stringify(ROUTES[kind].example(firstDataset), null, 2);

  const submit = async (e: Event) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      setError(new Error(`The body is not JSON: ${(err as Error).message}`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const job = await api<Job>(ROUTES[kind].path, { method: 'POST', body: parsed });
      navigate(`evaluations/${job.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title="Start an evaluation">
      <form onSubmit={submit} class="eval-form">
        <label class="form-field">
          Route
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value as StartKind);
              setText(null);
              setError(null);
            }}
          >
            <option value="backtest">/evaluations: backtest, sequences, generation</option>
            <option value="tpp">/evaluations/tpp: event models</option>
          </select>
        </label>
        <label class="form-field">
          Body (JSON)
          <span class="hint">
            The fields are documented at <a href="../docs">/docs</a>; the example is a starting point.
          </span>
          <textarea
            rows={14}
            spellcheck={false}
            value={body}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <ErrorBox error={error} />
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Starting…' : 'Start'}
          </button>
          {text !== null && (
            <button type="button" onClick={() => setText(null)}>
              Reset to the example
            </button>
          )}
        </div>
      </form>
    </Section>
  );
}
