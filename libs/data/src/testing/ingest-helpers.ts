import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatasetStore } from '../store/dataset-store';
import { IssueCollector } from '../validation/issues';
import { InputFormat, SourceOptions, openSource } from '../ingest/open-source';
import { BaseVersion, IngestOptions, ingestBatches } from '../ingest/ingest';
import { VersionContent } from '../ingest/version-content';
import { textChunks } from './arrow-fixtures';

export async function tempStore(): Promise<{ dir: string; store: DatasetStore; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-data-'));
  const store = new DatasetStore(dir, { fsync: false });
  await store.init();
  return { dir, store, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export type IngestArgs = Partial<SourceOptions> & Partial<IngestOptions> & { format: InputFormat };

/** Ingests bytes or text in one call, the way the service does. */
export async function ingestInput(
  store: DatasetStore,
  input: AsyncIterable<Uint8Array | string> | string,
  args: IngestArgs,
  base?: BaseVersion,
): Promise<VersionContent> {
  const issues = new IssueCollector(args.maxIssues ?? 100);
  const kind = base?.schema.kind ?? args.kind ?? 'series';
  const bytes = typeof input === 'string' ? textChunks(input, 16) : input;
  const { source } = await openSource(bytes, { kind, ...args } as SourceOptions, issues);
  return ingestBatches(store, source, { kind, issues, ...args }, base);
}

/** A version's content as the base of an append. */
export function asBase(v: VersionContent): BaseVersion {
  return {
    files: v.files,
    schema: v.schema,
    rowCount: v.rowCount,
    timeStart: v.timeStart,
    timeEnd: v.timeEnd,
    frequency: v.frequency,
    stats: v.stats,
  };
}

/** Files in the store directory (data, index and any temporary leftovers). */
export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

/** Runs `fn` and returns the error it throws (failing if it does not). */
export async function errorOf(
  fn: () => Promise<unknown>,
): Promise<{
  name: string;
  status?: number;
  message: string;
  details: { row?: number; column?: string; field?: string; reason: string }[];
}> {
  try {
    await fn();
  } catch (e) {
    return e as never;
  }
  throw new Error('expected an error');
}
