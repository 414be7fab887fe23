/**
 * `npm run bench:ingest`: ingest throughput over HTTP into the real app (SQLite, the
 * dataset store on disk, fsync on), for
 *   - Arrow IPC streams of 1M, 3M and 10M rows (series key, timestamp, value),
 *   - the 10M-row stream with ZSTD-compressed bodies and as a Parquet file (ZSTD pages,
 *     row groups of 65536 rows), and
 *   - a 1M-row CSV,
 * each generated on the fly by a client in a child process (so the server's core is
 * not the generator's) and streamed with chunked transfer encoding: no upload exists
 * in memory or on disk before the server reads it. Reports rows per second (request
 * start to response) and the server process's peak RSS, sampled every 10 ms.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import {
  AsyncByteQueue,
  Field,
  Float64,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  makeData,
} from 'apache-arrow';

const BATCH = 65_536;
const ROWS_PER_SERIES = 100_000;
const T0 = Date.UTC(2020, 0, 1);

interface Job {
  port: number;
  kind: 'arrow' | 'arrow-zstd' | 'parquet' | 'csv';
  rows: number;
  name: string;
  /**
   * The client makes the whole body before the clock starts and then only writes it to the
   * socket, as a sender on another machine holding its data would: on this 2-core box the
   * on-the-fly generator otherwise takes CPU the server needs.
   */
  held?: boolean;
}

/** One Arrow batch of long-format rows [from, from + n): series `s<k>` of 100k rows each, one row a second. */
function arrowBatch(schema: Schema, from: number, n: number): RecordBatch {
  const key = Buffer.alloc(n * 6);
  const offsets = new Int32Array(n + 1);
  const ts = new Int32Array(n * 2); // int64 as two words, no BigInt per row
  const values = new Float64Array(n);
  // Keys are written once per run of a series (Buffer.fill repeats the 6 bytes): the client must outpace the server.
  for (let i = 0; i < n;) {
    const s = Math.floor((from + i) / ROWS_PER_SERIES);
    const end = Math.min(n, (s + 1) * ROWS_PER_SERIES - from);
    key.fill(`s${String(s).padStart(5, '0')}`, i * 6, end * 6, 'latin1');
    i = end;
  }
  // The server now outpaces a naive generator: no float modulo or division a row (the time's
  // high word is taken once a row by a multiply; the bytes are the same as before).
  for (let i = 0; i < n; i++) {
    const r = from + i;
    offsets[i + 1] = (i + 1) * 6;
    const t = T0 + (r % ROWS_PER_SERIES) * 1000;
    const hi = (t * (1 / 4294967296)) | 0;
    ts[2 * i] = t - hi * 4294967296;
    ts[2 * i + 1] = hi;
    values[i] = WAVE[r & 4095] + (r % 7);
  }
  const children = [
    makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: key }),
    makeData({ type: new TimestampMillisecond('UTC'), length: n, data: new BigInt64Array(ts.buffer) }),
    makeData({ type: new Float64(), length: n, data: values }),
  ];
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }),
  );
}

const WAVE = Float64Array.from({ length: 4096 }, (_, i) => Math.sin((i / 4096) * 2 * Math.PI) * 100);

class Collect extends AsyncByteQueue {
  readonly chunks: Uint8Array[] = [];
  override write(value: Uint8Array): void {
    if (value.byteLength) this.chunks.push(value);
  }
}

const SCHEMA = new Schema([
  new Field('key', new Utf8(), false),
  new Field('ts', new TimestampMillisecond('UTC'), false),
  new Field('value', new Float64(), false),
]);

async function* arrowBatches(rows: number): AsyncGenerator<RecordBatch> {
  for (let from = 0; from < rows; from += BATCH) yield arrowBatch(SCHEMA, from, Math.min(BATCH, rows - from));
}

/** The same rows as a Parquet file, written as it is sent (parquet-wasm's streaming writer). */
async function* parquetBody(rows: number): AsyncGenerator<Uint8Array> {
  const { exportParquet } = await import('@seqcast/data');
  yield* exportParquet(SCHEMA, arrowBatches(rows));
}

