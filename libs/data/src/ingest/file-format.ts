// Import-free on purpose: the web console bundles this file (apps/console/tsconfig.json includes
// it), so the upload form guesses a file's format by the same rule as the CLI's ingest.

export const INPUT_FORMATS = ['arrow', 'parquet', 'csv', 'json', 'ndjson', 'tsf', 'easytpp', 'ts'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** The format a file's extension names (a `.json` file of events is EasyTPP JSON); null when it names none. */
export function formatOfFileName(name: string, kind?: string): InputFormat | null {
  const lower = name.toLowerCase();
  if (kind === 'events' && lower.endsWith('.json')) return 'easytpp';
  if (/\.(arrow|arrows|feather|ipc)$/.test(lower)) return 'arrow';
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.tsf')) return 'tsf';
  if (lower.endsWith('.ts')) return 'ts';
  if (/\.(ndjson|jsonl)$/.test(lower)) return 'ndjson';
  if (lower.endsWith('.json')) return 'json';
  return null;
}
