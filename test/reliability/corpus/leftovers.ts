import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { COUNTED_TABLES, CountedTable } from './corpus-case';

/** Every file under `dir`, relative to it. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/** What the server's database and data folder hold, read from outside the server. */
export interface Holdings {
  rows: Record<CountedTable, number>;
  /** Files of the dataset store that some version lists (with their indexes). */
  referenced: string[];
  /** Files of the dataset store. */
  stored: string[];
  /** Temporary files anywhere in the data folder (uploads, spools, sinks). */
  temporary: string[];
}

export async function holdings(dataDir: string): Promise<Holdings> {
  const db = new DataSource({
    type: 'better-sqlite3',
    database: path.join(dataDir, 'seqcast.db'),
    readonly: true,
  });
  await db.initialize();
  try {
    const rows = {} as Record<CountedTable, number>;
    for (const t of COUNTED_TABLES) rows[t] = Number((await db.query(`select count(*) as n from ${t}`))[0].n);
    const versions = (await db.query('select files from dataset_version')) as { files: string }[];
    const referenced = [
      ...new Set(
        versions.flatMap((v) =>
          (JSON.parse(v.files) as string[]).flatMap((f) => [f, f.replace(/\.arrow$/, '.index.json')]),
        ),
      ),
    ].sort();
    return {
      rows,
      referenced,
      stored: filesUnder(path.join(dataDir, 'datasets')),
      temporary: filesUnder(dataDir).filter((f) => path.basename(f).startsWith('.tmp-')),
    };
  } finally {
    await db.destroy();
  }
}
