import { RecordBatch } from 'apache-arrow';
import { ValidationFailed } from '@seqcast/core';
import { IssueCollector } from '../validation/issues';
import { BatchBuilder } from './batch-builder';
import { BatchSource } from './batch-source';
import { decodeUtf8, readAllText } from './text';

interface EasyTppSequence {
  dim_process?: number;
  seq_idx?: number;
  seq_len?: number;
  time_since_start?: number[];
  time_since_last_event?: number[];
  type_event?: number[];
}

/**
 * EasyTPP's JSON layout: an array of sequences with `time_since_start`, `type_event`
 * and `dim_process` (the number of types). Only absolute times are kept: gaps are
 * recomputed from them when batches are made, because `time_since_last_event` is
 * per type in some EasyTPP files and per sequence in others.
 */
export async function openEasyTpp(
  source: AsyncIterable<Uint8Array | string>,
  options: { batchSize?: number },
  issues: IssueCollector,
): Promise<BatchSource> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readAllText(decodeUtf8(source)));
  } catch (e) {
    throw new ValidationFailed('The body is not valid JSON', [
      { reason: `invalid JSON: ${(e as Error).message}` },
    ]);
  }
  // The Hugging Face split files wrap the list; accept `{ "train": [...] }` style too when there is one list.
  let list = doc;
  if (!Array.isArray(list) && list && typeof list === 'object') {
    const arrays = Object.values(list as Record<string, unknown>).filter(Array.isArray);
    if (arrays.length === 1) list = arrays[0];
  }
  if (!Array.isArray(list))
    throw new ValidationFailed('Expected an array of EasyTPP sequences', [
      { reason: 'wrong shape: not an array' },
    ]);
  const seqs = list as EasyTppSequence[];
  let numTypes = 0;
  const builder = new BatchBuilder(
    [
      { name: 'sequence', kind: 'string' },
      { name: 'time', kind: 'number' },
      { name: 'type', kind: 'integer' },
    ],
    issues,
    options.batchSize,
  );
  for (const s of seqs) numTypes = Math.max(numTypes, s.dim_process ?? 0);
  async function* batches(): AsyncGenerator<RecordBatch> {
    let row = 0;
    for (let q = 0; q < seqs.length; q++) {
      const s = seqs[q];
      const times = s.time_since_start;
      const types = s.type_event;
      if (!Array.isArray(times) || !Array.isArray(types) || times.length !== types.length) {
        issues.add(
          row + 1,
          'time_since_start',
          `sequence ${q}: time_since_start and type_event must be arrays of equal length`,
        );
        continue;
      }
      if (s.seq_len !== undefined && s.seq_len !== times.length)
        issues.add(row + 1, 'seq_len', `sequence ${q}: seq_len ${s.seq_len} but ${times.length} events`);
      const key = String(s.seq_idx ?? q);
      for (let i = 0; i < times.length; i++) {
        row++;
        const b = builder.push([key, times[i], types[i]]);
        if (b) yield b;
      }
    }
    const last = builder.flush();
    if (last) yield last;
  }
  return {
    schema: builder.schema,
    batches: batches(),
    kind: 'events',
    roles: {
      sequenceColumn: 'sequence',
      timeColumn: 'time',
      typeColumn: 'type',
      numericFeatures: [],
      categoricalFeatures: [],
      targetColumn: null,
    },
    numTypes: numTypes || undefined,
  };
}
