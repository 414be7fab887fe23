import type { Route } from '../router';
import { Section } from '../components/feedback';

export function ForecastPage(_props: { route: Route }) {
  return (
    <Section title="forecast">
      <p class="muted">Being built.</p>
    </Section>
  );
}
