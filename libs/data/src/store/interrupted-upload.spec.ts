import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { batchOf, ipcStream } from '../testing/arrow-fixtures';
import { errorOf, ingestInput, listFiles, tempStore } from '../testing/ingest-helpers';

describe('a killed upload leaves nothing behind', () => {
  it('a connection dropped mid-stream removes the partly written file', async () => {
    const { store, dir, cleanup } = await tempStore();
    try {
      const batch = batchOf({
        ts: { type: 'ts', values: Array.from({ length: 1000 }, (_, i) => i * 1000) },
        v: { type: 'f64', values: Array.from({ length: 1000 }, (_, i) => i) },
      });
      const later = batchOf({
        ts: { type: 'ts', values: Array.from({ length: 1000 }, (_, i) => (i + 1000) * 1000) },
        v: { type: 'f64', values: Array.from({ length: 1000 }, (_, i) => i) },
      });
      const bytes = ipcStream([batch, later]);
      let sawTemp = false;
      async function* dropped(): AsyncGenerator<Uint8Array> {
        yield bytes.subarray(0, Math.floor(bytes.length * 0.8));
        // By now the first batch is validated and written to a temporary file.
        await new Promise((r) => setTimeout(r, 20));
        sawTemp = listFiles(dir).some((f) => f.startsWith('.tmp-'));
        const e = new Error('aborted') as NodeJS.ErrnoException;
        e.code = 'ECONNRESET';
        throw e;
      }
      const err = await errorOf(() => ingestInput(store, dropped(), { format: 'arrow' }));
      expect(err.message).toBe('aborted');
      expect(sawTemp).toBe(true);
      expect(listFiles(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('temporary files of a killed process are swept when the store opens', async () => {
    const { store, dir, cleanup } = await tempStore();
    try {
      // A process that has exited: its pid names the leftovers a SIGKILL would leave.
      const dead = spawnSync(process.execPath, [
        '-e',
        'process.stdout.write(String(process.pid))',
      ]).stdout.toString();
      fs.writeFileSync(path.join(dir, `.tmp-${dead}-0123abcd.arrow`), 'partial');
      fs.writeFileSync(path.join(dir, `.tmp-${process.pid}-4567abcd.arrow`), 'in progress here');
      await store.init();
      expect(listFiles(dir)).toEqual([`.tmp-${process.pid}-4567abcd.arrow`]);
    } finally {
      cleanup();
    }
  });
});
