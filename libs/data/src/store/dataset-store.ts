import { promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordBatch, Schema } from 'apache-arrow';
import { NotFound } from '@seqcast/core';
import { openArrowFile } from '../arrow/read-ipc';
import { ArrowFileSink, WrittenFile } from '../arrow/write-ipc-file';
import { BodyCodec } from '../arrow/codecs';
import { SeriesSummary } from '../validation/series-state';
import { DEFAULT_LEASE_TTL_MS, leaseRenewMs, sweepExpired } from './temp-lease';

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

/** The index file beside a data file. */
function indexOf(dataPath: string): string {
  return dataPath.replace(/\.arrow$/, '.index.json');
}

/**
 * Renews a stored file's time before an upload reuses it, so the orphan sweep spares it
 * until its version's row is written; false when it was removed meanwhile (write it again).
 */
async function touched(file: string): Promise<boolean> {
  const now = new Date();
  try {
    await fsp.utimes(file, now, now);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Immutable dataset files under one root directory. A version's data is a list of
 * Arrow IPC files, each named by the sha256 of its bytes; an append adds one file
 * and reuses the rest. Files are written under a temporary name and renamed into
 * place only when complete, so a crash or a rejected upload leaves no data file.
 * Temporary files are leased (see temp-lease.ts): their writer renews them, and the
 * sweep at start and every while removes only those whose lease has expired.
 */
export class DatasetStore {
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    readonly root: string,
    private readonly options: { fsync?: boolean; leaseTtlMs?: number } = {},
  ) {}

  get leaseTtlMs(): number {
    return this.options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  }

  /** How often writers into this store renew their temporary files' leases. */
  get leaseRenewMs(): number {
    return leaseRenewMs(this.leaseTtlMs);
  }

  async init(): Promise<void> {
    await fsp.mkdir(this.root, { recursive: true });
    await this.sweepTemporaries();
  }

  /** Removes temporary files whose lease expired (a killed or crashed upload, in any process). */
  async sweepTemporaries(): Promise<string[]> {
    return sweepExpired(this.root, this.leaseTtlMs);
  }

  /**
   * Sweeps every half TTL (between 0.5 s and a minute), so a crashed writer's file goes
   * without waiting for a restart. Unref'd: it never keeps the process alive.
   */
  startSweeping(): void {
    if (this.sweeper) return;
    const every = Math.max(500, Math.min(60000, Math.floor(this.leaseTtlMs / 2)));
    this.sweeper = setInterval(() => void this.sweepTemporaries().catch(() => undefined), every);
    this.sweeper.unref();
  }

  stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  pathOf(file: string): string {
    if (!HASHED.test(file)) throw new NotFound(`No dataset file ${file}`);
    return path.join(this.root, file);
  }

  /** A sink for one new data file; commit it with `commit`, or call its `abort`. */
  async createSink(schema: Schema, compression: BodyCodec | null = null): Promise<ArrowFileSink> {
    await fsp.mkdir(this.root, { recursive: true });
    const sink = new ArrowFileSink(this.root, schema, {
      fsync: this.options.fsync ?? true,
      renewMs: this.leaseRenewMs,
      compression,
    });
    await sink.open();
    return sink;
  }

  /** Moves a finished temporary file to its content-hash name, with its index beside it. */
  async commit(written: WrittenFile, index: FileIndex): Promise<CommittedFile> {
    const file = `${written.hash}.arrow`;
    const target = path.join(this.root, file);
    const indexPath = path.join(this.root, `${written.hash}.index.json`);
    if (fs.existsSync(target) && fs.existsSync(indexPath) && (await touched(target))) {
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

  /** Bytes on disk of data files and their indexes (each file counted once). */
  async bytesOf(files: string[]): Promise<number> {
    let total = 0;
    for (const f of new Set(files)) {
      const p = this.pathOf(f);
      total += (await fsp.stat(p)).size + (await fsp.stat(indexOf(p))).size;
    }
    return total;
  }

  /**
   * Removes data files no version lists (and index files without their data file), of
   * those last written or reused more than `minAgeMs` ago. Such orphans come from a crash
   * between a dataset's deletion and the removal of its files, or between a file's commit
   * and its version's row; they are harmless (nothing reads a file no version lists) and
   * only take space. The age spares an upload between its commit and its row: `commit`
   * renews the time of a file it reuses.
   */
  async sweepOrphans(referenced: Set<string>, minAgeMs: number): Promise<string[]> {
    const names = new Set(await fsp.readdir(this.root).catch(() => [] as string[]));
    const cutoff = Date.now() - minAgeMs;
    const removed: string[] = [];
    for (const name of names) {
      const data = name.replace(/\.index\.json$/, '.arrow');
      if (!HASHED.test(data) || referenced.has(data)) continue;
      if (name !== data && names.has(data)) continue; // an index goes with its data file
      const p = path.join(this.root, name);
      const stat = await fsp.stat(p).catch(() => null);
      if (!stat || stat.mtimeMs > cutoff) continue;
      await fsp.rm(p, { force: true });
      if (name === data) await fsp.rm(indexOf(p), { force: true });
      removed.push(name);
    }
    return removed;
  }

  /** Deletes data files (and their indexes): undoes a commit whose metadata could not be saved. */
  async remove(files: string[]): Promise<void> {
    for (const f of files) {
      const p = this.pathOf(f);
      await fsp.rm(p, { force: true });
      await fsp.rm(indexOf(p), { force: true });
    }
  }

  async readIndex(file: string): Promise<FileIndex> {
    const p = indexOf(this.pathOf(file));
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
