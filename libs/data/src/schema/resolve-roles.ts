import { Schema } from 'apache-arrow';
import { ErrorDetail, ValidationFailed } from '@seqcast/core';
import { isCategorical, isNumeric, rolesFor, typeClass } from '../arrow/arrow-types';
import { DatasetKind, DatasetRoles, EventSchema, SeriesSchema, roleColumns } from './dataset-schema';
import { checkSeq2SeqTypes, resolveSeq2Seq, Seq2SeqRoleHints } from './seq2seq-roles';

/** What a client may say about roles; anything left out is inferred from the column types. */
export type SeriesRoleHints = Partial<Omit<SeriesSchema, 'kind'>>;
export type EventRoleHints = Partial<Omit<EventSchema, 'kind'>>;
export type RoleHints = SeriesRoleHints & EventRoleHints & Seq2SeqRoleHints;

const TIME_NAMES = ['timestamp', 'time', 'date', 'ds', 'datetime', 't'];
const SEQUENCE_NAMES = ['sequence', 'sequence_id', 'seq', 'seq_id', 'seq_idx', 'id'];
const TYPE_NAMES = ['type', 'event_type', 'mark', 'type_event'];
const TARGET_NAMES = ['target', 'label', 'class'];

function findByName(names: string[], candidates: string[]): string | undefined {
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  for (const c of candidates) if (lower.has(c)) return lower.get(c);
  return undefined;
}

/**
 * Decide the role of every column. Explicit hints win; the rest follows the Arrow
 * types. When the client names value (or feature) columns, every other column must
 * have a role, so a typo or a stray column is an "unknown column" error rather than
 * silently stored data.
 */
export function resolveRoles(schema: Schema, kind: DatasetKind, hints: RoleHints = {}): DatasetRoles {
  const names = schema.fields.map((f) => f.name);
  const typeOf = new Map(schema.fields.map((f) => [f.name, f.type]));
  const details: ErrorDetail[] = [];
  const explicit =
    kind === 'series'
      ? hints.valueColumns !== undefined
      : kind === 'seq2seq'
        ? hints.inputColumns !== undefined
        : hints.numericFeatures !== undefined || hints.categoricalFeatures !== undefined;

  const roles: DatasetRoles =
    kind === 'series'
      ? resolveSeries(names, typeOf, hints, details)
      : kind === 'seq2seq'
        ? resolveSeq2Seq(names, typeOf, hints, details, findByName, {
            sequence: SEQUENCE_NAMES,
            time: TIME_NAMES,
          })
        : resolveEvents(names, typeOf, hints, details);
  const used = roleColumns(roles);
  for (const c of used)
    if (!typeOf.has(c))
      details.push({ column: c, reason: 'missing column: named in the schema but absent from the data' });
  const seen = new Set<string>();
  for (const c of used) {
    if (seen.has(c)) details.push({ column: c, reason: 'column given more than one role' });
    seen.add(c);
  }
  for (const n of names) {
    if (!seen.has(n))
      details.push({
        column: n,
        reason: explicit
          ? 'unknown column: not named in the schema'
          : `unsupported column type ${String(typeOf.get(n))}: ${rolesFor(typeOf.get(n)!, kind)}`,
      });
  }
  checkTypes(roles, typeOf, details, kind);
  if (details.length) throw new ValidationFailed('The columns do not match the dataset schema', details);
  return roles;
}

type TypeMap = Map<string, Schema['fields'][number]['type']>;

