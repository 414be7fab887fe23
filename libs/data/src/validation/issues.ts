import { ErrorDetail, PayloadTooLarge, ValidationFailed } from '@seqcast/core';

/**
 * Collects row-level problems and stops the upload once `max` are known: a client
 * fixing a file wants the first problems named precisely, not ten million of them.
 */
export class IssueCollector {
  readonly details: ErrorDetail[] = [];
  /** Cells already reported, so an importer's "unparseable" and the validator's "missing" do not both fire. */
  private readonly cells = new Set<string>();

  constructor(private readonly max = 100) {}

  /** `field` names a request field the problem traces to (the seq2seq `ratio`), beside the cell. */
  add(row: number | undefined, column: string | undefined, reason: string, field?: string): void {
    if (row !== undefined) {
      const cell = `${row}\u0000${column ?? ''}`;
      if (this.cells.has(cell)) return;
      this.cells.add(cell);
    }
    const d: ErrorDetail = { reason };
    if (field !== undefined) d.field = field;
    if (row !== undefined) d.row = row;
    if (column !== undefined) d.column = column;
    this.details.push(d);
    if (this.details.length >= this.max) this.throw(`stopped after the first ${this.max} problems`);
  }

  /** Whether a cell has a problem already (the importer reported it). */
  reported(row: number, column: string): boolean {
    return this.cells.has(`${row}\u0000${column}`);
  }

  get count(): number {
    return this.details.length;
  }

  throwIfAny(): void {
    if (this.details.length) this.throw();
  }

  private throw(extra?: string): never {
    const n = this.details.length;
    const first = this.details[0];
    const where = [
      first.row !== undefined ? `row ${first.row}` : '',
      first.column ? `column ${first.column}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    throw new ValidationFailed(
      `The data is invalid: ${where ? `${where}: ` : ''}${first.reason}${n > 1 ? ` (and ${n - 1} more${extra ? `; ${extra}` : ''})` : ''}`,
      this.details.slice(),
    );
  }
}

/** Size limits of one upload; each maps to a 413 when exceeded. */
export interface IngestLimits {
  /** Bytes of the upload body as received. */
  maxBytes: number;
  maxRows: number;
  maxSeries: number;
  maxColumns: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxBytes: 2 * 1024 ** 3,
  maxRows: 200_000_000,
  maxSeries: 1_000_000,
  maxColumns: 1000,
};

export function tooLarge(what: string, limit: number): PayloadTooLarge {
  return new PayloadTooLarge(`The upload exceeds the limit of ${limit} ${what}`, [
    { reason: `more than ${limit} ${what}` },
  ]);
}

/**
 * Refuses more columns than DEFAULT_LIMITS.maxColumns as soon as they are known (a header),
 * before buffers or samples are made for each of them.
 */
export function checkColumnCount(n: number): void {
  if (n > DEFAULT_LIMITS.maxColumns) throw tooLarge('columns', DEFAULT_LIMITS.maxColumns);
}
