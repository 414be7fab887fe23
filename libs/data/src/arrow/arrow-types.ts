import { DataType, Field, Schema, Type } from 'apache-arrow';

/** Coarse classes of Arrow types, as the validator and the importers see them. */
export type TypeClass = 'number' | 'integer' | 'timestamp' | 'string' | 'binary' | 'boolean' | 'other';

/**
 * The class of every type an Arrow engine may send: polars, pyarrow and DuckDB write
 * strings as Utf8View (or LargeUtf8), categoricals as dictionaries with any index width,
 * and decimals and half floats where the source had them.
 */
export function typeClass(type: DataType): TypeClass {
  if (DataType.isDictionary(type)) return typeClass(type.dictionary);
  switch (type.typeId) {
    case Type.Int:
      return 'integer';
    case Type.Float:
    case Type.Decimal:
      return 'number';
    case Type.Timestamp:
    case Type.Date:
      return 'timestamp';
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
      return 'string';
    case Type.Binary:
    case Type.LargeBinary:
    case Type.BinaryView:
    case Type.FixedSizeBinary:
      return 'binary';
    case Type.Bool:
      return 'boolean';
    default:
      return 'other';
  }
}

/** Decimals are stored as float64 (see `decimalToFloat64`); every other numeric type as it came. */
export const isDecimal = (t: DataType): boolean => t.typeId === Type.Decimal;

export const isNumeric = (t: DataType): boolean => {
  const c = typeClass(t);
  return (c === 'number' || c === 'integer') && !DataType.isDictionary(t);
};

/** Keys and categories: strings, binary, dictionary-encoded strings or integers. */
export const isCategorical = (t: DataType): boolean => {
  const c = typeClass(t);
  return c === 'string' || c === 'binary' || c === 'integer' || c === 'boolean';
};

const SERIES_ROLES: Record<TypeClass, string[]> = {
  string: ['key', 'covariate (categorical)'],
  binary: ['key', 'covariate (categorical)'],
  boolean: ['key', 'covariate (categorical)'],
  integer: ['key', 'value', 'covariate'],
  number: ['value', 'covariate'],
  timestamp: ['time'],
  other: [],
};
const EVENT_ROLES: Record<TypeClass, string[]> = {
  string: ['sequence', 'type', 'categorical feature', 'target'],
  binary: ['sequence', 'type', 'categorical feature', 'target'],
  boolean: ['sequence', 'type', 'categorical feature', 'target'],
  integer: ['sequence', 'time', 'type', 'numeric feature', 'categorical feature', 'target'],
  number: ['time', 'numeric feature', 'target'],
  timestamp: ['time'],
  other: [],
};

const SEQ2SEQ_ROLES: Record<TypeClass, string[]> = {
  string: ['sequence'],
  binary: ['sequence'],
  boolean: ['sequence'],
  integer: ['sequence', 'time', 'input', 'target'],
  number: ['time', 'input', 'target'],
  timestamp: ['time'],
  other: [],
};
const ROLES_BY_KIND = { series: SERIES_ROLES, events: EVENT_ROLES, seq2seq: SEQ2SEQ_ROLES };

/** The roles a column of this type could serve, said in a refusal so the client knows what to change. */
export function rolesFor(type: DataType, kind: 'series' | 'events' | 'seq2seq'): string {
  const roles = ROLES_BY_KIND[kind][typeClass(type)];
  return roles.length
    ? `a ${String(type)} column could serve as ${roles.join(', ')}`
    : `a ${String(type)} column can serve no role in a ${kind} dataset`;
}

export function fieldsOf(schema: Schema): { name: string; type: string; nullable: boolean }[] {
  return schema.fields.map((f: Field) => ({ name: f.name, type: String(f.type), nullable: f.nullable }));
}

/** Two schemas hold the same columns with the same types (the condition for an append). */
export function sameFields(
  a: { name: string; type: string }[],
  b: { name: string; type: string }[],
): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i].name && f.type === b[i].type);
}
