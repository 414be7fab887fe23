import type { UploadIssue } from './datasets-types';

// A refused upload's details, laid out against the data: the API names a 1-based data row
// (the CSV header is not counted) and a column for each problem in the data, and a request
// field (name, ratio, content-type) for each problem in the query.

export interface IssueRow {
  /** 1-based data row, null for a problem of a whole column or of the request. */
  row: number | null;
  column: string | null;
  /** The request field at fault (a query parameter), when the problem is not in the data. */
  field: string | null;
  reason: string;
}

/** Problems in the file's order: the request's and whole columns' first, then by row. */
export function issueRows(details: UploadIssue[]): IssueRow[] {
  return details
    .map((d) => ({
      row: typeof d.row === 'number' ? d.row : null,
      column: d.column ?? null,
      field: d.field ?? null,
      reason: d.reason,
    }))
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.row ?? 0) - (b.r.row ?? 0) || a.i - b.i)
    .map(({ r }) => r);
}

/** The data rows the problems name, without repeats, ascending. */
export function issueRowNumbers(rows: IssueRow[]): number[] {
  return [...new Set(rows.map((r) => r.row).filter((r): r is number => r !== null))].sort((a, b) => a - b);
}

/**
 * Collects chosen records of a CSV text fed in chunks (record 0 is the header, record r data row
 * r), and says when it has them all, so a large file is read only as far as the last one
 * needed. Newlines inside quoted fields do not end a record, as in the API's CSV reader.
 */
export class CsvRecordPicker {
  readonly records = new Map<number, string>();
  private index = 0;
  private current = '';
  private quoted = false;
  private readonly wanted: Set<number>;
  private readonly last: number;

  constructor(rows: number[]) {
    this.wanted = new Set([0, ...rows]);
    this.last = Math.max(0, ...rows);
  }

  get done(): boolean {
    return this.index > this.last;
  }

  /** Feeds the next chunk of text; false once every wanted record is known. */
  push(chunk: string): boolean {
    for (let i = 0; i < chunk.length && !this.done; i++) {
      const c = chunk[i];
      if (c === '"') this.quoted = !this.quoted;
      if (c === '\n' && !this.quoted) {
        this.end();
        continue;
      }
      if (this.wanted.has(this.index)) this.current += c;
    }
    return !this.done;
  }

  /** The text ended: its last record may have no newline. */
  finish(): void {
    if (!this.done && this.current !== '') this.end();
  }

  private end(): void {
    if (this.wanted.has(this.index)) this.records.set(this.index, this.current.replace(/\r$/, ''));
    this.current = '';
    this.index++;
  }
}

/** Splits one CSV record into its cells (quotes removed, doubled quotes kept once). */
export function csvCells(record: string, delimiter = ','): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (c === '"') {
      if (quoted && record[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === delimiter && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/** The offending line of a problem: the record's cells, and which of them is the named column. */
export interface OffendingLine {
  cells: string[];
  /** Index of the problem's column among the cells, -1 when none is named or found. */
  at: number;
}

export function offendingLine(
  records: Map<number, string>,
  issue: IssueRow,
  delimiter = ',',
): OffendingLine | null {
  if (issue.row === null) return null;
  const record = records.get(issue.row);
  if (record === undefined) return null;
  const header = records.get(0);
  const at = issue.column && header !== undefined ? csvCells(header, delimiter).indexOf(issue.column) : -1;
  return { cells: csvCells(record, delimiter), at };
}

/** How far into a file the console reads to show offending lines: further costs the user's memory for little. */
export const MAX_READ_BACK_BYTES = 64 * 1024 * 1024;

/** Reads the records the problems name back from the uploaded file, up to MAX_READ_BACK_BYTES. */
export async function readCsvRecords(file: Blob, rows: number[]): Promise<Map<number, string>> {
  const picker = new CsvRecordPicker(rows);
  const reader = file.slice(0, MAX_READ_BACK_BYTES).stream().getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!picker.push(decoder.decode(value, { stream: true }))) return picker.records;
    }
    picker.push(decoder.decode());
    // a file cut at the limit ends mid-record: only a whole file's last record is whole
    if (file.size <= MAX_READ_BACK_BYTES) picker.finish();
    return picker.records;
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}
