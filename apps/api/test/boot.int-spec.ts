import { runEntry } from '../../../test/support/processes';
import { tempDataDir } from '../../../test/support/api';
import { MIGRATIONS } from '@seqcast/migrations';

describe('process boot', () => {
  it('stops on an invalid configuration, naming every bad variable', async () => {
    const p = runEntry('apps/api/src/main.ts', {
      DATA_DIR: tempDataDir(),
      PORT: 'eighty',
      JOBS_CONCURRENCY: '0',
      DATABASE_URL: 'mysql://localhost/x',
    });
    expect(await p.exited).toBe(78);
    const out = p.output();
    expect(out).toContain('invalid configuration');
    for (const v of ['PORT', 'JOBS_CONCURRENCY', 'DATABASE_URL']) expect(out).toMatch(new RegExp(`^  ${v}: `, 'm'));
  }, 30000);

  it('refuses a worker without Redis', async () => {
    const p = runEntry('apps/worker/src/main.ts', { DATA_DIR: tempDataDir(), REDIS_URL: '' });
    expect(await p.exited).toBe(78);
    expect(p.output()).toMatch(/ROLE: ROLE=worker needs REDIS_URL/);
  }, 30000);

  it('lists the CLI commands, and migrates from the CLI', async () => {
    const help = runEntry('apps/cli/src/main.ts', {}, ['--help']);
    expect(await help.exited).toBe(0);
    for (const c of ['serve', 'worker', 'migrate', 'config', 'health', 'jobs']) expect(help.output()).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    const dir = tempDataDir();
    const m = runEntry('apps/cli/src/main.ts', { DATA_DIR: dir }, ['migrate']);
    expect(await m.exited).toBe(0);
    expect(m.output()).toContain(`${MIGRATIONS.length} migration(s) applied, ${MIGRATIONS.length} known (sqlite)`);
    const again = runEntry('apps/cli/src/main.ts', { DATA_DIR: dir }, ['migrate']);
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(/0 migration\(s\) applied/);
  }, 30000);
});
