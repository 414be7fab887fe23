import { canCancel, canRetry, filtersOf, formatDuration, jobDuration, jobsPath } from './jobs-format';

describe('the jobs list', () => {
  it('reads its filters from the address, dropping an unknown status', () => {
    expect(filtersOf(new URLSearchParams('status=failed&type=diagnostic.sleep'))).toEqual({
      status: 'failed',
      type: 'diagnostic.sleep',
    });
    expect(filtersOf(new URLSearchParams('status=exploded'))).toEqual({ status: '', type: '' });
  });

  it('asks GET /jobs for the filters that are set only', () => {
    expect(jobsPath({ status: '', type: '' })).toBe('/jobs?limit=50');
    expect(jobsPath({ status: 'running', type: 'model.train' }, 10)).toBe(
      '/jobs?status=running&type=model.train&limit=10',
    );
  });

  it('offers cancel while a job is unfinished and not already cancelling, retry once it failed or was cancelled', () => {
    const job = (status: string, cancelRequested = false) =>
      ({ status, cancelRequested }) as Parameters<typeof canCancel>[0];
    expect(['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => canCancel(job(s)))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(canCancel(job('running', true))).toBe(false);
    expect(['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => canRetry(job(s)))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('writes durations in seconds, minutes or hours', () => {
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(2 * 3_600_000 + 4 * 60_000 + 59_000)).toBe('2 h 04 min');
    expect(formatDuration(-1)).toBe('–');
  });

  it('times a job from its start to its end, or to now while it runs', () => {
    const startedAt = '2026-01-01T00:00:00.000Z';
    const now = Date.parse('2026-01-01T00:00:30.000Z');
    expect(jobDuration({ startedAt, finishedAt: '2026-01-01T00:00:02.500Z' }, now)).toBe('2.5 s');
    expect(jobDuration({ startedAt, finishedAt: null }, now)).toBe('30 s');
    expect(jobDuration({ startedAt: null, finishedAt: null }, now)).toBe('–');
  });
});
