import { ValidationFailed } from '@seqcast/core';
import { readFileSync } from 'fs';
import { EventDataset } from '../types';

/**
 * EasyTPP JSON (an array of sequences, or one list under a key). Gaps are not read:
 * `time_since_last_event` is per type in some EasyTPP files, so only `time_since_start`
 * and `type_event` are used. (libs/data's importer writes the same into a dataset
 * version; this reader is for evaluation configs and benchmarks that take a file.)
 */
export function parseEasyTpp(text: string): EventDataset {
  let doc: unknown = JSON.parse(text);
  if (!Array.isArray(doc) && doc && typeof doc === 'object') {
    const arrays = Object.values(doc as Record<string, unknown>).filter(Array.isArray);
    if (arrays.length === 1) doc = arrays[0];
    else {
      const values = Object.values(doc as Record<string, unknown>);
      if (values.every((v) => v && typeof v === 'object' && 'time_since_start' in (v as object))) doc = values;
    }
  }
  if (!Array.isArray(doc)) throw new ValidationFailed('Expected an array of EasyTPP sequences', [{ field: 'file', reason: 'not an array' }]);
  let numTypes = 0;
  const sequences = (doc as Array<Record<string, unknown>>).map((s, q) => {
    const times = s.time_since_start as number[];
    const types = s.type_event as number[];
    if (!Array.isArray(times) || !Array.isArray(types) || times.length !== types.length) {
      throw new ValidationFailed('Bad EasyTPP sequence', [{ field: `[${q}]`, reason: 'time_since_start and type_event must be arrays of equal length' }]);
    }
    numTypes = Math.max(numTypes, Number(s.dim_process ?? 0), ...types.map((k) => k + 1));
    return { times: times.map(Number), types: types.map(Number) };
  });
  return { numTypes, sequences };
}

export function loadEasyTpp(file: string): EventDataset {
  return parseEasyTpp(readFileSync(file, 'utf8'));
}
