import { render, waitFor } from '@testing-library/preact';
import { parseRoute } from '../router';
import { EventsPage } from './events';

// uPlot needs a canvas jsdom lacks: the chart is replaced by its data attributes
jest.mock('../components/time-chart', () => ({
  TimeChart: (p: { testId: string; lines: { label: string; y: ArrayLike<number | null> }[] }) => (
    <figure data-testid={p.testId} data-lines={p.lines.map((l) => l.label).join('|')} />
  ),
}));

const DATASET = '11111111-1111-4111-8111-111111111111';
const MODEL = '22222222-2222-4222-8222-222222222222';
const curve = {
  typeNames: ['quake', 'tremor'],
  unit: 'as given',
  after: 2.5,
  gaps: [0, 1],
  times: [2.5, 3.5],
  intensity: [
    [1, 0.5],
    [0.2, 0.2],
  ],
  total: [1.2, 0.7],
  compensator: [0, 0.9],
  survival: [1, 0.41],
  density: [1.2, 0.29],
  along: {
    times: [0, 2.5],
    intensity: [
      [0.3, 1],
      [0.2, 0.2],
    ],
    total: [0.5, 1.2],
  },
};

function answer(url: string, body: unknown): unknown {
  if (url.startsWith('/datasets?'))
    return {
      items: [
        { id: 'series-1', name: 'co2', kind: 'series' },
        {
          id: DATASET,
          name: 'quakes',
          kind: 'events',
          latest: {
            version: 1,
            schema: { kind: 'events', timeColumn: 't', typeColumn: 'kind' },
            seriesCount: 2,
            stats: { columns: { kind: { top: { tremor: 3, quake: 2 } } } },
          },
        },
      ],
      total: 2,
    };
  if (url.startsWith(`/datasets/${DATASET}/series?`))
    return { items: [{ key: 's1', rows: 3, first: 0, last: 2.5 }], total: 2 };
  if (url === `/datasets/${DATASET}/series/s1`)
    return { key: 's1', times: [0, 1, 2.5], columns: { kind: ['tremor', 'quake', 'tremor'] } };
  if (url.startsWith('/event-models?'))
    return {
      items: [
        { id: MODEL, name: 'nhp', kind: 'nhp', datasetId: DATASET, status: 'trained', latestVersionId: 'v' },
      ],
      total: 1,
    };
  if (url === '/event-models/kinds') return [];
  if (url === `/event-models/${MODEL}/intensity`) return curve;
  if (url === `/event-models/${MODEL}/predict`)
    return {
      typeNames: ['quake', 'tremor'],
      next: {
        gapMean: 0.8,
        timeMean: 3.3,
        gapQuantiles: { '0.5': 0.6 },
        timeQuantiles: { '0.5': 3.1 },
        type: 1,
        typeName: 'tremor',
        typeProbabilities: [0.25, 0.75],
      },
    };
  throw new Error(`unexpected ${url} ${JSON.stringify(body)}`);
}

describe('EventsPage', () => {
  const calls: { url: string; body: unknown }[] = [];
  beforeEach(() => {
    calls.length = 0;
    globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ url, body });
      // jsdom has no Response: what api.ts reads of one
      const json = answer(url, body);
      return { ok: true, status: 200, statusText: 'OK', json: async () => json } as Response;
    }) as typeof fetch;
  });

  it("draws the sequence by type and asks the chosen model about that sequence's history", async () => {
    const { container } = render(
      <EventsPage route={parseRoute(`#/events?dataset=${DATASET}&seq=0&model=${MODEL}`)} />,
    );
    const timeline = await waitFor(() => {
      const el = container.querySelector('[data-testid=event-timeline]');
      if (!el) throw new Error('no timeline yet');
      return el;
    });
    // only event datasets are offered; the types in the server's order (names sorted)
    const select = container.querySelector<HTMLSelectElement>('[data-testid=event-dataset]')!;
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['quakes']);
    expect(timeline.getAttribute('data-lines')).toBe('quake|tremor');
    expect(container.querySelector<HTMLInputElement>('[data-testid=event-sequence]')!.value).toBe('0');

    await waitFor(() => expect(container.querySelector('[data-testid=type-probabilities]')).not.toBeNull());
    const intensity = calls.find((c) => c.url === `/event-models/${MODEL}/intensity`)!;
    expect(intensity.body).toEqual({
      history: { times: [0, 1, 2.5], types: ['tremor', 'quake', 'tremor'] },
      points: 300,
      along: true,
    });
    expect(container.querySelector('[data-testid=intensity-chart]')!.getAttribute('data-lines')).toBe(
      'λ quake|λ tremor|total',
    );
    expect(container.querySelector('[data-testid=next-time-chart]')).not.toBeNull();
    const rows = container.querySelectorAll('[data-testid=type-probabilities] tbody tr');
    expect(Array.from(rows).map((r) => r.getAttribute('data-type'))).toEqual(['tremor', 'quake']);
    expect(container.querySelector('[data-testid=generate-button]')).not.toBeNull();
  });
});
