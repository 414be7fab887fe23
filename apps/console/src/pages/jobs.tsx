import type { Route } from '../router';
import { Section } from '../components/feedback';

export function JobsPage(_props: { route: Route }) {
  return (
    <Section title="jobs">
      <p class="muted">Being built.</p>
    </Section>
  );
}
