import type { Route } from '../router';
import { Section } from '../components/feedback';

export function EvaluationsPage(_props: { route: Route }) {
  return (
    <Section title="evaluations">
      <p class="muted">Being built.</p>
    </Section>
  );
}
