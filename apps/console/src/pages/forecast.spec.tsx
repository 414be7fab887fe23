import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { parseRoute } from '../router';
import { ForecastPage } from './forecast';
import type { ForecastAnswer, ModelSummary } from './forecast-types';

// uPlot needs a canvas, which jsdom lacks: the chart here is its wrapper with the data
// attributes the real one writes, so the test reads what the page hands to it.
jest.mock('../components/time-chart', () => ({
  TimeChart: (p: { testId: string; lines: { label: string }[]; bands?: { label: string }[] }) => (
    <figure
      data-testid={p.testId}
      data-lines={p.lines.map((l) => l.label).join('|')}
      data-bands={(p.bands ?? []).map((b) => b.label).join('|')}
    />
  ),
}));

const DS = 'd0000000-0000-4000-8000-000000000000';
const model = (id: string, name: string, kind: string, status = 'trained'): ModelSummary => ({
  id,
  name,
  kind,
  datasetId: DS,
  target: 'CO2',
  targets: ['CO2'],
  lookback: 12,
  horizon: 6,
  status,
  latestVersionId: status === 'trained' ? `v-${id}` : null,
});
const MODELS = [
  model('theta', 'theta co2', 'theta'),
  model('nl', 'nlinear co2', 'nlinear'),
  model('new', 'untrained', 'nlinear', 'created'),
];

const stamp = (month: number) => new Date(Date.UTC(2020, month, 1)).toISOString();
const iso = (ms: number) => new Date(ms).toISOString();
// the series' summary: 100 rows 30 days apart on average, the last at the forecast's origin
const GAP = 30 * 86_400_000;
const END = Date.parse(stamp(3));

function forecastAnswer(modelId: string, horizon: number, quantiles?: number[]): ForecastAnswer {
  const point = Array.from({ length: horizon }, (_, i) => 400 + i);
  return {
    id: `f-${modelId}`,
    modelId,
    modelVersionId: `v-${modelId}`,
    seriesKey: '',
    horizon,
    origin: stamp(3),
    frequency: '1M',
    start: stamp(4),
    interval: null,
    adaptation: null,
    steps: point.map((value, i) => ({ step: i + 1, timestamp: stamp(4 + i), value })),
    channels: ['CO2'],
    point: [point],
    ...(quantiles
      ? {
          quantiles: Object.fromEntries(
            quantiles.map((q) => [String(q), [point.map((v) => v + (q - 0.5) * 10)]]),
          ),
        }
      : {}),
  };
}

type Call = { url: string; method: string; body?: Record<string, unknown> };
let calls: Call[];

function reply(status: number, body: unknown) {
  return {
    ok: status < 300,
    status,
    statusText: String(status),
    json: async () => body,
    blob: async () => new Blob([JSON.stringify(body)]),
    text: async () => JSON.stringify(body),
  };
}

beforeEach(() => {
  calls = [];
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ url, method, body });
    if (url.startsWith('/models?')) return reply(200, { items: MODELS, total: MODELS.length });
    if (url === '/models/kinds')
      return reply(200, [
        { family: 'series', kind: 'theta', capabilities: ['probabilistic'] },
        { family: 'series', kind: 'nlinear', capabilities: ['differentiable'] },
      ]);
    if (url.startsWith(`/datasets/${DS}/series?`))
      return reply(200, {
        items: [{ key: '', rows: 100, first: iso(END - 99 * GAP), last: iso(END) }],
        total: 1,
      });
    if (url.startsWith(`/datasets/${DS}/values?`)) {
      const months = [0, 1, 2, 3];
      return reply(200, { key: '', times: months.map(stamp), columns: { CO2: months.map((m) => 390 + m) } });
    }
    const m = /^\/models\/([^/]+)\/forecast$/.exec(url);
    if (m) {
      // theta serves only the levels of its config (80, 95): a 50% interval is refused
      const q = body?.quantiles as number[] | undefined;
      if (q?.includes(0.25))
        return reply(422, {
          error: 'unprocessable',
          message: 'This forecast has no quantile 0.25',
          details: [{ field: 'quantiles', reason: 'not available' }],
        });
      const own = m[1] === 'theta' ? (q ?? [0.025, 0.1, 0.9, 0.975]) : undefined;
      return reply(200, forecastAnswer(m[1], body!.horizon as number, own));
    }
    if (/\/models\/[^/]+\/(calibrators|adapters|versions)$/.test(url)) return reply(200, []);
    return reply(404, { error: 'not_found', message: `no route ${url}` });
  }) as unknown as typeof fetch;
  location.hash = '';
});

