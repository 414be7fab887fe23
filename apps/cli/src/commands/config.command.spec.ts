import { serverCommands } from './server.commands';
import { ApiClient } from '../api-client';

describe('seqcast config', () => {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    jest.restoreAllMocks();
  });

  it('prints both URLs with their passwords hidden', async () => {
    process.env.DATABASE_URL = 'postgresql://app:dbpass@db:5432/seqcast';
    process.env.REDIS_URL = 'redis://default:redispass@cache:6379';
    const lines: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    const config = serverCommands(() => ({}) as ApiClient).find((c) => c.name() === 'config')!;
    await config.parseAsync([], { from: 'user' });
    const out = lines.join('\n');
    expect(out).not.toContain('dbpass');
    expect(out).not.toContain('redispass');
    const shown = JSON.parse(out) as Record<string, unknown>;
    expect(shown.DATABASE_URL).toBe('postgresql://app:***@db:5432/seqcast');
    expect(shown.REDIS_URL).toBe('redis://default:***@cache:6379');
  });
});
