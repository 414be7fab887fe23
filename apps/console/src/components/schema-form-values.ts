import type { ApiError } from '../api';
import type { JsonSchema } from '../types';

// The schema-generated form's logic, free of Preact: what each field shows at first (the
// schema's defaults as text), how the text becomes a config (only what differs from a default
// is sent, so the server keeps filling the rest, e.g. a role field from the model's lookback),
// and a client-side check of a config against the same schema, so most mistakes are named next
// to their field before any request.

/** What the form holds: text per field (a checkbox's boolean), a nested object per fieldset. */
export interface FormState {
  [key: string]: string | boolean | FormState;
}

/** Error messages by dotted field path (`lags`, `encoder.layers`). */
export type FieldErrors = Record<string, string>;

/** The control a schema node gets. */
export type FieldKind = 'integer' | 'number' | 'boolean' | 'enum' | 'numbers' | 'object' | 'text';

/** The schema's type, the first one that is not null (`["number", "null"]` is a number). */
function typeOf(schema: JsonSchema): string | undefined {
  const t = schema.type;
  return Array.isArray(t) ? t.find((x) => x !== 'null') : t;
}

export function fieldKind(schema: JsonSchema): FieldKind {
  const type = typeOf(schema);
  if (schema.enum) return 'enum';
  if (type === 'integer' || type === 'number' || type === 'boolean' || type === 'object') return type;
  if (type === 'array') {
    const item = schema.items ? typeOf(schema.items) : undefined;
    if (item === 'number' || item === 'integer') return 'numbers';
  }
  return 'text';
}

/** A value as its field shows it: numbers as typed, arrays of numbers comma-separated. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** The form's first state: every field at its default (blank where there is none). */
export function initialState(schema: JsonSchema): FormState {
  const state: FormState = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const kind = fieldKind(prop);
    if (kind === 'object') state[key] = initialState({ ...prop, properties: withDefaults(prop) });
    else if (kind === 'boolean') state[key] = prop.default === true;
    else state[key] = asText(prop.default);
  }
  return state;
}

/** A nested object's properties with its own `default` object pushed down onto them. */
function withDefaults(schema: JsonSchema): Record<string, JsonSchema> {
  const outer = (schema.default ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([k, p]) => [
      k,
      p.default === undefined && outer[k] !== undefined ? { ...p, default: outer[k] } : p,
    ]),
  );
}

/** The schema's defaults as one config object (what the server fills in when nothing is sent). */
export function defaultsOf(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (fieldKind(prop) === 'object') {
      const nested = defaultsOf({ ...prop, properties: withDefaults(prop) });
      if (Object.keys(nested).length) out[key] = nested;
    } else if (prop.default !== undefined) out[key] = prop.default;
  }
  return out;
}

/** A field's parsed value (undefined: left blank), or why its text is not one. */
type Parsed = { ok: true; value?: unknown } | { ok: false; error: string };

