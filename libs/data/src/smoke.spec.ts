import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { DatasetStore } from './store/dataset-store';
import { openSource } from './ingest/open-source';
import { ingestBatches } from './ingest/ingest';
import { IssueCollector } from './validation/issues';
import { batchOf, chunked, ipcStream, ipcFile } from './testing/arrow-fixtures';

it('smoke', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-'));
  const store = new DatasetStore(dir);
  await store.init();
  const b = batchOf({ key: { type: 'utf8', values: ['a', 'a', 'b'] }, ts: { type: 'ts', values: [0, 3600000, 0] }, v: { type: 'f64', values: [1, 2, 3] } });
  for (const bytes of [ipcStream([b, b.slice(0,0)]), ipcFile([b])]) {
  const issues = new IssueCollector();
  const { source, bytesRead } = await openSource(chunked(bytes, 7), { format: 'arrow', kind: 'series' }, issues);
  const v = await ingestBatches(store, source, { kind: 'series', issues, bytesIn: bytesRead });
  console.log(JSON.stringify(v, null, 1));
  const out = [];
  for await (const x of store.readBatches(v.files)) out.push(x.toArray().map((r) => r.toJSON()));
  console.log(JSON.stringify(out));
  }
  console.log(fs.readdirSync(dir));
});
