import { RecordBatch } from 'apache-arrow';
import { ValidationFailed } from '@seqcast/core';
import { KeyAssigner } from '../arrow/key-ids';
import { numericValues, timeValues } from '../arrow/column-values';
import { DatasetSchema, EventSchema, SeriesSchema } from '../schema/dataset-schema';
import { EventSequence } from './event-batches';
import { SeriesFrame } from './windows';

/** Growable float64 buffer. */
export class Floats {
  data = new Float64Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  take(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Reads a series dataset's batches into one frame per series (times and a row-major
 * matrix of the chosen channels, by default every value column, then covariates).
 * Missing values become NaN; rows are in stored (time) order.
 */
export async function loadSeriesFrames(
  batches: AsyncIterable<RecordBatch>,
  schema: DatasetSchema,
  channels?: string[],
): Promise<SeriesFrame[]> {
  if (schema.kind !== 'series')
    throw new ValidationFailed('Not a series dataset', [
      { field: 'kind', reason: 'expected a series dataset' },
    ]);
  const s = schema as SeriesSchema;
  const cols = channels ?? [
    ...s.valueColumns,
    ...s.knownCovariates.filter(isNumericField(schema)),
    ...s.pastCovariates.filter(isNumericField(schema)),
  ];
  const keys = new KeyAssigner(s.keyColumns);
  const times: Floats[] = [];
  const values: Floats[] = [];
  for await (const batch of batches) {
    const ids = keys.assign(batch);
    const t = timeValues(batch.getChild(s.timeColumn)!);
    const v = cols.map((c) => {
      const { values: x, valid } = numericValues(batch.getChild(c)!);
      if (valid) for (let i = 0; i < x.length; i++) if (!valid[i]) x[i] = NaN;
      return x;
    });
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!times[id]) {
        times[id] = new Floats();
        values[id] = new Floats();
      }
      times[id].push(t[i]);
      for (const x of v) values[id].push(x[i]);
    }
  }
  return keys.registry.keys.map((key, id) => ({
    key,
    times: times[id]?.take() ?? new Float64Array(0),
    channels: cols,
    values: values[id]?.take() ?? new Float64Array(0),
  }));
}

function isNumericField(schema: DatasetSchema) {
  return (name: string) => /^(Float|Int|Uint)/.test(schema.fields.find((f) => f.name === name)?.type ?? '');
}

/**
 * Reads an event dataset into sequences: times as numbers (UTC ms for timestamps),
 * types mapped to ids (integers as they are; text categories by sorted order), the
 * numeric features and the sequence target.
 */
export async function loadEventSequences(
  batches: AsyncIterable<RecordBatch>,
  schema: DatasetSchema,
): Promise<{ sequences: EventSequence[]; numTypes: number; typeNames: string[] }> {
  if (schema.kind !== 'events')
    throw new ValidationFailed('Not an event dataset', [
      { field: 'kind', reason: 'expected an event dataset' },
    ]);
  const s = schema as EventSchema;
  const keys = new KeyAssigner([s.sequenceColumn]);
  const typeKeys = s.typeColumn ? new KeyAssigner([s.typeColumn]) : null;
  const targetKeys = s.targetColumn ? new KeyAssigner([s.targetColumn]) : null;
  const times: Floats[] = [];
  const typeIds: Floats[] = [];
  const feats: Floats[] = [];
  const targets: number[] = [];
  for await (const batch of batches) {
    const ids = keys.assign(batch);
    const t = timeValues(batch.getChild(s.timeColumn)!);
    const ty = typeKeys?.assign(batch);
    const tg = targetKeys?.assign(batch);
    const f = s.numericFeatures.map((c) => numericValues(batch.getChild(c)!));
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!times[id]) {
        times[id] = new Floats();
        typeIds[id] = new Floats();
        feats[id] = new Floats();
      }
      times[id].push(t[i]);
      typeIds[id].push(ty ? ty[i] : 0);
      for (const x of f) feats[id].push(x.valid && !x.valid[i] ? NaN : x.values[i]);
      if (tg) targets[id] = tg[i];
    }
  }
  // Registry ids follow first appearance; map them to stable type ids.
  const names = typeKeys?.registry.keys ?? [];
  const integral = names.every((n) => /^-?\d+$/.test(n));
  const sorted = [...names].sort((a, b) => (integral ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  const idOf = names.map((n) => (integral ? Number(n) : sorted.indexOf(n)));
  const numTypes = Math.max(
    s.numTypes ?? 0,
    integral ? Math.max(0, ...idOf) + 1 : names.length,
    typeKeys ? 0 : 1,
  );
  const targetNames = targetKeys?.registry.keys ?? [];
  const sequences = keys.registry.keys.map((key, id) => ({
    key,
    times: times[id]?.take() ?? new Float64Array(0),
    types: Int32Array.from(typeIds[id]?.take() ?? [], (x) => (typeKeys ? idOf[x] : 0)),
    ...(s.numericFeatures.length ? { features: feats[id]?.take() ?? new Float64Array(0) } : {}),
    ...(targetKeys
      ? { target: targets[id] === undefined || targets[id] < 0 ? null : targetNames[targets[id]] }
      : {}),
  }));
  return {
    sequences,
    numTypes,
    typeNames: integral ? Array.from({ length: numTypes }, (_, i) => String(i)) : sorted,
  };
}
