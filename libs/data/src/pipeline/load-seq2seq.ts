import { RecordBatch } from 'apache-arrow';
import { ValidationFailed } from '@seqcast/core';
import { KeyAssigner } from '../arrow/key-ids';
import { numericValues } from '../arrow/column-values';
import { DatasetSchema, Seq2SeqSchema } from '../schema/dataset-schema';
import { Floats } from './load';

/** A stored seq2seq dataset as the models read it: per sequence, one array per channel. */
export interface Seq2SeqSequences {
  keys: string[];
  /** [sequence][input column] at the input rate. */
  inputs: Float32Array[][];
  /** [sequence][target column] at the output rate: the targets of each chunk's last row. */
  targets: Float32Array[][];
  inputColumns: string[];
  targetColumns: string[];
  ratio: number;
}

/**
 * Reads a seq2seq dataset's batches (validated at upload, so every input cell is a number
 * and the targets sit on every `ratio`th row of a sequence) into sequences, in stored order.
 */
export async function loadSeq2SeqSequences(
  batches: AsyncIterable<RecordBatch>,
  schema: DatasetSchema,
): Promise<Seq2SeqSequences> {
  if (schema.kind !== 'seq2seq')
    throw new ValidationFailed('Not a seq2seq dataset', [
      { field: 'kind', reason: 'expected a seq2seq dataset' },
    ]);
  const s = schema as Seq2SeqSchema;
  const keys = new KeyAssigner([s.sequenceColumn]);
  const inputs: Floats[][] = [];
  const targets: Floats[][] = [];
  for await (const batch of batches) {
    const ids = keys.assign(batch);
    const x = s.inputColumns.map((c) => numericValues(batch.getChild(c)!).values);
    const y = s.targetColumns.map((c) => numericValues(batch.getChild(c)!).values);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!inputs[id]) {
        inputs[id] = x.map(() => new Floats());
        targets[id] = y.map(() => new Floats());
      }
      x.forEach((col, c) => inputs[id][c].push(col[i]));
      // the row that completes a chunk carries its target
      if (inputs[id][0].length % s.ratio === 0) y.forEach((col, c) => targets[id][c].push(col[i]));
    }
  }
  const f32 = (f: Floats) => Float32Array.from(f.take());
  return {
    keys: keys.registry.keys.slice(),
    inputs: inputs.map((seq) => seq.map(f32)),
    targets: targets.map((seq) => seq.map(f32)),
    inputColumns: s.inputColumns,
    targetColumns: s.targetColumns,
    ratio: s.ratio,
  };
}
