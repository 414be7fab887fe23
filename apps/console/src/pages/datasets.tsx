import type { Route } from '../router';
import { Section } from '../components/feedback';

export function DatasetsPage(_props: { route: Route }) {
  return (
    <Section title="datasets">
      <p class="muted">Being built.</p>
    </Section>
  );
}
