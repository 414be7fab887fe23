import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { Float64, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { DatasetStore } from '@seqcast/data';
import { TestApi, startApi, tempDataDir } from '../../../../test/support/api';

const TTL = 1000;

/** An Arrow stream of several record batches, cut into `batches` pieces to send one at a time. */
function streamChunks(batches: number, rows: number): Buffer[] {
  const tables = Array.from({ length: batches }, (_, b) => {
    const t = Array.from({ length: rows }, (_, i) => (b * rows + i) * 60_000);
    return new Table({
      key: vectorFromArray(
        t.map(() => 'a'),
        new Utf8(),
      ),
      ts: vectorFromArray(t, new TimestampMillisecond('UTC')),
      value: vectorFromArray(
        t.map((_, i) => i),
        new Float64(),
      ),
    });
  });
  const bytes = Buffer.from(tableToIPC(tables[0].concat(...tables.slice(1)), 'stream'));
  const step = Math.ceil(bytes.length / batches);
  return Array.from({ length: batches }, (_, i) => bytes.subarray(i * step, (i + 1) * step));
}

describe('temporary upload files are leased, not owned by a PID', () => {
  let api: TestApi;
  let store: string;

  beforeAll(async () => {
    const dir = tempDataDir();
    api = await startApi({
      DATA_DIR: dir,
      SQLITE_PATH: path.join(dir, 'seqcast.db'),
      UPLOAD_LEASE_TTL_MS: String(TTL),
    });
    store = path.join(dir, 'datasets');
  }, 60000);

  afterAll(async () => {
    await api?.close();
  });

  it('an upload slower than the TTL completes with 201 while another process sweeps the store', async () => {
    // Another process (a worker in its own PID namespace) sweeping the same directory, often.
    const other = new DatasetStore(store, { leaseTtlMs: TTL });
    const swept: string[] = [];
    const sweeping = setInterval(() => void other.sweepTemporaries().then((r) => swept.push(...r)), 50);
    const chunks = streamChunks(6, 200);
    const port = (api.app.getHttpServer().address() as AddressInfo).port;
    let sawTemp = false;
    try {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            port,
            method: 'POST',
            path: '/datasets?name=slow&kind=series',
            headers: { 'content-type': 'application/vnd.apache.arrow.stream' },
          },
          (r) => {
            let body = '';
            r.on('data', (d) => (body += String(d)));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        // A slow client: 2.5 TTLs between the first batch and the last.
        void (async () => {
          for (const c of chunks) {
            req.write(c);
            await new Promise((r) => setTimeout(r, TTL / 2));
            sawTemp ||= fs.readdirSync(store).some((f) => f.startsWith('.tmp-'));
          }
          req.end();
        })();
      });
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body).latest.rowCount).toBe(1200);
    } finally {
      clearInterval(sweeping);
    }
    expect(sawTemp).toBe(true);
    expect(swept).toEqual([]);
  }, 30000);

  it("a crashed writer's file goes once its lease expires, without a restart", async () => {
    const leftover = path.join(store, '.tmp-1-0123456789abcdef.arrow');
    fs.writeFileSync(leftover, 'partial');
    const old = new Date(Date.now() - 2 * TTL);
    fs.utimesSync(leftover, old, old);
    const until = Date.now() + 5 * TTL;
    while (fs.existsSync(leftover) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(leftover)).toBe(false);
  }, 30000);
});
