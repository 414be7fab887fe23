import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { apiKey, onUnauthorised, setApiKey } from './api';
import { Route, useRoute } from './router';
import { DatasetsPage } from './pages/datasets';
import { ModelsPage } from './pages/models';
import { ForecastPage } from './pages/forecast';
import { EvaluationsPage } from './pages/evaluations';
import { EventsPage } from './pages/events';
import { JobsPage } from './pages/jobs';

/** The pages, in the order of the navigation; the first is the landing page. */
const PAGES: { path: string; title: string; page: ComponentType<{ route: Route }> }[] = [
  { path: 'datasets', title: 'Datasets', page: DatasetsPage },
  { path: 'models', title: 'Models', page: ModelsPage },
  { path: 'forecast', title: 'Forecast', page: ForecastPage },
  { path: 'evaluations', title: 'Evaluations', page: EvaluationsPage },
  { path: 'events', title: 'Event models', page: EventsPage },
  { path: 'jobs', title: 'Jobs', page: JobsPage },
];

export function App() {
  const route = useRoute();
  const current = PAGES.find((p) => p.path === route.parts[0]) ?? PAGES[0];
  const Page = current.page;
  useEffect(() => {
    document.title = `${current.title} · seqcast`;
  }, [current]);
  return (
    <div class="shell">
      <a
        class="skip"
        href="#main"
        onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}
      >
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/datasets">
          seqcast
        </a>
        <nav aria-label="pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a href={`#/${p.path}`} aria-current={p === current ? 'page' : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <KeyBox />
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <footer class="foot">
        API documentation: <a href="../docs">/docs</a>
      </footer>
    </div>
  );
}

/**
 * The API key, entered once and kept for the browser session. The embedded default needs none;
 * the box opens by itself when a request is refused with 401.
 */
function KeyBox() {
  const [open, setOpen] = useState(false);
  const [asked, setAsked] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [hasKey, setHasKey] = useState(apiKey() !== null);
  useEffect(
    () =>
      onUnauthorised((e) => {
        setAsked(e.message);
        setOpen(true);
      }),
    [],
  );
  const save = (e: Event) => {
    e.preventDefault();
    setApiKey(draft.trim() || null);
    setHasKey(draft.trim() !== '');
    setDraft('');
    setOpen(false);
    setAsked(null);
    // every page reloads what it shows with the new key
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  };
  return (
    <div class="keybox">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        {hasKey ? 'API key ✓' : 'API key'}
      </button>
      {open && (
        <form class="keyform" onSubmit={save}>
          {asked && <p class="error">This server needs an API key: {asked}</p>}
          <label>
            API key
            <input
              type="password"
              autoComplete="off"
              value={draft}
              onInput={(e) => setDraft(e.currentTarget.value)}
            />
          </label>
          <button type="submit">{draft.trim() ? 'Use this key' : 'Forget the key'}</button>
          <p class="muted">Kept in this browser tab's session only.</p>
        </form>
      )}
    </div>
  );
}