async function* arrowBody(rows: number, codec: 'zstd' | null = null): AsyncGenerator<Uint8Array> {
  const schema = SCHEMA;
  const { streamWriter } = await import('@seqcast/data');
  const writer = await streamWriter(codec);
  const sink = new Collect();
  const chunks = sink.chunks;
  // Serialise batch by batch and hand the bytes on: nothing accumulates.
  writer.reset(sink as never, schema);
  for (let from = 0; from < rows; from += BATCH) {
    writer.write(arrowBatch(schema, from, Math.min(BATCH, rows - from)));
    yield* chunks.splice(0);
  }
  writer.finish();
  yield* chunks.splice(0);
}

async function* csvBody(rows: number): AsyncGenerator<string> {
  // Text pieces are precomputed so the client outpaces the server's parser.
  const stamps = Array.from({ length: ROWS_PER_SERIES }, (_, i) => new Date(T0 + i * 1000).toISOString());
  const waves = Array.from({ length: 4096 * 7 }, (_, i) =>
    (WAVE[i & 4095] + Math.floor(i / 4096)).toFixed(6),
  );
  yield 'key,ts,value\n';
  for (let from = 0; from < rows; from += BATCH) {
    const n = Math.min(BATCH, rows - from);
    const lines: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = from + i;
      lines[i] =
        `s${String(Math.floor(r / ROWS_PER_SERIES)).padStart(5, '0')},${stamps[r % ROWS_PER_SERIES]},${waves[(r & 4095) + 4096 * (r % 7)]}`;
    }
    yield lines.join('\n') + '\n';
  }
}

