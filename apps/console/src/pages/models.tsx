import { useEffect, useMemo, useState } from 'preact/hooks';
import { useApi } from '../hooks';
import { navigate, Route } from '../router';
import type { Page } from '../types';
import { ErrorBox, Loading, Section } from '../components/feedback';
import { loadDatasets, ModelCreate } from '../components/models-create';
import { ModelDetailView } from '../components/models-detail';
import { ListedModel, ModelList } from '../components/models-list';
import { ModelZoo } from '../components/models-zoo';
import type { Dataset } from './datasets-types';
import type { ModelSummary, ZooKind } from './models-types';
import '../models.css';

/** #/models: the models, the zoo and the create form; #/models/<id>: one model (models-detail). */
export function ModelsPage({ route }: { route: Route }) {
  const id = route.parts[1];
  if (id) return <ModelDetailView key={id} id={id} route={route} />;
  return <ModelsHome route={route} />;
}

function ModelsHome({ route }: { route: Route }) {
  const kinds = useApi<ZooKind[]>('/models/kinds');
  const models = useModels();
  const [datasets, setDatasets] = useState<Dataset[] | null>(null);
  const [datasetsError, setDatasetsError] = useState<Error | null>(null);
  useEffect(() => {
    loadDatasets().then(setDatasets, setDatasetsError);
  }, []);
  const kind = route.query.get('kind') ?? 'nlinear';
  // the zoo's "Configure" and the form's kind select both write the kind into the route
  const pick = (k: string, focus = false) => {
    navigate('models', { kind: k });
    if (focus) setTimeout(() => document.getElementById('model-kind')?.focus(), 0);
  };

  return (
    <>
      <h1 class="page-title">Models</h1>
      <Section title="Your models">
        {models.error && <ErrorBox error={models.error} />}
        {models.data ? <ModelList models={models.data} /> : !models.error && <Loading what="models" />}
      </Section>
      <Section title="Create a model">
        {(kinds.error || datasetsError) && <ErrorBox error={kinds.error ?? datasetsError} />}
        {kinds.data && datasets ? (
          <ModelCreate
            key={kind}
            kinds={kinds.data}
            datasets={datasets}
            kind={kind}
            onKind={(k) => pick(k, true)}
          />
        ) : (
          !kinds.error && !datasetsError && <Loading what="model kinds and datasets" />
        )}
      </Section>
      <Section title="Model zoo">
        {kinds.data && <ModelZoo kinds={kinds.data} onPick={(k) => pick(k, true)} />}
      </Section>
    </>
  );
}

/** Forecasters and seq2seq models in one list, newest first. */
function useModels() {
  const series = useApi<Page<ModelSummary>>('/models?limit=200');
  const seq2seq = useApi<Page<ModelSummary>>('/seq2seq-models?limit=200');
  const data = useMemo(() => {
    if (!series.data) return undefined;
    const all: ListedModel[] = [
      ...series.data.items.map((m) => ({ ...m, family: 'series' as const })),
      ...(seq2seq.data?.items ?? []).map((m) => ({ ...m, family: 'seq2seq' as const })),
    ];
    return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }, [series.data, seq2seq.data]);
  return { data, error: series.error };
}
