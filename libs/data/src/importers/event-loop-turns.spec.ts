import { TURN_ROWS } from '@seqcast/core';
import { InputFormat, openSource } from '../ingest/open-source';
import { DatasetKind } from '../schema/dataset-schema';
import { IssueCollector } from '../validation/issues';
import { turnsDuring } from '../../../../test/support/event-loop-turns';

/** The input as one chunk: a source that never waits, so any turn the loop gets is the importer's. */
async function* whole(text: string): AsyncGenerator<string> {
  yield text;
}

/** Reads every batch of `text` and counts the event loop's check phases meanwhile. */
async function ticksWhileReading(text: string, format: InputFormat, kind: DatasetKind = 'series') {
  const { value: rows, ticks } = await turnsDuring(async () => {
    let n = 0;
    const issues = new IssueCollector(10);
    const { source } = await openSource(whole(text), { format, kind }, issues);
    for await (const b of source.batches) n += b.numRows;
    issues.throwIfAny();
    return n;
  });
  return { rows, ticks };
}

const N = 60_000;
const iso = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
const values = Array.from({ length: N }, (_, i) => String(i % 10)).join(',');

/**
 * Every importer gives the event loop a turn at least every TURN_ROWS rows it builds, even
 * when the whole upload is already in memory (a fast client, a JSON body): /health and the
 * other requests are answered meanwhile. Counted, not timed.
 */
describe('importers give the event loop turns while they parse', () => {
  it.each([
    ['csv', () => ['time,value', ...Array.from({ length: N }, (_, i) => `${iso(i)},${i % 7}`)].join('\n')],
    ['json', () => JSON.stringify(Array.from({ length: N }, (_, i) => ({ time: iso(i), value: i % 7 })))],
    [
      'ndjson',
      () => Array.from({ length: N }, (_, i) => JSON.stringify({ time: iso(i), value: i % 7 })).join('\n'),
    ],
    // one line of 60 000 values: split in turns too
    [
      'tsf',
      () =>
        `@relation x\n@attribute series_name string\n@attribute start_timestamp date\n@frequency 10_seconds\n@data\nS:2024-01-01 00-00-00:${values}\n`,
    ],
  ] as const)(
    '%s',
    async (format, text) => {
      const { rows, ticks } = await ticksWhileReading(text(), format);
      expect(rows).toBe(N);
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(N / TURN_ROWS) - 1);
    },
    60_000,
  );

  it.each([
    [
      'ts',
      () => `@problemName x\n@timeStamps false\n@univariate true\n@classLabel true a\n@data\n${values}:a\n`,
    ],
    [
      'easytpp',
      () =>
        JSON.stringify(
          Array.from({ length: 60 }, () => ({
            dim_process: 2,
            time_since_start: Array.from({ length: N / 60 }, (_, i) => i),
            type_event: Array.from({ length: N / 60 }, (_, i) => i % 2),
          })),
        ),
    ],
  ] as const)(
    '%s',
    async (format, text) => {
      const { rows, ticks } = await ticksWhileReading(text(), format, 'events');
      expect(rows).toBe(N);
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(N / TURN_ROWS) - 1);
    },
    60_000,
  );
});
