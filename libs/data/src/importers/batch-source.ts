import { RecordBatch, Schema } from 'apache-arrow';
import { ReceivedSlice } from '../arrow/message-frames';
import { DatasetKind } from '../schema/dataset-schema';
import { RoleHints } from '../schema/resolve-roles';

/**
 * What every input format becomes: an Arrow schema and a stream of record batches,
 * plus what the format itself says about kinds and roles (a `.tsf` file knows its
 * key and time columns). Validation and storage see only this.
 */
export interface BatchSource {
  schema: Schema;
  batches: AsyncIterable<RecordBatch>;
  kind?: DatasetKind;
  roles?: RoleHints;
  /** The number of event types, where the format states it (EasyTPP `dim_process`). */
  numTypes?: number;
  /** For an Arrow stream: the received message a batch slices, whose body the store may keep as it came. */
  received?(batch: RecordBatch): ReceivedSlice | undefined;
  /** The consumer keeps no batch once it asks for the next: the source may reuse their memory. */
  keepsNoBatches?(): void;
}
