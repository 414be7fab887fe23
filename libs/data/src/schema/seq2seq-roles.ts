import type { DataType } from 'apache-arrow';
import type { ErrorDetail } from '@seqcast/core';
import { isCategorical, isNumeric, typeClass } from '../arrow/arrow-types';
import type { Seq2SeqSchema } from './dataset-schema';

/** What a client may say about a seq2seq dataset's roles (query parameters of an upload). */
export type Seq2SeqRoleHints = Partial<Omit<Seq2SeqSchema, 'kind'>>;

type TypeMap = Map<string, DataType>;

/**
 * The ratio a client gave: input rows per target row must be a whole number >= 1 (an
 * input rate that the output rate does not divide has no chunking).
 */
export function checkRatio(ratio: unknown, details: ErrorDetail[]): number {
  if (ratio === undefined || ratio === null) {
    details.push({
      field: 'ratio',
      reason: 'required: input rate / output rate (input rows per target row)',
    });
    return 0;
  }
  const r = typeof ratio === 'string' && ratio.trim() !== '' ? Number(ratio) : ratio;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > 1_000_000) {
    details.push({
      field: 'ratio',
      reason: `${JSON.stringify(ratio)} is not an integer in [1, 1000000]: the output rate must divide the input rate`,
    });
    return 0;
  }
  return r;
}

/**
 * Roles of a seq2seq upload. The sequence, time and target columns must be named (no column
 * name says "target at the low rate"); input columns default to every other numeric column.
 */
export function resolveSeq2Seq(
  names: string[],
  typeOf: TypeMap,
  h: Seq2SeqRoleHints,
  details: ErrorDetail[],
  findByName: (names: string[], candidates: string[]) => string | undefined,
  defaults: { sequence: string[]; time: string[] },
): Seq2SeqSchema {
  const sequenceColumn = h.sequenceColumn ?? findByName(names, defaults.sequence);
  if (!sequenceColumn) details.push({ field: 'sequenceColumn', reason: 'no sequence column: name one' });
  const timeColumn = h.timeColumn ?? findByName(names, defaults.time);
  if (!timeColumn) details.push({ field: 'timeColumn', reason: 'no step or time column: name one' });
  const targetColumns = h.targetColumns ?? [];
  if (targetColumns.length === 0)
    details.push({ field: 'targetColumns', reason: 'name the target columns (the low-rate outputs)' });
  const taken = new Set([sequenceColumn, timeColumn, ...targetColumns]);
  const inputColumns = h.inputColumns ?? names.filter((n) => !taken.has(n) && isNumeric(typeOf.get(n)!));
  if (inputColumns.length === 0)
    details.push({
      field: 'inputColumns',
      reason: 'a seq2seq dataset needs at least one numeric input column',
    });
  return {
    kind: 'seq2seq',
    sequenceColumn: sequenceColumn ?? '',
    timeColumn: timeColumn ?? '',
    inputColumns,
    targetColumns,
    ratio: checkRatio(h.ratio, details),
  };
}

/** Column types a seq2seq dataset needs: a key, a step or time, numbers for inputs and targets. */
export function checkSeq2SeqTypes(
  roles: Seq2SeqSchema,
  expect: (cols: string[], ok: (t: DataType) => boolean, what: string) => void,
): void {
  expect([roles.sequenceColumn], isCategorical, 'a string, binary or integer key');
  expect(
    [roles.timeColumn],
    (t) => typeClass(t) === 'timestamp' || isNumeric(t),
    'a step number or timestamp',
  );
  expect([...roles.inputColumns, ...roles.targetColumns], isNumeric, 'a number');
}
