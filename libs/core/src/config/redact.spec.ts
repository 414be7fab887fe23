import { loadConfig, printableConfig, redactUrl } from '@seqcast/core';

describe('redactUrl', () => {
  it('hides the password and keeps the user, host, port and path', () => {
    expect(redactUrl('postgresql://app:s3cret@db.internal:5432/seqcast')).toBe(
      'postgresql://app:***@db.internal:5432/seqcast',
    );
    expect(redactUrl('redis://:hunter2@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(redactUrl('rediss://default:p%40ss@cache')).toBe('rediss://default:***@cache');
  });

  it('hides a password holding an unescaped @ or a user part with no colon', () => {
    expect(redactUrl('postgres://app:p@ss@w0rd@db/x')).toBe('postgres://app:***@db/x');
    expect(redactUrl('redis://tok3n@cache:6379')).toBe('redis://***@cache:6379');
  });

  it('hides secret query parameters, and leaves URLs without credentials and other text alone', () => {
    expect(redactUrl('postgres://db/x?sslmode=require&password=s3cret')).toBe(
      'postgres://db/x?sslmode=require&password=***',
    );
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('redis://cache/0?x=a@b')).toBe('redis://cache/0?x=a@b');
    expect(redactUrl('var/data@home')).toBe('var/data@home');
  });
});

describe('printableConfig', () => {
  it('redacts the password of every URL setting and keeps the rest', () => {
    const shown = printableConfig(
      loadConfig({
        DATABASE_URL: 'postgresql://app:dbpass@db:5432/seqcast',
        REDIS_URL: 'redis://default:redispass@cache:6379',
        PORT: '8080',
      }),
    );
    const text = JSON.stringify(shown);
    expect(text).not.toContain('dbpass');
    expect(text).not.toContain('redispass');
    expect(shown.DATABASE_URL).toBe('postgresql://app:***@db:5432/seqcast');
    expect(shown.REDIS_URL).toBe('redis://default:***@cache:6379');
    expect(shown.PORT).toBe(8080);
  });
});
