import type { Route } from '../router';
import { Section } from '../components/feedback';

export function EventsPage(_props: { route: Route }) {
  return (
    <Section title="events">
      <p class="muted">Being built.</p>
    </Section>
  );
}
