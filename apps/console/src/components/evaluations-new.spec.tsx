import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { NewEvaluation } from './evaluations-new';

/** The part of a fetch Response the API client reads (jsdom has no Response). */
const json = (body: unknown, status = 200) =>
  Promise.resolve({ ok: status < 300, status, statusText: '', json: async () => body });

describe('starting an evaluation from its JSON body', () => {
  let posted: { url: string; body: unknown }[];

  beforeEach(() => {
    posted = [];
    location.hash = '#/evaluations';
    global.fetch = jest.fn((url: string, init?: RequestInit) => {
      if (url.startsWith('/datasets')) return json({ items: [{ id: 'ds-1' }], total: 1 });
      posted.push({ url, body: JSON.parse(String(init?.body)) });
      if (url === '/evaluations/tpp')
        return json(
          {
            error: 'validation_failed',
            message: 'invalid TPP config',
            details: [{ field: 'models[0].kind', reason: 'unknown kind' }],
          },
          400,
        );
      return json({ id: 'job-9', status: 'queued' }, 202);
    }) as unknown as typeof fetch;
  });

  it('posts the example backtest, with the first dataset filled in, and opens the new evaluation', async () => {
    render(<NewEvaluation />);
    const body = screen.getByLabelText(/Body/) as HTMLTextAreaElement;
    await waitFor(() => expect(body.value).toContain('"ds-1"'));
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(location.hash).toBe('#/evaluations/job-9'));
    expect(posted).toHaveLength(1);
    expect(posted[0].url).toBe('/evaluations');
    expect(posted[0].body).toMatchObject({ datasetId: 'ds-1', target: 'CO2' });
  });

  it("shows the API's errors with the fields they name, and refuses a body that is not JSON", async () => {
    render(<NewEvaluation />);
    fireEvent.change(screen.getByLabelText('Route'), { target: { value: 'tpp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    const alert = await screen.findByRole('alert');
    expect(posted[0].url).toBe('/evaluations/tpp');
    expect(alert.textContent).toContain('models[0].kind: unknown kind');

    fireEvent.input(screen.getByLabelText(/Body/), { target: { value: '{"models": [' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('not JSON'));
    expect(posted).toHaveLength(1);
  });
});
