import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { parseRoute } from '../router';
import type { Job } from '../types';
import { JobsList } from './jobs-list';

const job = (id: string, status: Job['status'], extra: Partial<Job> = {}): Job => ({
  id,
  type: 'diagnostic.sleep',
  status,
  progress: { fraction: status === 'succeeded' ? 1 : 0.5, message: null },
  payload: {},
  result: null,
  error: status === 'failed' ? 'disk on fire' : null,
  attempts: 1,
  maxAttempts: 1,
  cancelRequested: false,
  scheduleId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:01.000Z',
  finishedAt: status === 'running' ? null : '2026-01-01T00:00:03.000Z',
  ...extra,
});

/** The part of a fetch Response the API client reads (jsdom has no Response). */
const json = (body: unknown, status = 200) =>
  Promise.resolve({ ok: status < 300, status, statusText: '', json: async () => body });

describe('JobsList', () => {
  let calls: { url: string; method: string }[];
  let jobs: Job[];

  beforeEach(() => {
    calls = [];
    jobs = [job('a', 'running'), job('b', 'failed'), job('c', 'succeeded')];
    global.fetch = jest.fn((url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ url, method });
      if (url === '/jobs/types') return json([{ type: 'diagnostic.sleep', description: '' }]);
      if (url.startsWith('/jobs?')) return json({ items: jobs, total: jobs.length });
      if (url === '/jobs/b/retry') {
        jobs = [job('d', 'queued'), ...jobs];
        return json(job('d', 'queued'), 202);
      }
      if (url === '/jobs/a/cancel')
        return json(
          {
            error: 'conflict',
            message: 'job a is succeeded',
            details: [{ field: 'status', reason: 'succeeded' }],
          },
          409,
        );
      return json({}, 404);
    }) as unknown as typeof fetch;
  });

  it('lists each job with its status, and offers cancel and retry where they apply', async () => {
    render(<JobsList route={parseRoute('#/jobs?status=&type=diagnostic.sleep')} />);
    const rows = await screen.findAllByTestId('job-row');
    expect(rows.map((r) => [r.dataset.id, r.dataset.status])).toEqual([
      ['a', 'running'],
      ['b', 'failed'],
      ['c', 'succeeded'],
    ]);
    expect(calls.find((c) => c.url.startsWith('/jobs?'))!.url).toBe('/jobs?type=diagnostic.sleep&limit=50');
    expect(rows[0].querySelector('[data-testid=job-cancel]')).not.toBeNull();
    expect(rows[0].querySelector('[data-testid=job-retry]')).toBeNull();
    expect(rows[1].querySelector('[data-testid=job-retry]')).not.toBeNull();
    expect(rows[1].textContent).toContain('disk on fire');
    expect(rows[2].querySelector('button')).toBeNull();
  });

  it('retries through POST /jobs/:id/retry and shows the new job at once', async () => {
    render(<JobsList route={parseRoute('#/jobs')} />);
    const rows = await screen.findAllByTestId('job-row');
    fireEvent.click(rows[1].querySelector('[data-testid=job-retry]')!);
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(4));
    expect(calls).toContainEqual({ url: '/jobs/b/retry', method: 'POST' });
    expect(screen.getAllByTestId('job-row')[0].dataset.status).toBe('queued');
  });

  it("shows the API's refusal of an action with the field it names", async () => {
    render(<JobsList route={parseRoute('#/jobs')} />);
    const rows = await screen.findAllByTestId('job-row');
    fireEvent.click(rows[0].querySelector('[data-testid=job-cancel]')!);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('409');
    expect(alert.textContent).toContain('status: succeeded');
  });
});
