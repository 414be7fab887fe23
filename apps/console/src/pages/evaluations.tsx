import type { Route } from '../router';
import { EvaluationsList } from '../components/evaluations-list';
import { NewEvaluation } from '../components/evaluations-new';
import { EvaluationView } from '../components/evaluations-view';
import '../evaluations.css';
import '../lists.css';

/** #/evaluations: the list and a form to start one; #/evaluations/<id>: one evaluation. */
export function EvaluationsPage({ route }: { route: Route }) {
  const id = route.parts[1];
  if (id) return <EvaluationView key={id} id={id} />;
  return (
    <>
      <EvaluationsList route={route} />
      <NewEvaluation />
    </>
  );
}
