import { RecordBatch } from 'apache-arrow';
import { TURN_ROWS, Turns, ValidationFailed } from '@seqcast/core';
import { IssueCollector } from '../validation/issues';
import { BatchBuilder } from './batch-builder';
import { BatchSource } from './batch-source';
import { parseJsonDocument } from './json';
import { decodeUtf8 } from './text';

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
  const doc = await parseJsonDocument(decodeUtf8(source));
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
  for (const s of seqs) numTypes = Math.max(numTypes, s?.dim_process ?? 0);
  const turns = new Turns(TURN_ROWS);
  async function* batches(): AsyncGenerator<RecordBatch> {
    let row = 0;
    for (let q = 0; q < seqs.length; q++) {
      const s = seqs[q];
      if (!s || typeof s !== 'object') {
        issues.add(row + 1, undefined, `sequence ${q}: not an object`);
        continue;
      }
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
      // Types index the process's dimensions: 0 .. dim_process - 1 (the whole file's largest).
      const typeLimit = numTypes || Infinity;
      for (let i = 0; i < times.length; i++) {
        row++;
        const t = times[i];
        const k = types[i];
        // times are since the sequence's start: none before it
        if (typeof t === 'number' && t < 0)
          issues.add(row, 'time', `sequence ${q}, event ${i}: time_since_start ${t} is negative`);
        if (typeof k === 'number' && !(Number.isInteger(k) && k >= 0 && k < typeLimit))
          issues.add(
            row,
            'type',
            `sequence ${q}, event ${i}: type ${k} is not one of 0..${typeLimit - 1} (dim_process ${numTypes})`,
          );
        const b = builder.push([key, t, k]);
        if (b) yield b;
        else if (turns.due()) await turns.turn();
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
