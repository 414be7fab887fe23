import { fireEvent, render, waitFor } from '@testing-library/preact';
import type { ChartLine, TimeChartProps } from '../components/time-chart';
import { parseRoute } from '../router';
import { ModelsPage } from './models';

// The chart draws on a canvas jsdom lacks: stand in for it with what it would be handed.
jest.mock('../components/time-chart', () => ({
  TimeChart: (p: TimeChartProps) => (
    <figure
      data-testid={p.testId}
      data-x={Array.from(p.x).join(',')}
      data-lines={p.lines.map((l: ChartLine) => `${l.label}:${Array.from(l.y).join(',')}`).join('|')}
    />
  ),
}));

const KINDS = [
  {
    family: 'series',
    kind: 'ar-net',
    title: 'AR-Net',
    description: 'one linear layer',
    roles: { lookback: 'lags', horizon: 'horizon' },
    capabilities: ['trained'],
    configSchema: {
      type: 'object',
      properties: {
        lags: { type: 'integer', default: 20, minimum: 1 },
        horizon: { type: 'integer', default: 1, minimum: 1 },
        epochs: { type: 'integer', default: 0, minimum: 0 },
        loss: { type: 'string', enum: ['mse', 'huber'], default: 'mse' },
      },
    },
  },
];
const DATASET = {
  id: 'd1',
  name: 'ili',
  kind: 'series',
  latest: { schema: { kind: 'series', valueColumns: ['OT', 'ILITOTAL'] } },
};
const MODEL_ID = '11111111-2222-3333-4444-555555555555';

type Reply = { status?: number; body: unknown };
/** fetch answering by "METHOD path" (the first route that matches the start of the path). */
function mockFetch(routes: Record<string, Reply | ((body: unknown) => Reply)>) {
  const calls: { key: string; body: unknown }[] = [];
  global.fetch = jest.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(url)}`;
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ key, body });
    const route = Object.keys(routes).find((r) => key.startsWith(r));
    const r = route ? routes[route] : { status: 404, body: { error: 'not_found', message: key } };
    const reply = typeof r === 'function' ? r(body) : r;
    const status = reply.status ?? 200;
    // what api.ts reads of a Response (jsdom has no Response class)
    return { ok: status < 400, status, statusText: '', json: async () => reply.body } as Response;
  }) as typeof fetch;
  return calls;
}

const home = () => render(<ModelsPage route={parseRoute('#/models?kind=ar-net')} />);

describe('Models page: create', () => {
  beforeEach(() => {
    location.hash = '#/models?kind=ar-net';
  });

  it('sends only the changed options with the dataset, column, lookback and horizon, then opens the model', async () => {
    const calls = mockFetch({
      'GET /models/kinds': { body: KINDS },
      'GET /datasets': { body: { items: [DATASET], total: 1 } },
      'GET /models?': { body: { items: [], total: 0 } },
      'GET /seq2seq-models?': { body: { items: [], total: 0 } },
      'POST /models': { status: 201, body: { id: MODEL_ID } },
    });
    const { findByTestId, container } = home();
    const form = await findByTestId('model-create');
    // a role option starts blank: the lookback input fills it
    expect((container.querySelector('#cfg-lags') as HTMLInputElement).value).toBe('');
    fireEvent.change(container.querySelector('[data-testid="model-column"]')!, {
      target: { value: 'ILITOTAL' },
    });
    fireEvent.input(container.querySelector('#cfg-epochs')!, { target: { value: '20' } });
    fireEvent.submit(form);
    await waitFor(() => expect(location.hash).toBe(`#/models/${MODEL_ID}`));
    expect(calls.find((c) => c.key === 'POST /models')!.body).toEqual({
      kind: 'ar-net',
      datasetId: 'd1',
      target: 'ILITOTAL',
      lookback: 24,
      horizon: 12,
      config: { epochs: 20 },
    });
  });

  it("shows the API's 400 next to the fields it names, config.<option> on the option", async () => {
    mockFetch({
      'GET /models/kinds': { body: KINDS },
      'GET /datasets': { body: { items: [DATASET], total: 1 } },
      'GET /models?': { body: { items: [], total: 0 } },
      'GET /seq2seq-models?': { body: { items: [], total: 0 } },
      'POST /models': {
        status: 400,
        body: {
          error: 'validation_failed',
          message: "Invalid config of 'ar-net'",
          details: [
            { field: 'config.loss', reason: 'must be one of mse, huber, got "l1"' },
            { field: 'lookback', reason: 'every series has fewer than 38 rows' },
          ],
        },
      },
    });
    const { findByTestId, container } = home();
    fireEvent.submit(await findByTestId('model-create'));
    await waitFor(() => expect(container.querySelector('#cfg-loss-error')).not.toBeNull());
    expect(container.querySelector('#cfg-loss-error')!.textContent).toBe(
      'must be one of mse, huber, got "l1"',
    );
    expect(
      container
        .querySelector('#cfg-loss')!
        .closest('.form-field')!
        .contains(container.querySelector('#cfg-loss-error')),
    ).toBe(true);
    expect(container.querySelector('#model-lookback-error')!.textContent).toBe(
      'every series has fewer than 38 rows',
    );
    expect(location.hash).toBe('#/models?kind=ar-net');
  });

  it('checks the config before sending: a value below its minimum is named and nothing is posted', async () => {
    const calls = mockFetch({
      'GET /models/kinds': { body: KINDS },
      'GET /datasets': { body: { items: [DATASET], total: 1 } },
      'GET /models?': { body: { items: [], total: 0 } },
      'GET /seq2seq-models?': { body: { items: [], total: 0 } },
    });
    const { findByTestId, container } = home();
    const form = await findByTestId('model-create');
    fireEvent.input(container.querySelector('#cfg-epochs')!, { target: { value: '-1' } });
    fireEvent.submit(form);
    await waitFor(() =>
      expect(container.querySelector('#cfg-epochs-error')?.textContent).toBe('must be ≥ 0'),
    );
    expect(calls.some((c) => c.key.startsWith('POST'))).toBe(false);
  });
});

