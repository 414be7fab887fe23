import * as fs from 'node:fs';
import * as path from 'node:path';
import pl from 'nodejs-polars';
import {
  Field,
  Float64,
  MessageReader,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import { FIXTURES } from '../testing/polars/fixture-data';
import { batchOf, chunked, ipcStream } from '../testing/arrow-fixtures';
import { ingestInput, tempStore } from '../testing/ingest-helpers';
import { openArrowFile, openArrowStream } from './read-ipc';
import { ArrowFileSink } from './write-ipc-file';

const DIR = path.join(__dirname, '../testing/polars/fixtures');

/** The IPC stream inside an IPC file: the messages between the leading magic and the footer. */
function streamOfFile(file: Buffer): Buffer {
  const footer = file.readInt32LE(file.length - 10);
  return file.subarray(8, file.length - 10 - footer);
}

/** Record batch bodies of a stream, by apache-arrow's own message reader (not the code under test). */
function bodiesOf(stream: Uint8Array): Uint8Array[] {
  const reader = new MessageReader(stream);
  const out: Uint8Array[] = [];
  for (let m = reader.readMessage(); m; m = reader.readMessage()) {
    const body = reader.readMessageBody(m.bodyLength);
    if (m.isRecordBatch()) out.push(body.slice());
  }
  return out;
}

async function storedBatches(file: string): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of (await openArrowFile(file)).batches) out.push(b);
  return out;
}

/** The stored file's `value` column, NaN where null. */
async function storedValues(file: string): Promise<number[]> {
  return (await storedBatches(file)).flatMap((b) => {
    const v = b.getChild('value')!;
    return [...(v.toArray() as Float64Array)].map((x, i) => (v.isValid(i) ? x : NaN));
  });
}

// Polars' IPC files without dictionaries or compression: their messages, sent as a stream,
// are stored as polars encoded them.
const PLAIN = FIXTURES.filter(
  (f) => f.container === 'file' && !f.codec && f.key !== 'categorical' && f.value !== 'decimal',
).map((f) => [f.file, f] as const);

describe('received record batch bodies stored verbatim', () => {
  it.each(PLAIN)(
    '%s sent as a stream: bodies byte for byte, polars reads the same frame, same version content',
    async (file, spec) => {
      const fixture = fs.readFileSync(path.join(DIR, file));
      // An integer column is a value unless named as the key.
      const args = {
        format: 'arrow' as const,
        kind: 'series' as const,
        roles: /int/.test(spec.key) ? { keyColumns: ['key'] } : undefined,
      };
      const stream = streamOfFile(fixture);
      const { store, cleanup } = await tempStore();
      try {
        const v = await ingestInput(store, chunked(stream, 1000), args);
        const stored = fs.readFileSync(store.pathOf(v.newFile));
        const bodies = bodiesOf(stream);
        expect(bodies.length).toBeGreaterThan(0);
        for (const body of bodies) expect(stored.indexOf(body)).toBeGreaterThan(0);
        expect((await storedBatches(store.pathOf(v.newFile))).length).toBe(bodies.length);
        // The independent implementation reads the stored file as the one it wrote.
        expect(pl.readIPC(stored).frameEqual(pl.readIPC(fixture), true)).toBe(true);
        // The same upload as a file is re-serialised through Arrow's writer: the same version
        // (for some fixtures even the same file: Arrow JS lays those bodies out as polars did).
        const again = await ingestInput(store, chunked(fixture, 1000), args);
        for (const k of ['schema', 'rowCount', 'seriesCount', 'timeStart', 'timeEnd', 'frequency', 'stats'])
          expect(v[k as keyof typeof v]).toEqual(again[k as keyof typeof again]);
      } finally {
        cleanup();
      }
    },
  );

  const schema = new Schema([
    new Field('key', new Utf8(), false),
    new Field('ts', new TimestampMillisecond('UTC'), false),
    new Field('value', new Float64(), false),
  ]);
  const T0 = Date.UTC(2024, 0, 1);
  /** Rows [from, from + n): series 'a' then 'b' (60000 rows each), one a minute, value = row / 8. */
  function rows(from: number, n: number): RecordBatch {
    const b = batchOf({
      key: { type: 'utf8', values: Array.from({ length: n }, (_, i) => (from + i < 60000 ? 'a' : 'b')) },
      ts: {
        type: 'ts',
        values: Array.from({ length: n }, (_, i) => new Date(T0 + ((from + i) % 60000) * 60000)),
      },
      value: { type: 'f64', values: Array.from({ length: n }, (_, i) => (from + i) / 8) },
    });
    return new RecordBatch(schema, b.data);
  }

  it('writes a message whose slices did not all come back as received through the writer, the rest verbatim', async () => {
    const sent = [rows(0, 40000), rows(40000, 40000), rows(80000, 40000)];
    const opened = await openArrowStream(chunked(ipcStream(sent), 65536));
    const { dir, cleanup } = await tempStore();
    try {
      const sink = new ArrowFileSink(dir, opened.schema, { fsync: false });
      await sink.open();
      let slice = 0;
      for await (const b of opened.batches) {
        // The second message's middle slice comes without its message (as if validation had changed it).
        await sink.write(b, slice++ === 4 ? undefined : opened.received!(b));
      }
      const written = await sink.finish();
      const stored = await storedBatches(written.tempPath);
      expect(stored.map((b) => b.numRows)).toEqual([40000, 16384, 16384, 7232, 40000]);
      expect(await storedValues(written.tempPath)).toEqual(Array.from({ length: 120000 }, (_, i) => i / 8));
      const df = pl.readIPC(fs.readFileSync(written.tempPath));
      expect(df.height).toBe(120000);
      expect(
        df
          .getColumn('key')
          .toArray()
          .filter((k) => k === 'b').length,
      ).toBe(60000);
      expect(written.rows).toBe(120000);
    } finally {
      cleanup();
    }
  });

  it('stores a message of up to 2^17 rows as one batch, a larger one in slices as before', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const small = await ingestInput(store, chunked(ipcStream([rows(0, 60000)]), 65536), {
        format: 'arrow',
        kind: 'series',
      });
      expect((await storedBatches(store.pathOf(small.newFile))).map((b) => b.numRows)).toEqual([60000]);
      const n = 200000;
      const big = batchOf({
        ts: { type: 'ts', values: Array.from({ length: n }, (_, i) => new Date(T0 + i * 1000)) },
        value: { type: 'f64', values: Array.from({ length: n }, (_, i) => i) },
      });
      const v = await ingestInput(store, chunked(ipcStream([big]), 65536), {
        format: 'arrow',
        kind: 'series',
      });
      const sizes = (await storedBatches(store.pathOf(v.newFile))).map((b) => b.numRows);
      expect(Math.max(...sizes)).toBe(16384);
      expect(sizes.reduce((x, y) => x + y, 0)).toBe(n);
    } finally {
      cleanup();
    }
  });

  it('reads a pre-0.15 stream (no continuation markers) and stores its bodies', async () => {
    const sent = [rows(0, 1000), rows(1000, 1000)];
    const writer = new RecordBatchStreamWriter({ writeLegacyIpcFormat: true });
    const legacy = writer.writeAll(sent).toUint8Array(true);
    expect(new DataView(legacy.buffer, legacy.byteOffset).getInt32(0, true)).toBeGreaterThan(0);
    const { store, cleanup } = await tempStore();
    try {
      const v = await ingestInput(store, chunked(legacy, 333), { format: 'arrow', kind: 'series' });
      expect(v.rowCount).toBe(2000);
      const stored = fs.readFileSync(store.pathOf(v.newFile));
      for (const body of bodiesOf(legacy)) expect(stored.indexOf(body)).toBeGreaterThan(0);
      expect(await storedValues(store.pathOf(v.newFile))).toEqual(
        Array.from({ length: 2000 }, (_, i) => i / 8),
      );
    } finally {
      cleanup();
    }
  });
});

