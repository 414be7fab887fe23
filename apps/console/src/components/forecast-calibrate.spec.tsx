import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { alphasOf, ForecastCalibrate } from './forecast-calibrate';

// jsdom has no fetch Response: the fields the API client reads
const json = (body: unknown, status = 200) =>
  Promise.resolve({ ok: status < 300, status, statusText: String(status), json: async () => body });

const job = (status: string, fraction: number) => ({
  id: 'j1',
  type: 'calibrate',
  status,
  progress: { fraction, message: null },
  payload: {},
  result: null,
  error: null,
  attempts: 1,
  maxAttempts: 3,
  cancelRequested: false,
  scheduleId: null,
  createdAt: '2026-12-07T00:00:00Z',
  startedAt: null,
  finishedAt: null,
});

describe('ForecastCalibrate', () => {
  afterEach(() => jest.restoreAllMocks());

  it('turns percentage levels into miscoverage rates without float noise', () => {
    expect(alphasOf([80, 95, 99.5])).toEqual([0.2, 0.05, 0.005]);
  });

  it('posts a split calibrator at the levels given, follows its job and asks for the forecast again', async () => {
    const calls: { url: string; body?: string }[] = [];
    let polls = 0;
    global.fetch = jest.fn((url: string, init?: RequestInit) => {
      calls.push({ url, body: init?.body as string | undefined });
      if (url === '/models/calibrator-methods')
        return json([{ method: 'split', title: 'Split conformal', description: '' }]);
      if (url === '/models/m1/calibrators')
        return json({ calibrator: { id: 'c1' }, job: job('queued', 0) }, 202);
      if (url === '/jobs/j1') return json(++polls < 2 ? job('running', 0.5) : job('succeeded', 1));
      return json({}, 404);
    }) as unknown as typeof fetch;
    const onReady = jest.fn();
    render(<ForecastCalibrate modelId="m1" onReady={onReady} />);
    fireEvent.click(screen.getByTestId('calibrate-button'));
    await waitFor(() => expect(onReady).toHaveBeenCalledTimes(1), { timeout: 5000 });
    const post = calls.find((c) => c.url === '/models/m1/calibrators');
    expect(JSON.parse(post!.body!)).toEqual({ method: 'split', alpha: [0.2, 0.05] });
    expect(screen.getByTestId('calibrate-progress').getAttribute('data-progress')).toBe('100');
  });

  it("shows the API's refusal of the levels next to the levels field", async () => {
    global.fetch = jest.fn((url: string) =>
      url === '/models/calibrator-methods'
        ? json([])
        : json(
            {
              error: 'validation_failed',
              message: 'invalid calibrator',
              details: [{ field: 'alpha', reason: 'too few residuals for 99.9%' }],
            },
            400,
          ),
    ) as unknown as typeof fetch;
    render(<ForecastCalibrate modelId="m1" onReady={() => undefined} />);
    fireEvent.click(screen.getByTestId('calibrate-button'));
    await waitFor(() => expect(screen.getAllByText('too few residuals for 99.9%').length).toBeGreaterThan(0));
    const field = document.getElementById('calibrate-levels')!.closest('label')!;
    expect(field.textContent).toContain('too few residuals for 99.9%');
  });
});
