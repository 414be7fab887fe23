import { DataType, Field, Schema, Type } from 'apache-arrow';

/** Coarse classes of Arrow types, as the validator and the importers see them. */
export type TypeClass = 'number' | 'integer' | 'timestamp' | 'string' | 'boolean' | 'other';

export function typeClass(type: DataType): TypeClass {
  if (DataType.isDictionary(type)) return typeClass(type.dictionary);
  switch (type.typeId) {
    case Type.Int:
      return 'integer';
    case Type.Float:
      return 'number';
    case Type.Timestamp:
    case Type.Date:
      return 'timestamp';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    case Type.Bool:
      return 'boolean';
    default:
      return 'other';
  }
}

export const isNumeric = (t: DataType): boolean => {
  const c = typeClass(t);
  return (c === 'number' || c === 'integer') && !DataType.isDictionary(t);
};

/** Keys and categories: strings, dictionary-encoded strings or integers. */
export const isCategorical = (t: DataType): boolean => {
  const c = typeClass(t);
  return c === 'string' || c === 'integer' || c === 'boolean';
};

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
