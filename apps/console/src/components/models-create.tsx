import { useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { navigate } from '../router';
import type { Page } from '../types';
import type { Dataset } from '../pages/datasets-types';
import type { ModelSummary, ZooKind } from '../pages/models-types';
import { ErrorBox } from './feedback';
import { SchemaForm } from './schema-form';
import { apiFieldErrors, FieldErrors, FormState, initialState, toConfig } from './schema-form-values';

/** The create inputs outside the config, whose API errors are shown next to their own control. */
const TOP_FIELDS = ['name', 'kind', 'datasetId', 'target', 'lookback', 'horizon'] as const;

/**
 * Creates a model: a kind, a dataset (and for a forecaster its column, lookback and horizon),
 * and the kind's config from its schema. Only the options changed from their defaults are sent,
 * so the server fills role options (a forecaster's `lags`, `lookback`, ...) from the inputs.
 * The page keys it by kind: a new kind starts afresh from its own defaults.
 */
export function ModelCreate({
  kinds,
  datasets,
  kind,
  onKind,
}: {
  kinds: ZooKind[];
  datasets: Dataset[];
  kind: string;
  onKind: (kind: string) => void;
}) {
  const def = kinds.find((k) => k.kind === kind) ?? kinds[0];
  const seq2seq = def?.family === 'seq2seq';
  const usable = datasets.filter((d) => d.kind === (seq2seq ? 'seq2seq' : 'series'));
  const [datasetId, setDatasetId] = useState('');
  const dataset = usable.find((d) => d.id === datasetId) ?? usable[0];
  const columns = dataset?.latest?.schema.valueColumns ?? [];
  const [target, setTarget] = useState('');
  const column = columns.includes(target) ? target : (columns[0] ?? '');
  const [name, setName] = useState('');
  const [lookback, setLookback] = useState('24');
  const [horizon, setHorizon] = useState('12');
  const [state, setState] = useState<FormState>(() => (def ? startState(def) : {}));
  const [errors, setErrors] = useState<FieldErrors>({});
  // errors of the inputs outside the config, by their API field name
  const [topErrors, setTopErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);

  // role options start blank: left so, the server fills them from the lookback and horizon inputs
  const { notes, placeholders } = useMemo(() => {
    const notes: Record<string, string> = {};
    const placeholders: Record<string, string> = {};
    const roles = def?.roles ?? {};
    const fill = (field: string | undefined, input: string, value: string) => {
      if (!field) return;
      notes[field] = `blank: the ${input} above (${value})`;
      placeholders[field] = `= ${input} (${value})`;
    };
    fill(roles.lookback, 'lookback', lookback);
    fill(roles.horizon, 'horizon', horizon);
    fill(roles.maxHorizon, 'horizon', horizon);
    return { notes, placeholders };
  }, [def, lookback, horizon]);

  if (!def) return <p class="muted">The server lists no model kinds.</p>;

  const submit = async (e: Event) => {
    e.preventDefault();
    const { config, errors: found } = toConfig(def.configSchema, state);
    const top: FieldErrors = {};
    if (!dataset) top.datasetId = `no ${seq2seq ? 'seq2seq' : 'series'} dataset yet: upload one first`;
    if (!seq2seq) {
      for (const [field, text] of [
        ['lookback', lookback],
        ['horizon', horizon],
      ] as const)
        if (!/^\d+$/.test(text.trim()) || Number(text) < 1) top[field] = 'a whole number ≥ 1';
      if (dataset && !column) top.target = 'the dataset has no value column';
    }
    setErrors(found);
    setTopErrors(top);
    setFailure(null);
    if (Object.keys(found).length || Object.keys(top).length) return;
    const body = seq2seq
      ? { kind: def.kind, datasetId: dataset!.id, config, ...(name.trim() ? { name: name.trim() } : {}) }
      : {
          kind: def.kind,
          datasetId: dataset!.id,
          target: column,
          lookback: Number(lookback),
          horizon: Number(horizon),
          config,
          ...(name.trim() ? { name: name.trim() } : {}),
        };
    setBusy(true);
    try {
      const created = await api<ModelSummary>(seq2seq ? '/seq2seq-models' : '/models', { body });
      navigate(`models/${created.id}`, seq2seq ? { family: 'seq2seq' } : {});
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : null;
      const top: FieldErrors = {};
      for (const f of TOP_FIELDS) {
        const reasons = apiErr?.forField(f) ?? [];
        if (reasons.length) top[f] = reasons.join('; ');
      }
      setErrors(apiFieldErrors(apiErr));
      setTopErrors(top);
      setFailure(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const topError = (field: string) => topErrors[field];
  return (
    <form data-testid="model-create" class="model-create" onSubmit={submit} noValidate>
      <div class="form-grid">
        <TopField id="model-kind" label="Kind" error={topError('kind')}>
          <select
            id="model-kind"
            data-testid="model-kind"
            value={def.kind}
            onChange={(e) => onKind(e.currentTarget.value)}
          >
            {(['series', 'seq2seq'] as const).map((family) => (
              <optgroup key={family} label={family === 'series' ? 'forecasters' : 'sequence-to-sequence'}>
                {kinds
                  .filter((k) => k.family === family)
                  .map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.title} ({k.kind})
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </TopField>
        <TopField id="model-dataset" label="Dataset" error={topError('datasetId')}>
          <select
            id="model-dataset"
            data-testid="model-dataset"
            value={dataset?.id ?? ''}
            onChange={(e) => setDatasetId(e.currentTarget.value)}
          >
            {usable.length === 0 && <option value="">no {seq2seq ? 'seq2seq' : 'series'} datasets</option>}
            {usable.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </TopField>
        {!seq2seq && (
          <>
            <TopField id="model-column" label="Column to forecast" error={topError('target')}>
              <select
                id="model-column"
                data-testid="model-column"
                value={column}
                onChange={(e) => setTarget(e.currentTarget.value)}
              >
                {columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </TopField>
            <TopField
              id="model-lookback"
              label="Lookback (steps of history)"
              error={topError('lookback')}
              hint={def.roles?.lookback ? `fills the config's ${def.roles.lookback}` : undefined}
            >
              <input
                id="model-lookback"
                name="lookback"
                type="number"
                min={1}
                step={1}
                value={lookback}
                onInput={(e) => setLookback(e.currentTarget.value)}
              />
            </TopField>
            <TopField
              id="model-horizon"
              label="Horizon (steps ahead)"
              error={topError('horizon')}
              hint={
                def.roles?.horizon || def.roles?.maxHorizon
                  ? `fills the config's ${def.roles.horizon ?? def.roles.maxHorizon}`
                  : undefined
              }
            >
              <input
                id="model-horizon"
                name="horizon"
                type="number"
                min={1}
                step={1}
                value={horizon}
                onInput={(e) => setHorizon(e.currentTarget.value)}
              />
            </TopField>
          </>
        )}
        <TopField id="model-name" label="Name (optional)" error={topError('name')}>
          <input
            id="model-name"
            name="name"
            type="text"
            value={name}
            placeholder={`${def.kind} on ${seq2seq ? (dataset?.name ?? '…') : column || '…'}`}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </TopField>
      </div>
      <h3 class="config-title">
        Config of <code>{def.kind}</code>
      </h3>
      <p class="muted">{def.description}</p>
      <SchemaForm
        schema={def.configSchema}
        state={state}
        onChange={setState}
        errors={errors}
        notes={seq2seq ? undefined : notes}
        placeholders={seq2seq ? undefined : placeholders}
      />
      <ErrorBox error={failure} />
      <div class="row form-actions">
        <button type="submit" class="primary" data-testid="model-submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create model'}
        </button>
        <button type="button" onClick={() => setState(startState(def))}>
          Reset to defaults
        </button>
      </div>
    </form>
  );
}

/** A kind's form at its defaults, its role options blank (a forecaster's create inputs fill them). */
export function startState(kind: ZooKind): FormState {
  const state = initialState(kind.configSchema);
  if (kind.family === 'series')
    for (const field of Object.values(kind.roles ?? {})) if (field && field in state) state[field] = '';
  return state;
}

function TopField(p: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: preact.ComponentChildren;
}) {
  return (
    <div class="form-field">
      <label for={p.id}>{p.label}</label>
      {p.children}
      {p.hint && <span class="hint">{p.hint}</span>}
      {p.error && (
        <p class="field-error" id={`${p.id}-error`} role="alert">
          {p.error}
        </p>
      )}
    </div>
  );
}

/** The datasets the create form offers (all of them; the form keeps those the kind can use). */
export async function loadDatasets(): Promise<Dataset[]> {
  return (await api<Page<Dataset>>('/datasets?limit=200')).items;
}