describe('message memory reused batch after batch by the ingest', () => {
  it('stores every value of 12 batches exactly, with NaN nulled in some, while reusing frames', async () => {
    const T0 = Date.UTC(2024, 0, 1);
    const n = 5000;
    const sent = Array.from({ length: 12 }, (_, b) =>
      batchOf({
        key: { type: 'utf8', values: Array.from({ length: n }, () => `s${b >> 2}`) },
        ts: {
          type: 'ts',
          values: Array.from({ length: n }, (_, i) => new Date(T0 + ((b & 3) * n + i) * 1000)),
        },
        // Batches 3, 7 and 11 hold a NaN: under the missing policy they are rebuilt with a null.
        value: {
          type: 'f64',
          values: Array.from({ length: n }, (_, i) => (i === 17 && b % 4 === 3 ? NaN : b * n + i)),
        },
      }),
    );
    const allocations = jest.spyOn(Buffer, 'allocUnsafeSlow');
    const { store, cleanup } = await tempStore();
    try {
      // 4096-byte chunks: every message is copied into a frame, the case that reuses memory.
      const v = await ingestInput(store, chunked(ipcStream(sent), 4096), {
        format: 'arrow',
        kind: 'series',
        nan: 'missing',
      });
      expect(allocations.mock.calls.length).toBeLessThan(4);
      const expected = sent.flatMap((b, k) =>
        Array.from({ length: n }, (_, i) => (i === 17 && k % 4 === 3 ? NaN : k * n + i)),
      );
      expect(await storedValues(store.pathOf(v.newFile))).toEqual(expected);
      expect(v.stats.columns.value).toMatchObject({ count: 12 * n - 3, nulls: 3 });
      // The sort keeps every batch until the end: no memory is reused, the same rows come out.
      const sorted = await ingestInput(store, chunked(ipcStream([...sent].reverse()), 4096), {
        format: 'arrow',
        kind: 'series',
        nan: 'missing',
        sort: true,
      });
      expect(await storedValues(store.pathOf(sorted.newFile))).toEqual(expected);
    } finally {
      allocations.mockRestore();
      cleanup();
    }
  });
});