describe('Models page: a model', () => {
  it('follows the training job to 100% and hands its epochs to the loss chart; versions link to the forecast', async () => {
    const model = {
      id: MODEL_ID,
      name: 'ar-net on OT',
      kind: 'ar-net',
      config: { lags: 24 },
      datasetId: 'd1',
      target: 'OT',
      targets: ['OT'],
      lookback: 24,
      horizon: 12,
      status: 'trained',
      latestVersionId: 'v1',
      createdAt: '2026-12-07T18:00:00.000Z',
      checkpoint: null,
    };
    const curve = [
      { epoch: 1, epochs: 2, loss: 0.8, valLoss: 0.9 },
      { epoch: 2, epochs: 2, loss: 0.4, valLoss: 0.6 },
    ];
    mockFetch({
      [`GET /models/${MODEL_ID}/versions`]: {
        body: [
          {
            id: 'v1',
            version: 1,
            metrics: { test: { mse: 0.5 } },
            backend: 'cpu',
            fitOn: 'split',
            createdAt: model.createdAt,
          },
        ],
      },
      [`GET /models/${MODEL_ID}`]: { body: model },
      'GET /jobs/j1': {
        body: {
          id: 'j1',
          type: 'model.train',
          status: 'succeeded',
          payload: { modelId: MODEL_ID },
          progress: { fraction: 1, message: 'done', curve },
        },
      },
    });
    const { findByTestId, container } = render(
      <ModelsPage route={parseRoute(`#/models/${MODEL_ID}?job=j1`)} />,
    );
    await waitFor(async () =>
      expect((await findByTestId('train-progress')).getAttribute('data-progress')).toBe('100'),
    );
    const chart = await findByTestId('loss-chart');
    expect(chart.getAttribute('data-x')).toBe('1,2');
    expect(chart.getAttribute('data-lines')).toBe('training loss:0.8,0.4|validation loss:0.9,0.6');
    await waitFor(() => expect(container.querySelector('tr[data-version="1"]')).not.toBeNull());
    expect(container.querySelector('tr[data-version="1"]')!.textContent).toContain('test.mse 0.5');
    expect(container.querySelector(`a[href="#/forecast?model=${MODEL_ID}"]`)).not.toBeNull();
  });
});
