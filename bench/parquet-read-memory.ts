/**
 * Where a Parquet upload's memory goes, the reader alone (`npm run bench:parquet-memory`): the
 * bench:ingest rows (10M by default, `--rows N`) written as a Parquet file to a temp folder,
 * then read back through libs/data's `openParquetStream` (the upload's path: spool to a file,
 * parquet-wasm reads the footer and one row group at a time through a file-backed Blob)
 * with nothing else in the process, printing RSS, the JS heap, external and ArrayBuffer memory
 * and parquet-wasm's WebAssembly memory every million rows. The server's own figure (peak RSS
 * of an HTTP upload, validation and the store included) is bench:ingest's.
 */
import { exportParquet, openParquetStream } from '@seqcast/data';
import { execFileSync } from 'child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { wasmMemory } from 'parquet-wasm';
import { arrowBatches, SCHEMA } from './ingest';

const MiB = 2 ** 20;
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};

function sample(label: string): string {
  const m = process.memoryUsage();
  const wasm = (wasmMemory() as WebAssembly.Memory).buffer.byteLength;
  const f = (x: number) => (x / MiB).toFixed(0).padStart(5);
  return `| ${label} | ${f(m.rss)} | ${f(m.heapUsed)} | ${f(m.external)} | ${f(m.arrayBuffers)} | ${f(wasm)} |`;
}

async function writeFile(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  for await (const chunk of exportParquet(SCHEMA, arrowBatches(rows))) out.write(chunk);
  await new Promise((done) => out.end(done));
}

async function main(): Promise<void> {
  const rows = arg('rows', 10_000_000);
  const to = process.argv.indexOf('--write-to');
  if (to > 0) return writeFile(process.argv[to + 1], rows);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parquet-memory-'));
  const file = path.join(dir, 'rows.parquet');
  try {
    execFileSync(
      process.execPath,
      [...process.execArgv, __filename, '--write-to', file, '--rows', String(rows)],
      { stdio: 'inherit' },
    );
    if (global.gc) global.gc();
    const lines = [sample('before the upload')];
    const stream = await openParquetStream(createReadStream(file));
    lines.push(sample('spooled, footer and first row group read'));
    let seen = 0;
    let next = 1_000_000;
    for await (const batch of stream.batches) {
      seen += batch.numRows;
      if (seen >= next) {
        lines.push(sample(`${(seen / 1e6).toFixed(1)}M rows`));
        next += 1_000_000;
      }
    }
    await stream.close?.();
    lines.push(sample('released'));
    console.log(
      [
        `Run: \`npm run bench:parquet-memory -- ${process.argv.slice(2).join(' ')}\` (${new Date().toISOString().slice(0, 16)}Z), ${rows} rows, load ${os.loadavg()[0].toFixed(1)}. MiB.`,
        '',
        '| point | RSS | JS heap used | external | ArrayBuffers | parquet-wasm memory |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        ...lines,
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