const show = (hash: string) => render(<ForecastPage route={parseRoute(hash)} />);
const chart = () => screen.findByTestId('forecast-chart');

describe('ForecastPage', () => {
  it('lists only trained models', async () => {
    show('#/forecast');
    const select = await screen.findByTestId('forecast-model');
    const names = Array.from((select as HTMLSelectElement).options).map((o) => o.textContent);
    expect(names).toEqual(['Choose a trained model…', 'theta co2 (theta)', 'nlinear co2 (nlinear)']);
  });

  it("asks a probabilistic model for its levels' quantiles and draws history, forecast and bands", async () => {
    show('#/forecast?model=theta&horizon=3&levels=80,95&n=2');
    const el = await chart();
    await waitFor(() => expect(el.getAttribute('data-lines')).toBe('history|theta co2'));
    expect(el.getAttribute('data-bands')).toBe('theta co2 80%|theta co2 95%');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/models/theta/forecast');
    expect(post.body).toEqual({ horizon: 3, quantiles: [0.025, 0.1, 0.9, 0.975] });
    // the one series has the empty key: read by ?key=, from 1.5 x n average gaps before its end
    const values = calls.find((c) => c.url.includes('/values?'))!;
    const q = new URLSearchParams(values.url.split('?')[1]);
    expect(q.get('key')).toBe('');
    expect(q.get('from')).toBe(iso(END - 3 * GAP));
  });

  it('falls back to the levels the model has when it refuses one, and says so', async () => {
    show('#/forecast?model=theta&horizon=3&levels=50,80');
    const el = await chart();
    await waitFor(() => expect(el.getAttribute('data-bands')).toBe('theta co2 80%|theta co2 95%'));
    const posts = calls.filter((c) => c.method === 'POST').map((c) => c.body);
    expect(posts).toEqual([{ horizon: 3, quantiles: [0.1, 0.25, 0.75, 0.9] }, { horizon: 3 }]);
    expect(screen.getByText(/could not give every level asked/)).toBeTruthy();
  });

  it('asks a point model for no quantiles and says it has no intervals', async () => {
    show('#/forecast?model=nl&horizon=4');
    const el = await chart();
    expect(el.getAttribute('data-bands')).toBe('');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ horizon: 4 });
    expect(screen.getByText(/gives no intervals: nlinear makes point forecasts/)).toBeTruthy();
  });

  it('overlays a second model with its own line', async () => {
    show('#/forecast?model=theta&horizon=3&levels=80&compare=nl');
    const el = await chart();
    await waitFor(() => expect(el.getAttribute('data-lines')).toBe('history|theta co2|nlinear co2'));
    expect(el.getAttribute('data-bands')).toBe('theta co2 80%');
  });

  it("puts the form in the route, the model's horizon by default", async () => {
    show('#/forecast');
    const select = (await screen.findByTestId('forecast-model')) as HTMLSelectElement;
    fireEvent.change(select, { target: { value: 'nl' } });
    await waitFor(() => expect((screen.getByTestId('forecast-horizon') as HTMLInputElement).value).toBe('6'));
    fireEvent.click(screen.getByTestId('forecast-submit'));
    const q = new URLSearchParams(location.hash.split('?')[1]);
    expect(q.get('model')).toBe('nl');
    expect(q.get('horizon')).toBe('6');
    expect(q.get('levels')).toBe('80,95');
  });

  it('shows the field the API names when a horizon is refused', async () => {
    const original = (globalThis.fetch as jest.Mock).getMockImplementation()!;
    (globalThis.fetch as jest.Mock).mockImplementation(
      async (input: RequestInfo | URL, init?: RequestInit) =>
        String(input).endsWith('/forecast')
          ? reply(422, {
              error: 'unprocessable',
              message: 'horizon 900 is beyond what model nl forecasts (1..100)',
              details: [{ field: 'horizon', reason: 'must be an integer in 1..100' }],
            })
          : original(input, init),
    );
    show('#/forecast?model=nl&horizon=900');
    expect(await screen.findByText('must be an integer in 1..100')).toBeTruthy();
    expect(screen.queryByTestId('forecast-chart')).toBeNull();
  });
});
