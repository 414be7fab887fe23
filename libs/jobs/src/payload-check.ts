import { ErrorDetail, ValidationFailed } from '@seqcast/core';

/** One field of a job payload, in the words of the kit's config schemas (JSON Schema). */
export type PayloadField =
  | { type: 'integer' | 'number'; minimum?: number; maximum?: number; required?: boolean }
  | { type: 'string' | 'boolean' | 'uuid'; required?: boolean }
  | { type: 'number[]'; minimum?: number; maximum?: number; required?: boolean }
  | { type: 'string[]' | 'object' | 'object[]'; required?: boolean }
  | { type: 'enum'; values: readonly string[]; required?: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

function problem(v: unknown, f: PayloadField): string | null {
  const range = (n: number) => {
    const { minimum, maximum } = f as { minimum?: number; maximum?: number };
    if (minimum !== undefined && n < minimum) return `at least ${minimum}`;
    if (maximum !== undefined && n > maximum) return `at most ${maximum}`;
    return null;
  };
  switch (f.type) {
    case 'integer':
      return Number.isInteger(v) ? range(v as number) : 'an integer';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? range(v) : 'a finite number';
    case 'number[]':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) return 'a list of finite numbers';
      return v.map((x: number) => range(x)).find((r) => r !== null) ?? null;
    case 'string':
      return typeof v === 'string' ? null : 'a string';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'true or false';
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : 'a list of strings';
    case 'object':
      return isObject(v) ? null : 'an object';
    case 'object[]':
      return Array.isArray(v) && v.every(isObject) ? null : 'a list of objects';
    case 'enum':
      return typeof v === 'string' && f.values.includes(v) ? null : `one of: ${f.values.join(', ')}`;
    case 'uuid':
      return typeof v === 'string' && UUID.test(v) ? null : 'a UUID';
  }
}

/**
 * Checks a flat job payload against its fields: unknown fields are refused (a typo would
 * otherwise be ignored silently), and every problem is named in one `ValidationFailed`.
 * Returns the payload unchanged, so that what is stored is what was sent.
 */
export function checkPayload<P>(type: string, payload: Record<string, unknown>, fields: Record<string, PayloadField>): P {
  const details: ErrorDetail[] = [];
  if (!isObject(payload)) {
    throw new ValidationFailed(`Invalid payload for job type '${type}'`, [{ field: 'payload', reason: 'must be an object' }]);
  }
  for (const key of Object.keys(payload)) if (!(key in fields)) details.push({ field: key, reason: 'unknown field' });
  for (const [key, f] of Object.entries(fields)) {
    const v = payload[key];
    if (v === undefined || v === null) {
      if (f.required) details.push({ field: key, reason: 'required' });
      continue;
    }
    const why = problem(v, f);
    if (why) details.push({ field: key, reason: `must be ${why}` });
  }
  if (details.length) throw new ValidationFailed(`Invalid payload for job type '${type}'`, details);
  return payload as P;
}