/** One field's text as the value its schema asks for; blank means "not given". */
function parseField(prop: JsonSchema, raw: string | boolean): Parsed {
  const kind = fieldKind(prop);
  if (kind === 'boolean') return { ok: true, value: raw === true };
  const text = String(raw).trim();
  if (kind === 'numbers') {
    if (text === '') return { ok: true, value: [] };
    const parts = text.split(/[\s,;]+/).filter(Boolean);
    const values = parts.map(Number);
    const bad = parts.find((_, i) => !Number.isFinite(values[i]));
    if (bad !== undefined)
      return { ok: false, error: `"${bad}" is not a number; separate numbers with commas` };
    return { ok: true, value: values };
  }
  if (text === '') return { ok: true };
  if (kind === 'integer' || kind === 'number') {
    const value = Number(text);
    if (!Number.isFinite(value)) return { ok: false, error: `must be a number, got "${text}"` };
    return { ok: true, value };
  }
  if (kind === 'enum') {
    // an enum's option is the text of one of its values: give back the value itself (numbers stay numbers)
    const match = (prop.enum ?? []).find((v) => String(v) === text);
    return match === undefined
      ? { ok: false, error: `must be one of ${prop.enum?.join(', ')}` }
      : { ok: true, value: match };
  }
  return { ok: true, value: String(raw) };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface Submission {
  /** What differs from the defaults (nested objects only when something inside them does). */
  config: Record<string, unknown>;
  /** The config the model would get: the defaults with `config` laid over them. */
  full: Record<string, unknown>;
  /** Parse and schema errors by field path; empty when the config may be sent. */
  errors: FieldErrors;
}

/**
 * The form's text as a config: every field parsed, what equals its default left out, and the
 * resulting config checked against the schema (so a value below its minimum is named here).
 */
export function toConfig(schema: JsonSchema, state: FormState): Submission {
  const parseErrors: FieldErrors = {};
  const config = collect(schema, state, '', parseErrors);
  const full = merge(defaultsOf(schema), config);
  // a field whose text did not parse is named for that, not for the default standing in for it
  return { config, full, errors: { ...validateConfig(schema, full), ...parseErrors } };
}

function collect(
  schema: JsonSchema,
  state: FormState,
  prefix: string,
  errors: FieldErrors,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix + key;
    const raw = state[key];
    if (fieldKind(prop) === 'object') {
      const nested = collect(
        { ...prop, properties: withDefaults(prop) },
        (raw as FormState | undefined) ?? {},
        `${path}.`,
        errors,
      );
      if (Object.keys(nested).length) out[key] = nested;
      continue;
    }
    if (raw === undefined || typeof raw === 'object') continue;
    const parsed = parseField(prop, raw);
    if (!parsed.ok) errors[path] = parsed.error;
    else if (parsed.value === undefined) {
      if (prop.default === undefined && schema.required?.includes(key)) errors[path] = 'required';
    } else if (!sameValue(parsed.value, prop.default)) out[key] = parsed.value;
  }
  return out;
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? merge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/**
 * Checks a config against its schema, as the API does, and names each bad field by its path:
 * types, integers, minimum / maximum (exclusive too), enums, array lengths and items, required
 * and unknown keys of objects.
 */
export function validateConfig(schema: JsonSchema, value: unknown, path = ''): FieldErrors {
  const errors: FieldErrors = {};
  const fail = (p: string, message: string) => {
    errors[p || '(config)'] ??= message;
  };
  const check = (s: JsonSchema, v: unknown, p: string): void => {
    const type = typeOf(s);
    if (s.enum && !s.enum.some((e) => sameValue(e, v))) return fail(p, `must be one of ${s.enum.join(', ')}`);
    if (type === 'integer' || type === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(p, 'must be a number');
      if (type === 'integer' && !Number.isInteger(v)) return fail(p, 'must be a whole number');
      if (s.minimum !== undefined && v < s.minimum) return fail(p, `must be ≥ ${s.minimum}`);
      if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum)
        return fail(p, `must be > ${s.exclusiveMinimum}`);
      if (s.maximum !== undefined && v > s.maximum) return fail(p, `must be ≤ ${s.maximum}`);
      if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum)
        return fail(p, `must be < ${s.exclusiveMaximum}`);
    } else if (type === 'boolean') {
      if (typeof v !== 'boolean') return fail(p, 'must be true or false');
    } else if (type === 'string') {
      if (typeof v !== 'string') return fail(p, 'must be text');
    } else if (type === 'array') {
      if (!Array.isArray(v)) return fail(p, 'must be a list');
      if (s.minItems !== undefined && v.length < s.minItems)
        return fail(p, `needs at least ${s.minItems} values`);
      if (s.maxItems !== undefined && v.length > s.maxItems)
        return fail(p, `takes at most ${s.maxItems} values`);
      if (s.items) {
        // an item's error is the list field's (one input holds the whole list)
        for (let i = 0; i < v.length; i++) {
          const sub = validateConfig(s.items, v[i], p);
          const first = Object.values(sub)[0];
          if (first) return fail(p, `value ${i + 1}: ${first}`);
        }
      }
    } else if (type === 'object') {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return fail(p, 'must be an object');
      const obj = v as Record<string, unknown>;
      const props = s.properties ?? {};
      for (const key of s.required ?? []) if (obj[key] === undefined) fail(join(p, key), 'required');
      for (const [key, item] of Object.entries(obj)) {
        if (props[key]) check(props[key], item, join(p, key));
        else if (s.additionalProperties === false) fail(join(p, key), 'unknown option');
      }
    }
  };
  check(schema, value, path);
  return errors;
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

/**
 * The API's field errors for a config, by form field: `config.lags` is the field `lags`,
 * `config.order[1]` the field `order` (one input holds the list). Details outside the config
 * are left to the caller.
 */
export function apiFieldErrors(error: ApiError | undefined | null, prefix = 'config'): FieldErrors {
  const out: FieldErrors = {};
  for (const d of error?.details ?? []) {
    if (!d.field.startsWith(`${prefix}.`)) continue;
    const path = d.field.slice(prefix.length + 1).replace(/\[\d+\]/g, '');
    out[path] = out[path] ? `${out[path]}; ${d.reason}` : d.reason;
  }
  return out;
}