function resolveSeries(names: string[], typeOf: TypeMap, h: RoleHints, details: ErrorDetail[]): SeriesSchema {
  const timeColumn =
    h.timeColumn ??
    findByName(
      names.filter((n) => typeClass(typeOf.get(n)!) === 'timestamp'),
      TIME_NAMES,
    ) ??
    names.find((n) => typeClass(typeOf.get(n)!) === 'timestamp');
  if (!timeColumn) details.push({ reason: 'no timestamp column: name one with timeColumn' });
  const known = h.knownCovariates ?? [];
  const past = h.pastCovariates ?? [];
  const taken = new Set([timeColumn, ...known, ...past]);
  const keyColumns =
    h.keyColumns ??
    names.filter((n) => !taken.has(n) && !isNumeric(typeOf.get(n)!) && isCategorical(typeOf.get(n)!));
  keyColumns.forEach((k) => taken.add(k));
  const valueColumns = h.valueColumns ?? names.filter((n) => !taken.has(n) && isNumeric(typeOf.get(n)!));
  if (valueColumns.length === 0)
    details.push({ reason: 'no value column: a series dataset needs at least one numeric value column' });
  return {
    kind: 'series',
    keyColumns,
    timeColumn: timeColumn ?? '',
    valueColumns,
    knownCovariates: known,
    pastCovariates: past,
  };
}

function resolveEvents(names: string[], typeOf: TypeMap, h: RoleHints, details: ErrorDetail[]): EventSchema {
  const sequenceColumn = h.sequenceColumn ?? findByName(names, SEQUENCE_NAMES);
  if (!sequenceColumn) details.push({ reason: 'no sequence column: name one with sequenceColumn' });
  const timeColumn = h.timeColumn ?? findByName(names, TIME_NAMES);
  if (!timeColumn) details.push({ reason: 'no event time column: name one with timeColumn' });
  const typeColumn = h.typeColumn !== undefined ? h.typeColumn : (findByName(names, TYPE_NAMES) ?? null);
  const targetColumn =
    h.targetColumn !== undefined ? h.targetColumn : (findByName(names, TARGET_NAMES) ?? null);
  const taken = new Set(
    [sequenceColumn, timeColumn, typeColumn, targetColumn].filter((x): x is string => !!x),
  );
  const numericFeatures =
    h.numericFeatures ?? names.filter((n) => !taken.has(n) && isNumeric(typeOf.get(n)!));
  numericFeatures.forEach((n) => taken.add(n));
  const categoricalFeatures =
    h.categoricalFeatures ?? names.filter((n) => !taken.has(n) && isCategorical(typeOf.get(n)!));
  return {
    kind: 'events',
    sequenceColumn: sequenceColumn ?? '',
    timeColumn: timeColumn ?? '',
    typeColumn,
    numericFeatures,
    categoricalFeatures,
    targetColumn,
  };
}

function checkTypes(roles: DatasetRoles, typeOf: TypeMap, details: ErrorDetail[], kind: DatasetKind): void {
  const expect = (
    cols: string[],
    ok: (t: NonNullable<ReturnType<TypeMap['get']>>) => boolean,
    what: string,
  ) => {
    for (const c of cols) {
      const t = typeOf.get(c);
      if (t && !ok(t))
        details.push({
          column: c,
          reason: `wrong type: expected ${what}, got ${String(t)} (${rolesFor(t, kind)})`,
        });
    }
  };
  if (roles.kind === 'series') {
    expect(roles.keyColumns, isCategorical, 'a string, binary or integer key');
    expect([roles.timeColumn], (t) => typeClass(t) === 'timestamp', 'a timestamp or date');
    expect(roles.valueColumns, isNumeric, 'a number');
    expect(
      [...roles.knownCovariates, ...roles.pastCovariates],
      (t) => isNumeric(t) || isCategorical(t),
      'a number or category',
    );
  } else if (roles.kind === 'seq2seq') {
    checkSeq2SeqTypes(roles, expect);
  } else {
    expect([roles.sequenceColumn], isCategorical, 'a string, binary or integer key');
    expect([roles.timeColumn], (t) => typeClass(t) === 'timestamp' || isNumeric(t), 'a timestamp or number');
    if (roles.typeColumn) expect([roles.typeColumn], isCategorical, 'a category (string or integer)');
    expect(roles.numericFeatures, isNumeric, 'a number');
    expect(roles.categoricalFeatures, isCategorical, 'a category (string or integer)');
    if (roles.targetColumn)
      expect([roles.targetColumn], (t) => isNumeric(t) || isCategorical(t), 'a class or a number');
  }
}
