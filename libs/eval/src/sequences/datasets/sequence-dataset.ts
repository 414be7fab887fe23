import type { SequenceRow, SequenceSchema } from '@seqcast/events';

/**
 * A sequence-level benchmark as the protocol takes it: the schema, the pool that the
 * train / validation / HPO-validation splits are drawn from, and the fixed test rows.
 */
export interface SequenceDataset {
  name: string;
  schema: SequenceSchema;
  pool: SequenceRow[];
  test: SequenceRow[];
  /** Class names in index order (classification), for reports. */
  classes?: string[];
}
