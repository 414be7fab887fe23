import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { formatFromFileName } from '@seqcast/data';
import { ApiClient } from '../api-client';
import { progressBar } from '../progress';

const CONTENT_TYPES: Record<string, string> = {
  arrow: 'application/vnd.apache.arrow.stream',
  csv: 'text/csv',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
};

interface IngestFlags {
  kind: 'series' | 'events' | 'seq2seq';
  name?: string;
  description?: string;
  format?: string;
  dataset?: string;
  keyColumns?: string;
  timeColumn?: string;
  valueColumns?: string;
  known?: string;
  past?: string;
  sequenceColumn?: string;
  typeColumn?: string;
  numericFeatures?: string;
  categoricalFeatures?: string;
  targetColumn?: string;
  nan?: string;
  sort?: boolean;
  requireRegular?: boolean;
  window?: string;
  windowOrigin?: string;
  typeFrom?: string;
  typeBins?: string;
  timeUnit?: string;
  features?: string;
  inputColumns?: string;
  targetColumns?: string;
  ratio?: string;
}

/** The query string of an upload, from the flags (names as POST /datasets documents them). */
export function ingestQuery(o: IngestFlags, format: string, fileName: string): URLSearchParams {
  const q = new URLSearchParams({ format });
  const set = (k: string, v: string | boolean | undefined) => v !== undefined && q.set(k, String(v));
  if (!o.dataset) {
    set('name', o.name ?? path.basename(fileName).replace(/\.[^.]+$/, ''));
    set('kind', o.kind);
    set('description', o.description);
  }
  set('keyColumns', o.keyColumns);
  set('timeColumn', o.timeColumn);
  set('valueColumns', o.valueColumns);
  set('knownCovariates', o.known);
  set('pastCovariates', o.past);
  set('sequenceColumn', o.sequenceColumn);
  set('typeColumn', o.typeColumn);
  set('numericFeatures', o.numericFeatures);
  set('categoricalFeatures', o.categoricalFeatures);
  set('targetColumn', o.targetColumn);
  set('nan', o.nan);
  set('sort', o.sort);
  set('requireRegular', o.requireRegular);
  set('window', o.window);
  set('windowOrigin', o.windowOrigin);
  set('typeFrom', o.typeFrom);
  set('typeBins', o.typeBins);
  set('timeUnit', o.timeUnit);
  set('features', o.features);
  set('inputColumns', o.inputColumns);
  set('targetColumns', o.targetColumns);
  set('ratio', o.ratio);
  return q;
}

/**
 * `seqcast ingest <file>`: streams a file to a running server (POST /datasets, or
 * POST /datasets/:id/observations with --dataset), with a progress bar of bytes sent.
 */
export function ingestCommand(client: () => ApiClient): Command {
  return new Command('ingest')
    .description(
      'upload a dataset file (Arrow IPC, CSV, JSON, NDJSON, Monash .tsf, sktime .ts, EasyTPP JSON) to a running server ($SEQCAST_URL)',
    )
    .argument('<file>', 'the data file')
    .option('--kind <kind>', 'series, events or seq2seq', 'series')
    .option('--name <name>', 'dataset name (default: the file name)')
    .option('--description <text>', 'dataset description')
    .option(
      '--format <format>',
      'arrow, parquet, csv, json, ndjson, tsf, ts or easytpp (default: from the extension)',
    )
    .option('--dataset <id>', 'append the rows to this dataset as a new version')
    .option('--key-columns <cols>', 'series key columns, comma-separated')
    .option('--time-column <col>', 'timestamp or event time column')
    .option('--value-columns <cols>', 'value columns, comma-separated')
    .option('--known <cols>', 'covariates known in the future')
    .option('--past <cols>', 'past-only covariates')
    .option('--sequence-column <col>', 'events and seq2seq: sequence key')
    .option('--type-column <col>', 'events: event type')
    .option('--numeric-features <cols>', 'events: numeric features')
    .option('--categorical-features <cols>', 'events: categorical features')
    .option('--target-column <col>', 'events: sequence-level target')
    .option('--nan <policy>', 'reject or missing')
    .option('--sort', 'sort rows by series and time instead of refusing unsorted data')
    .option('--require-regular', 'refuse gaps and off-grid timestamps')
    .option('--window <length>', 'events: cut one long stream into sequences by windows (30D, 1M, 1Y)')
    .option('--window-origin <iso>', 'events: start of the first window')
    .option('--type-from <col>', 'events: column giving types (binned with --type-bins)')
    .option('--type-bins <edges>', 'events: bin edges, comma-separated')
    .option('--time-unit <unit>', 'events: unit of times within a window (D, h, min, s)')
    .option('--features <cols>', 'events: numeric columns kept as features')
    .option(
      '--input-columns <cols>',
      'seq2seq: input columns at the input rate (default: the other numeric columns)',
    )
    .option('--target-columns <cols>', "seq2seq: target columns, filled on each chunk's last row")
    .option('--ratio <n>', 'seq2seq: input rate / output rate (input rows per target row)')
    .action(async (file: string, o: IngestFlags) => {
      const format = o.format ?? formatFromFileName(file, o.kind);
      const size = fs.statSync(file).size;
      const api = client();
      const url = new URL(o.dataset ? `/datasets/${o.dataset}/observations` : '/datasets', api.baseUrl);
      url.search = ingestQuery(o, format, file).toString();
      const bar = progressBar(`ingest ${path.basename(file)}`);
      let sent = 0;
      const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
      stream.on('data', (c) => {
        sent += c.length;
        bar.update(size ? sent / size : 1, `${(sent / 1e6).toFixed(1)} MB`);
      });
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            ...api.authHeaders(),
            'content-type': CONTENT_TYPES[format] ?? 'application/octet-stream',
            'content-length': String(size),
          },
          body: Readable.toWeb(stream) as never,
          duplex: 'half',
        } as RequestInit);
      } catch (e) {
        bar.stop();
        throw new Error(
          `cannot reach seqcast at ${api.baseUrl} (${(e as Error).message}); start it with \`npm start\` or set SEQCAST_URL`,
        );
      }
      bar.stop();
      const body = (await res.json().catch(() => ({}))) as {
        message?: string;
        details?: { row?: number; column?: string; field?: string; reason: string }[];
        [k: string]: unknown;
      };
      if (!res.ok) {
        const details = (body.details ?? [])
          .map(
            (d) =>
              `\n  ${[d.row !== undefined ? `row ${d.row}` : '', d.column ?? d.field ?? ''].filter(Boolean).join(', ')}: ${d.reason}`,
          )
          .join('');
        throw new Error(`${res.status}: ${body.message ?? ''}${details}`);
      }
      const v = (o.dataset ? body : body.latest) as {
        version: number;
        rowCount: number;
        seriesCount: number;
        frequency: string | null;
      };
      console.log(
        `${o.dataset ?? body.id} version ${v.version}: ${v.rowCount} rows, ${v.seriesCount} ${o.kind === 'series' ? 'series' : 'sequences'}${v.frequency ? `, frequency ${v.frequency}` : ''}`,
      );
    });
}
