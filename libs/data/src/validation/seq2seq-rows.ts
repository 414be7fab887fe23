import type { RecordBatch } from 'apache-arrow';
import { numericValues } from '../arrow/column-values';
import type { KeyRegistry } from '../arrow/key-ids';
import type { Seq2SeqSchema } from '../schema/dataset-schema';
import type { IssueCollector } from './issues';

/**
 * The row rules of a seq2seq dataset, checked as batches stream in: every input cell holds
 * a finite number (the models read every input sample), the target cells are filled on each
 * chunk's last row (row k ratio - 1 of its sequence, k = 1, 2, ...) and empty on the others,
 * and at the end every sequence has a whole number of chunks. Rows are counted per sequence
 * across batches and, on an append, from the rows already stored.
 */
export class Seq2SeqRowChecker {
  private counts = new Float64Array(64);

  constructor(
    private readonly roles: Seq2SeqSchema,
    private readonly registry: KeyRegistry,
    private readonly issues: IssueCollector,
    prior: { key: string; rows: number }[] = [],
  ) {
    for (const s of prior) this.countOf(registry.idOf(s.key), s.rows);
  }

  private countOf(sid: number, set?: number): number {
    if (sid >= this.counts.length) {
      const grown = new Float64Array(Math.max(sid + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    if (set !== undefined) this.counts[sid] = set;
    return this.counts[sid];
  }

  accept(batch: RecordBatch, sids: Int32Array, base: number): void {
    const { ratio, inputColumns, targetColumns } = this.roles;
    const inputs = inputColumns.map((c) => ({ name: c, ...numericValues(batch.getChild(c)!) }));
    const targets = targetColumns.map((c) => ({ name: c, ...numericValues(batch.getChild(c)!) }));
    for (let i = 0; i < sids.length; i++) {
      const sid = sids[i];
      if (sid < 0) continue; // reported as a missing key
      const row = base + i + 1;
      const position = this.countOf(sid, this.countOf(sid) + 1);
      for (const x of inputs)
        if ((x.valid && !x.valid[i]) || !Number.isFinite(x.values[i]))
          this.issues.add(
            row,
            x.name,
            'missing or non-finite input value: every input sample needs a number',
          );
      const chunkEnd = position % ratio === 0;
      for (const y of targets) {
        const present = !(y.valid && !y.valid[i]) && !Number.isNaN(y.values[i]);
        if (chunkEnd && !(present && Number.isFinite(y.values[i])))
          this.issues.add(
            row,
            y.name,
            `missing target: input row ${position} of sequence ${this.registry.keys[sid]} ends a chunk of ratio ${ratio} rows and needs a finite target`,
          );
        else if (!chunkEnd && present)
          this.issues.add(
            row,
            y.name,
            `target on input row ${position} of sequence ${this.registry.keys[sid]}: targets belong on every ${ratio}th row (the last of each chunk), other rows leave it empty`,
          );
      }
    }
  }

  /** Sequences whose input length is not a whole number of chunks. */
  finish(): void {
    const ratio = this.roles.ratio;
    for (let sid = 0; sid < this.registry.size; sid++) {
      const n = this.countOf(sid);
      if (n % ratio !== 0)
        this.issues.add(
          undefined,
          this.roles.sequenceColumn,
          `sequence ${this.registry.keys[sid]} has ${n} input rows, not a multiple of the ratio ${ratio}`,
          'ratio',
        );
    }
  }
}
