import { promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordBatch, Schema } from 'apache-arrow';
import { NotFound } from '@seqcast/core';
import { openArrowFile } from '../arrow/read-ipc';
import { ArrowFileSink, WrittenFile } from '../arrow/write-ipc-file';
import { SeriesSummary } from '../validation/series-state';

/** Written beside each data file: its series, so listing and appending never scan data. */
export interface FileIndex {
  format: 1;
  rows: number;
  series: SeriesSummary[];
}

export interface CommittedFile {
  /** File name under the store root: `<sha256>.arrow`. */
  file: string;
  hash: string;
  bytes: number;
  /** False when an identical file was already stored (content addressing deduplicates). */
  created: boolean;
}

const HASHED = /^[0-9a-f]{64}\.arrow$/;
const TEMP = /^\.tmp-(\d+)-[0-9a-f]+\./;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Immutable dataset files under one root directory. A version's data is a list of
 * Arrow IPC files, each named by the sha256 of its bytes; an append adds one file
 * and reuses the rest. Files are written under a temporary name and renamed into
 * place only when complete, so a crash or a rejected upload leaves no data file
 * (stale temporary files of dead processes are swept at start).
 */
export class DatasetStore {
  constructor(
    readonly root: string,
    private readonly options: { fsync?: boolean } = {},
  ) {}

  async init(): Promise<void> {
    await fsp.mkdir(this.root, { recursive: true });
    await this.sweepTemporaries();
  }

  /** Removes temporary files left by processes that no longer run (a killed upload). */
  async sweepTemporaries(): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await fsp.readdir(this.root).catch(() => [] as string[])) {
      const m = TEMP.exec(name);
      if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) {
        await fsp.rm(path.join(this.root, name), { force: true });
        removed.push(name);
      }
    }
    return removed;
  }

  pathOf(file: string): string {
    if (!HASHED.test(file)) throw new NotFound(`No dataset file ${file}`);
    return path.join(this.root, file);
  }

  /** A sink for one new data file; commit it with `commit`, or call its `abort`. */
  async createSink(schema: Schema): Promise<ArrowFileSink> {
    await fsp.mkdir(this.root, { recursive: true });
    const sink = new ArrowFileSink(this.root, schema, { fsync: this.options.fsync ?? true });
    await sink.open();
    return sink;
  }

  /** Moves a finished temporary file to its content-hash name, with its index beside it. */
  async commit(written: WrittenFile, index: FileIndex): Promise<CommittedFile> {
    const file = `${written.hash}.arrow`;
    const target = path.join(this.root, file);
    const indexPath = path.join(this.root, `${written.hash}.index.json`);
    if (fs.existsSync(target) && fs.existsSync(indexPath)) {
      await fsp.rm(written.tempPath, { force: true });
      return { file, hash: written.hash, bytes: written.bytes, created: false };
    }
    const tempIndex = `${written.tempPath}.index.json`;
    try {
      await fsp.writeFile(tempIndex, JSON.stringify(index));
      // The index goes first: a data file in place always has its index.
      await fsp.rename(tempIndex, indexPath);
      await fsp.rename(written.tempPath, target);
    } catch (e) {
      await fsp.rm(tempIndex, { force: true });
      await fsp.rm(written.tempPath, { force: true });
      throw e;
    }
    return { file, hash: written.hash, bytes: written.bytes, created: true };
  }

  /** Deletes data files (and their indexes): undoes a commit whose metadata could not be saved. */
  async remove(files: string[]): Promise<void> {
    for (const f of files) {
      const p = this.pathOf(f);
      await fsp.rm(p, { force: true });
      await fsp.rm(p.replace(/\.arrow$/, '.index.json'), { force: true });
    }
  }

  async readIndex(file: string): Promise<FileIndex> {
    const p = this.pathOf(file).replace(/\.arrow$/, '.index.json');
    try {
      return JSON.parse(await fsp.readFile(p, 'utf8')) as FileIndex;
    } catch {
      throw new NotFound(`Missing index for dataset file ${file}`);
    }
  }

  /** The series of a multi-file version, merged: rows added, first and last widened. */
  async readSeries(files: string[]): Promise<SeriesSummary[]> {
    const merged = new Map<string, SeriesSummary>();
    for (const f of files) {
      for (const s of (await this.readIndex(f)).series) {
        const m = merged.get(s.key);
        if (!m) merged.set(s.key, { ...s });
        else {
          m.rows += s.rows;
          m.first = Math.min(m.first, s.first);
          m.last = Math.max(m.last, s.last);
        }
      }
    }
    return [...merged.values()];
  }

  async readSchema(file: string): Promise<Schema> {
    const opened = await openArrowFile(this.pathOf(file));
    await opened.close?.();
    return opened.schema;
  }

  /** Every record batch of a version, file after file, in constant memory. */
  async *readBatches(files: string[]): AsyncGenerator<RecordBatch> {
    for (const f of files) yield* (await openArrowFile(this.pathOf(f))).batches;
  }
}