/** The client (a child process): streams one upload and reports the response. */
async function client(job: Job): Promise<void> {
  const type =
    job.kind === 'csv'
      ? 'text/csv'
      : job.kind === 'parquet'
        ? 'application/vnd.apache.parquet'
        : 'application/vnd.apache.arrow.stream';
  let body =
    job.kind === 'csv'
      ? csvBody(job.rows)
      : job.kind === 'parquet'
        ? parquetBody(job.rows)
        : arrowBody(job.rows, job.kind === 'arrow-zstd' ? 'zstd' : null);
  // The generators load @seqcast/data (and the ZSTD encoder) on first use: loaded here, before the
  // clock starts (the first timings included 0.5-1.5 s of the client compiling its modules).
  const { registerArrowEncoders } = await import('@seqcast/data');
  await registerArrowEncoders();
  if (job.held) {
    const pieces: (Uint8Array | string)[] = [];
    for await (const piece of body as AsyncIterable<Uint8Array | string>) pieces.push(piece);
    body = (async function* () {
      yield* pieces;
    })() as never;
  }
  const started = process.hrtime.bigint();
  const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: job.port,
        method: 'POST',
        path: `/datasets?name=${job.name}&keyColumns=key&timeColumn=ts&valueColumns=value`,
        headers: { 'Content-Type': type },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    (async () => {
      let bytes = 0;
      // The next chunk is made before waiting for the socket to drain, so generating overlaps
      // with the server reading (waiting first left both processes a third idle).
      const chunks = (body as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
      for (let r = await chunks.next(); !r.done;) {
        const chunk = r.value;
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
        const drained = req.write(chunk);
        const next = chunks.next();
        if (!drained) await new Promise((resolve) => req.once('drain', resolve));
        r = await next;
      }
      req.end();
      process.send?.({ bytes });
    })().catch(reject);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.send?.({ status: result.status, seconds, body: result.status === 201 ? '' : result.body });
}

async function server(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-bench-'));
  process.env.LOG_LEVEL = 'silent';
  const { loadConfig } = await import('@seqcast/core');
  const { createApp } = await import('../apps/api/src/create-app');
  const config = loadConfig({
    DATA_DIR: dataDir,
    SEQCAST_DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    MAX_UPLOAD_BYTES: String(8 * 1024 ** 3),
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const results: string[] = [];
  const runs: Omit<Job, 'port'>[] = [
    { kind: 'arrow', rows: 1_000_000, name: 'arrow-1m' },
    { kind: 'arrow', rows: 3_000_000, name: 'arrow-3m' },
    { kind: 'arrow', rows: 10_000_000, name: 'arrow-10m' },
    { kind: 'arrow', rows: 10_000_000, name: 'arrow-10m-again' },
    { kind: 'arrow', rows: 10_000_000, name: 'arrow-10m-held', held: true },
    { kind: 'arrow-zstd', rows: 10_000_000, name: 'arrow-zstd-10m' },
    { kind: 'parquet', rows: 10_000_000, name: 'parquet-10m' },
    // the first Parquet upload of a process also tiers up parquet-wasm's compiled code
    { kind: 'parquet', rows: 10_000_000, name: 'parquet-10m-again' },
    { kind: 'csv', rows: 1_000_000, name: 'csv-1m' },
  ];
  // --only=arrow-10m,parquet-10m runs a part of the table (the machine is shared), in that order.
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',');
  // --gc-between forces a full collection before each upload (a cleaner RSS baseline). Off by
  // default: it is nothing a serving process does, and it cost every later upload a third of its
  // speed (the forced, memory-reducing collection drops optimised code and shrinks the young
  // generation: 10M rows at 6-8M rows/s after it, 11-14M without, on a quiet box).
  const gcBetween = process.argv.includes('--gc-between');
  for (const run of only ? only.map((n) => runs.find((r) => r.name === n)!).filter(Boolean) : runs) {
    if (gcBetween) global.gc?.();
    await new Promise((r) => setTimeout(r, 200));
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    // memoryUsage.rss(), not memoryUsage(): the full call walks the heap's spaces (0.6 ms each,
    // 6% of the server's time in an upload when sampled every 10 ms).
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
    const child = fork(__filename, ['--client', JSON.stringify({ ...run, port })], {
      execArgv: process.execArgv,
    });
    const report = await new Promise<{ status: number; seconds: number; body: string; bytes: number }>(
      (resolve, reject) => {
        const acc: Record<string, unknown> = {};
        child.on('message', (m: Record<string, unknown>) => {
          Object.assign(acc, m);
          if ('status' in m) resolve(acc as never);
        });
        child.on('exit', (code) => code && reject(new Error(`client exited ${code}`)));
      },
    );
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    if (report.status !== 201) throw new Error(`${run.name}: HTTP ${report.status} ${report.body}`);
    const mb = (x: number) => (x / 1024 / 1024).toFixed(0);
    const label =
      {
        arrow: 'Arrow IPC stream',
        'arrow-zstd': 'Arrow IPC stream, ZSTD bodies',
        parquet: 'Parquet (ZSTD pages)',
        csv: 'CSV',
      }[run.kind] + (run.held ? ', body made before the clock' : '');
    const line = `| ${label} | ${(run.rows / 1e6).toFixed(0)}M | ${(report.bytes / 1e6).toFixed(0)} MB | ${report.seconds.toFixed(2)} s | ${(run.rows / report.seconds / 1e6).toFixed(2)}M | ${mb(peak)} MiB | ${mb(baseline)} MiB |`;
    console.log(line);
    results.push(line);
  }
  await app.close();
  // Without HTTP: the same 10M-row stream fed to the ingest pipeline in this process
  // (generation included, so this is a lower bound of parse + validate + store). On a shared
  // machine wall time says little: CPU time of the process (all threads: the file-writing
  // thread, GC helpers) and of the main thread (the event loop, what limits throughput while
  // the second core is free) are reported too, and the generator alone for subtraction.
  // --repeat=N runs it N times (the first includes JIT warm-up). --pregenerated=N also ingests
  // N rows serialised beforehand (held in memory), which times the server's side alone.
  const { DatasetStore, IssueCollector, openSource, ingestBatches } = await import('@seqcast/data');
  const store = new DatasetStore(path.join(dataDir, 'direct'));
  await store.init();
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const repeat = Number(arg('repeat') ?? 1);
  const pregenerated = Number(arg('pregenerated') ?? 0);
  const cpuLines: string[] = [];
  if (pregenerated > 0 && (!only || only.includes('in-process'))) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of arrowBody(pregenerated)) chunks.push(chunk.slice());
    for (let r = 0; r < repeat; r++) {
      global.gc?.();
      const clock = cpuClock();
      const issues = new IssueCollector();
      const roles = { keyColumns: ['key'], timeColumn: 'ts', valueColumns: ['value'] };
      const replay = (async function* () {
        yield* chunks;
      })();
      const { source } = await openSource(replay, { format: 'arrow', kind: 'series', roles }, issues);
      const v = await ingestBatches(store, source, { kind: 'series', issues, roles });
      cpuLines.push(cpuLine('ingest of a pre-generated stream', pregenerated, clock()));
      await store.remove([v.newFile]);
    }
  }
  for (const rows of only && !only.includes('in-process') ? [] : [10_000_000]) {
    for (let r = 0; r < repeat; r++) {
      global.gc?.();
      const baseline = process.memoryUsage.rss();
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
      const clock = cpuClock();
      const issues = new IssueCollector();
      const roles = { keyColumns: ['key'], timeColumn: 'ts', valueColumns: ['value'] };
      const { source } = await openSource(
        arrowBody(rows),
        { format: 'arrow', kind: 'series', roles },
        issues,
      );
      const v = await ingestBatches(store, source, { kind: 'series', issues, roles });
      const used = clock();
      clearInterval(sampler);
      await store.remove([v.newFile]); // the next repeat writes the same file
      const mb = (x: number) => (x / 1024 / 1024).toFixed(0);
      results.push(
        `| Arrow IPC stream, in process (no HTTP; generator on the same core) | ${rows / 1e6}M | — | ${used.wall.toFixed(2)} s | ${(rows / used.wall / 1e6).toFixed(2)}M | ${mb(peak)} MiB | ${mb(baseline)} MiB |`,
      );
      console.log(results[results.length - 1]);
      cpuLines.push(cpuLine('ingest (generator included)', rows, used));
    }
    // The client's share of the in-process figure: generating and serialising the stream.
    const clock = cpuClock();
    for await (const chunk of arrowBody(rows)) void chunk;
    cpuLines.push(cpuLine('generator alone', rows, clock()));
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (cpuLines.length) {
    console.log(
      '\n| in process | rows | wall | CPU, process | CPU, main thread | ns a row (process / main) |\n| --- | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const l of cpuLines) console.log(l);
  }
  console.log(
    '\n| input | rows | bytes | time | rows/s | peak RSS (server) | RSS before |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const l of results) console.log(l);
}

/** CPU seconds of this process (all threads) and of its main thread (Linux: /proc; NaN elsewhere). */
function cpuClock(): () => { wall: number; process: number; main: number } {
  const mainTicks = () => {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 10 ms
    } catch {
      return NaN;
    }
  };
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const main = mainTicks();
  return () => {
    const d = process.cpuUsage(cpu);
    return {
      wall: Number(process.hrtime.bigint() - started) / 1e9,
      process: (d.user + d.system) / 1e6,
      main: mainTicks() - main,
    };
  };
}

function cpuLine(label: string, rows: number, t: { wall: number; process: number; main: number }): string {
  return `| ${label} | ${rows / 1e6}M | ${t.wall.toFixed(2)} s | ${t.process.toFixed(2)} s | ${t.main.toFixed(2)} s | ${((t.process / rows) * 1e9).toFixed(0)} / ${((t.main / rows) * 1e9).toFixed(0)} |`;
}

export { arrowBody, arrowBatches, csvBody, SCHEMA };

const at = process.argv.indexOf('--client');
if (require.main === module)
  (at >= 0 ? client(JSON.parse(process.argv[at + 1]) as Job) : server()).catch((e) => {
    console.error(e);
    process.exit(1);
  });
