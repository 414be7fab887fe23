import * as zlib from 'node:zlib';

/** The inputs of the corpus, made here: small ones whole, big ones as chunks made while they are sent. */

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
export const MiB = 1024 * 1024;

export const iso = (i: number, step = HOUR) => new Date(START + i * step).toISOString();

/** `n` hourly rows `time,value` (with the header), one series, valid. */
export function csv(
  n: number,
  o: { header?: string; eol?: string; row?: (i: number) => string } = {},
): string {
  const eol = o.eol ?? '\n';
  const row = o.row ?? ((i: number) => `${iso(i)},${10 + (i % 7)}`);
  const rows = Array.from({ length: n }, (_, i) => row(i));
  return [o.header ?? 'time,value', ...rows].join(eol) + eol;
}

/**
 * About `bytes` of text as 1 MiB chunks: `head` once, then `line(i)` repeated, then `tail`.
 * The generator is made again for every send, so nothing big is held between cases.
 */
export function textOf(
  bytes: number,
  line: (i: number) => string,
  o: { head?: string; tail?: string; separator?: string } = {},
): () => AsyncGenerator<string> {
  return async function* () {
    let sent = 0;
    let i = 0;
    if (o.head) {
      yield o.head;
      sent += o.head.length;
    }
    while (sent < bytes) {
      const parts: string[] = [];
      let size = 0;
      while (size < MiB && sent + size < bytes) {
        const s = (i > 0 && o.separator ? o.separator : '') + line(i++);
        parts.push(s);
        size += s.length;
      }
      sent += size;
      yield parts.join('');
    }
    if (o.tail) yield o.tail;
  };
}

/** `bytes` of one repeated character, in 1 MiB chunks (huge fields and lines). */
export function repeated(bytes: number, head = '', tail = '', c = 'x'): () => AsyncGenerator<string> {
  return async function* () {
    yield head;
    const chunk = c.repeat(MiB);
    for (let sent = 0; sent < bytes; sent += MiB) yield bytes - sent >= MiB ? chunk : c.repeat(bytes - sent);
    yield tail;
  };
}

/** The same chunks, the first after a pause of `ms`. */
export function afterPause(chunks: () => AsyncIterable<string>, ms = 300): () => AsyncGenerator<string> {
  return async function* () {
    await new Promise((resolve) => setTimeout(resolve, ms));
    yield* chunks();
  };
}

export const gzip = (s: string | Buffer) => zlib.gzipSync(s);

/** A small gzip body that inflates to `bytes` zeros (a "zip bomb" for the decompressed-size limit). */
export const gzipBomb = (bytes: number): Buffer => zlib.gzipSync(Buffer.alloc(bytes), { level: 9 });

/** Monash .tsf text: a header (the lines given, or a valid one) and series lines. */
export function tsf(data: string[], header?: string[]): string {
  const head = header ?? [
    '@relation corpus',
    '@attribute series_name string',
    '@attribute start_timestamp date',
    '@frequency hourly',
    '@missing true',
    '@equallength false',
    '@data',
  ];
  return [...head, ...data].join('\n') + '\n';
}

/** sktime .ts text: a header (the lines given, or a univariate class-labelled one) and cases. */
export function sktime(data: string[], header?: string[]): string {
  const head = header ?? [
    '@problemName corpus',
    '@timeStamps false',
    '@univariate true',
    '@classLabel true a b',
    '@data',
  ];
  return [...head, ...data].join('\n') + '\n';
}

/** One EasyTPP sequence with these times and types. */
export function easySeq(times: number[], types: number[], dim = 3, idx = 0): Record<string, unknown> {
  return {
    dim_process: dim,
    seq_idx: idx,
    seq_len: times.length,
    time_since_start: times,
    time_since_last_event: times.map((t, i) => (i === 0 ? 0 : t - times[i - 1])),
    type_event: types,
  };
}
