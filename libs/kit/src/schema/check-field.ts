import type { FieldSpec } from './field-spec';

/** Why `v` does not fit `spec`, or null when it does. The reason names the bad value. */
export function checkField(spec: FieldSpec, v: unknown): string | null {
  switch (spec.type) {
    case 'integer':
    case 'number':
      return checkNumber(spec, v);
    case 'boolean':
      return typeof v === 'boolean' ? null : `must be true or false, got ${JSON.stringify(v)}`;
    case 'string':
      if (typeof v !== 'string') return `must be a string, got ${JSON.stringify(v)}`;
      return !spec.enum || spec.enum.includes(v)
        ? null
        : `must be one of ${spec.enum.join(', ')}, got ${JSON.stringify(v)}`;
    case 'array': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
        return 'must be an array of finite numbers';
      if (spec.minItems !== undefined && v.length < spec.minItems)
        return `needs at least ${spec.minItems} items`;
      if (spec.maxItems !== undefined && v.length > spec.maxItems)
        return `takes at most ${spec.maxItems} items`;
      return null;
    }
  }
}

function checkNumber(spec: Extract<FieldSpec, { type: 'integer' | 'number' }>, v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v))
    return `must be a finite number, got ${JSON.stringify(v)}`;
  if (spec.type === 'integer' && !Number.isInteger(v)) return `must be an integer, got ${v}`;
  if (spec.minimum !== undefined && v < spec.minimum) return `must be >= ${spec.minimum}, got ${v}`;
  if (spec.exclusiveMinimum !== undefined && v <= spec.exclusiveMinimum)
    return `must be > ${spec.exclusiveMinimum}, got ${v}`;
  if (spec.maximum !== undefined && v > spec.maximum) return `must be <= ${spec.maximum}, got ${v}`;
  if (spec.exclusiveMaximum !== undefined && v >= spec.exclusiveMaximum)
    return `must be < ${spec.exclusiveMaximum}, got ${v}`;
  return null;
}
