import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { useFollowedJob } from '../hooks';
import { FINISHED, Job, ModelKind } from '../types';
import { ErrorBox, ProgressBar } from './feedback';
import { SchemaForm } from './schema-form';
import { apiFieldErrors, FieldErrors, FormState, initialState, toConfig } from './schema-form-values';

/**
 * Configures an event model on the chosen dataset from its kind's schema, then trains it as a
 * job and follows the job's progress; `onTrained` gets the model once the job has succeeded.
 */
export function EventModelCreate({
  kinds,
  datasetId,
  onTrained,
}: {
  kinds: ModelKind[];
  datasetId: string;
  onTrained: (modelId: string) => void;
}) {
  const [kind, setKind] = useState(kinds[0]?.kind ?? '');
  const def = kinds.find((k) => k.kind === kind) ?? kinds[0];
  const [name, setName] = useState('');
  const [state, setState] = useState<FormState>(() => (def ? initialState(def.configSchema) : {}));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [modelId, setModelId] = useState('');
  const [followed, follow] = useFollowedJob(1000, (done) => {
    if (done.status === 'succeeded') onTrained(modelId);
  });

  // a new kind starts from its own defaults
  useEffect(() => {
    if (def) setState(initialState(def.configSchema));
    setErrors({});
    setFailure(null);
  }, [def]);

  if (!def) return <p class="muted">The server lists no event model kinds.</p>;

  const submit = async (e: Event) => {
    e.preventDefault();
    const { config, errors: found } = toConfig(def.configSchema, state);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const model = await api<{ id: string }>('/event-models', {
        body: { kind: def.kind, config, datasetId, ...(name.trim() ? { name: name.trim() } : {}) },
      });
      const j = await api<Job>(`/event-models/${model.id}/train`, { body: {} });
      setModelId(model.id);
      follow(j);
    } catch (err) {
      setFailure(err as Error);
      setErrors(apiFieldErrors(err as ApiError));
    } finally {
      setBusy(false);
    }
  };

  const training = followed && !FINISHED.includes(followed.status);
  return (
    <form onSubmit={submit} class="events-create" aria-label="create and train an event model">
      <div class="form-grid">
        <div class="form-field">
          <label for="event-kind">Kind</label>
          <select id="event-kind" value={def.kind} onChange={(e) => setKind(e.currentTarget.value)}>
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.title} ({k.kind})
              </option>
            ))}
          </select>
          <span class="hint">{def.description}</span>
        </div>
        <div class="form-field">
          <label for="event-model-name">Name (optional)</label>
          <input id="event-model-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
      </div>
      <details class="events-options">
        <summary>Options of {def.title}</summary>
        <SchemaForm
          schema={def.configSchema}
          state={state}
          onChange={setState}
          errors={errors}
          idPrefix="event-cfg-"
        />
      </details>
      <div class="row">
        <button type="submit" class="primary" disabled={busy || !!training}>
          Create and train
        </button>
      </div>
      <ErrorBox error={failure} />
      {followed && (
        <div aria-live="polite">
          <ProgressBar
            fraction={followed.progress.fraction}
            label={`training (${followed.status}${followed.progress.message ? `: ${followed.progress.message}` : ''})`}
            testId="event-train-progress"
          />
          {followed.status === 'failed' && <p class="error">Training failed: {followed.error}</p>}
        </div>
      )}
    </form>
  );
}
