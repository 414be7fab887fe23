import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatasetStore } from './dataset-store';
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

  it('a fresh temporary file survives a sweep from another process, whatever PID it names', async () => {
    const { dir, cleanup } = await tempStore();
    try {
      // The writer is in another PID namespace (an api container; this sweeper is a worker's):
      // the PID in its name is one this process cannot see, yet the upload is in flight.
      const invisible = spawnSync(process.execPath, [
        '-e',
        'process.stdout.write(String(process.pid))',
      ]).stdout.toString();
      fs.writeFileSync(path.join(dir, `.tmp-${invisible}-0123abcd.arrow`), 'in flight elsewhere');
      fs.writeFileSync(path.join(dir, '.tmp-5f0c2e9a41d7b3c8e6a10f42.spool'), 'in flight elsewhere');
      const other = new DatasetStore(dir, { leaseTtlMs: 60000 });
      expect(await other.sweepTemporaries()).toEqual([]);
      await other.init();
      expect(listFiles(dir)).toHaveLength(2);
    } finally {
      cleanup();
    }
  });

  it("an expired lease is swept, even when the file names the sweeper's own PID (a container restarted as PID 1)", async () => {
    const { dir, cleanup } = await tempStore();
    try {
      const old = new Date(Date.now() - 10 * 60 * 1000);
      const mine = `.tmp-${process.pid}-4567abcd.arrow`;
      const crashed = '.tmp-9b1d0c7e2f3a4b5c6d7e8f90.arrow';
      const fresh = '.tmp-0a1b2c3d4e5f60718293a4b5.arrow';
      for (const f of [mine, crashed, fresh]) fs.writeFileSync(path.join(dir, f), 'partial');
      for (const f of [mine, crashed]) fs.utimesSync(path.join(dir, f), old, old);
      const sweeper = new DatasetStore(dir, { leaseTtlMs: 5 * 60 * 1000 });
      expect((await sweeper.sweepTemporaries()).sort()).toEqual([mine, crashed].sort());
      expect(listFiles(dir)).toEqual([fresh]);
    } finally {
      cleanup();
    }
  });

  it('an upload slower than the lease TTL completes while another store sweeps every few ms', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-lease-'));
    const ttl = 200;
    const writer = new DatasetStore(dir, { fsync: false, leaseTtlMs: ttl });
    const sweeper = new DatasetStore(dir, { leaseTtlMs: ttl });
    const swept: string[] = [];
    const sweeping = setInterval(() => void sweeper.sweepTemporaries().then((r) => swept.push(...r)), 20);
    try {
      await writer.init();
      const chunk = (from: number) =>
        batchOf({
          ts: { type: 'ts', values: Array.from({ length: 100 }, (_, i) => (from + i) * 1000) },
          v: { type: 'f64', values: Array.from({ length: 100 }, (_, i) => i) },
        });
      const bytes = ipcStream([chunk(0), chunk(100), chunk(200)]);
      async function* slow(): AsyncGenerator<Uint8Array> {
        // A slow client: the upload lasts 3 TTLs, the temporary file is written only now and then.
        const step = Math.ceil(bytes.length / 6);
        for (let i = 0; i < bytes.length; i += step) {
          yield bytes.subarray(i, i + step);
          await new Promise((r) => setTimeout(r, ttl / 2));
        }
      }
      const content = await ingestInput(writer, slow(), { format: 'arrow' });
      expect(content.rowCount).toBe(300);
      expect(swept).toEqual([]);
      expect(listFiles(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    } finally {
      clearInterval(sweeping);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
