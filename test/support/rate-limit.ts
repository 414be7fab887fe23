import { ApiKeys } from '@seqcast/db';
import { DataSource } from 'typeorm';
import { TestApi } from './api';

/** 1 request/s after a burst of 3: requests sent back to back exhaust it well within that second. */
export const LIMITS = { RATE_LIMIT_RPS: '1', RATE_LIMIT_BURST: '3' };

/** A key made on the app's database (not over HTTP: that would count against the admin's bucket). */
export async function keyOf(api: TestApi, name: string): Promise<{ key: string; prefix: string }> {
  return new ApiKeys(api.app.get(DataSource)).create(['read'], name);
}

/** The burst passes, counting down RateLimit-Remaining; the next request is refused. */
export async function exhaust(apis: TestApi[], headers: Record<string, string>) {
  for (let i = 0; i < 3; i++) {
    const res = await apis[i % apis.length].http().get('/jobs').set(headers);
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-limit']).toBe('3');
    expect(res.headers['ratelimit-remaining']).toBe(String(2 - i));
  }
  const refused = await apis[apis.length - 1].http().get('/jobs').set(headers);
  expect(refused.status).toBe(429);
  expect(refused.body).toEqual({
    error: 'rate_limited',
    message: expect.stringMatching(/over its rate limit of 1 requests\/s, bursts of 3 .*retry after 1 s/),
    details: [],
    requestId: expect.any(String),
  });
  expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(refused.headers['ratelimit-remaining']).toBe('0');
  return refused;
}
