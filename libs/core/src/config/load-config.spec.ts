import { ConfigError, kernelSettings, loadConfig, loadKernelSettings } from '@seqcast/core';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.ROLE).toBe('all');
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.JOBS_CONCURRENCY).toBe(1);
    expect(c.SEQCAST_DEMO_DATA).toBe(true);
  });

  it('converts numbers and booleans from strings', () => {
    const c = loadConfig({ PORT: '8080', JOBS_CONCURRENCY: '4', SEQCAST_DEMO_DATA: 'false' });
    expect(c.PORT).toBe(8080);
    expect(c.JOBS_CONCURRENCY).toBe(4);
    expect(c.SEQCAST_DEMO_DATA).toBe(false);
  });

  it('reads SEQCAST_PLUGINS as a comma-separated list of module paths', () => {
    expect(loadConfig({}).SEQCAST_PLUGINS).toEqual([]);
    expect(loadConfig({ SEQCAST_PLUGINS: 'dist/a.js, /opt/b.js,' }).SEQCAST_PLUGINS).toEqual([
      'dist/a.js',
      '/opt/b.js',
    ]);
  });

  it('names every bad variable at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', ROLE: 'boss', DATABASE_URL: 'mysql://x', SEQCAST_DEMO_DATTA: 'true' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const fields = (err as ConfigError).details.map((d) => d.field).sort();
    expect(fields).toEqual(['DATABASE_URL', 'PORT', 'ROLE', 'SEQCAST_DEMO_DATTA']);
    expect((err as ConfigError).message).toContain('PORT');
  });

  it('does not echo the password of a refused URL', () => {
    let err: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://app:dbpass@db/x', REDIS_URL: 'http://u:redispass@cache' });
    } catch (e) {
      err = e;
    }
    const reasons = (err as ConfigError).details.map((d) => d.reason).join('\n');
    expect(reasons).toContain('mysql://app:***@db/x');
    expect(reasons).not.toMatch(/dbpass|redispass/);
  });

  it('reads the JSON body limits, within their bounds', () => {
    expect(loadConfig({})).toMatchObject({ MAX_JSON_BYTES: 50 * 1024 * 1024, MAX_JSON_DEPTH: 64 });
    expect(loadConfig({ MAX_JSON_BYTES: '1048576', MAX_JSON_DEPTH: '32' })).toMatchObject({
      MAX_JSON_BYTES: 1048576,
      MAX_JSON_DEPTH: 32,
    });
    expect(() => loadConfig({ MAX_JSON_DEPTH: '0' })).toThrow(/MAX_JSON_DEPTH/);
    expect(() => loadConfig({ MAX_JSON_DEPTH: '100000' })).toThrow(/MAX_JSON_DEPTH/);
    expect(() => loadConfig({ MAX_JSON_BYTES: 'lots' })).toThrow(/MAX_JSON_BYTES/);
  });

  it('refuses an api-only process without Redis', () => {
    expect(() => loadConfig({ ROLE: 'api' })).toThrow(/REDIS_URL/);
    expect(loadConfig({ ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:6379' }).ROLE).toBe('api');
  });
});

describe('kernel settings', () => {
  it('default to the native kernels on the widest instruction set, on every usable core', () => {
    expect(kernelSettings(loadConfig({}))).toEqual({ native: true, isa: 'auto', threads: 0 });
  });

  it('read SEQCAST_NATIVE and SEQCAST_NATIVE_ISA as the configuration does', () => {
    expect(kernelSettings(loadConfig({ SEQCAST_NATIVE: '0', SEQCAST_NATIVE_ISA: 'avx2' }))).toEqual({
      native: false,
      isa: 'avx2',
      threads: 0,
    });
    expect(loadKernelSettings({ SEQCAST_NATIVE: '1', SEQCAST_NATIVE_ISA: 'base', SEQCAST_THREADS: '3' })).toEqual({
      native: true,
      isa: 'base',
      threads: 3,
    });
  });

  it('name a bad value, and alone ignore the settings they do not cover', () => {
    expect(() => loadKernelSettings({ SEQCAST_NATIVE_ISA: 'sse2' })).toThrow(/SEQCAST_NATIVE_ISA/);
    expect(() => loadConfig({ SEQCAST_NATIVE: 'maybe' })).toThrow(/SEQCAST_NATIVE/);
    // a test or benchmark process is not a server: ROLE=api without Redis does not stop it
    expect(loadKernelSettings({ ROLE: 'api', SEQCAST_NATIVE: '0' })).toEqual({ native: false, isa: 'auto', threads: 0 });
  });

  it('take SEQCAST_THREADS as a whole number of threads, 0 for every usable core, and name a bad one', () => {
    expect(loadKernelSettings({ SEQCAST_THREADS: '0' }).threads).toBe(0);
    expect(loadKernelSettings({ SEQCAST_THREADS: '' }).threads).toBe(0); // empty is unset, as for every variable
    expect(loadKernelSettings({ SEQCAST_THREADS: ' 16 ' }).threads).toBe(16);
    for (const bad of ['-1', '1.5', 'two', '1025']) {
      expect(() => loadKernelSettings({ SEQCAST_THREADS: bad })).toThrow(ConfigError);
      expect(() => loadKernelSettings({ SEQCAST_THREADS: bad })).toThrow(/SEQCAST_THREADS/);
    }
  });
});
