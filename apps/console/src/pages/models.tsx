import type { Route } from '../router';
import { Section } from '../components/feedback';

export function ModelsPage(_props: { route: Route }) {
  return (
    <Section title="models">
      <p class="muted">Being built.</p>
    </Section>
  );
}
