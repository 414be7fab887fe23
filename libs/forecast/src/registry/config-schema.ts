import { ErrorDetail, ValidationFailed } from '@seqcast/core';

/** One option of a model's configuration. */
export type FieldSpec =
  | {
      type: 'integer' | 'number';
      default: number;
      minimum?: number;
      maximum?: number;
      exclusiveMinimum?: number;
      description: string;
    }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'string'; default: string; enum: readonly string[]; description: string }
  | { type: 'number[]'; default: number[]; minItems?: number; maxItems?: number; description: string };

export type SchemaFields = Record<string, FieldSpec>;

/** The plain config object a schema describes. */
export type ConfigOf<F extends SchemaFields> = {
  [K in keyof F]: F[K] extends { type: 'boolean' }
    ? boolean
    : F[K] extends { type: 'string' }
      ? string
      : F[K] extends { type: 'number[]' }
        ? number[]
        : number;
};

/** A JSON-Schema (draft 2020-12 subset) object: usable as an OpenAPI schema. */
export interface JsonSchema {
  type: 'object';
  additionalProperties: false;
  properties: Record<string, Record<string, unknown>>;
}

/**
 * A model's configuration: defaults, validation naming every bad field, cross-field
 * checks, and a JSON-schema-like description for the OpenAPI document.
 */
export class ConfigSchema<F extends SchemaFields> {
  constructor(
    readonly fields: F,
    private readonly crossCheck?: (config: ConfigOf<F>) => ErrorDetail[],
  ) {}

  defaults(): ConfigOf<F> {
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(this.fields))
      out[k] = Array.isArray(f.default) ? [...f.default] : f.default;
    return out as ConfigOf<F>;
  }

  /** Fills defaults and validates; throws ValidationFailed with one detail per bad field. */
  parse(raw: unknown, kind: string, fieldPrefix = 'config'): ConfigOf<F> {
    const details: ErrorDetail[] = [];
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
      throw new ValidationFailed(`Configuration of '${kind}' must be an object`, [
        { field: fieldPrefix, reason: 'must be an object' },
      ]);
    }
    const input = (raw ?? {}) as Record<string, unknown>;
    const out = this.defaults() as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!(key in this.fields))
        details.push({
          field: `${fieldPrefix}.${key}`,
          reason: `unknown option for '${kind}' (known: ${Object.keys(this.fields).join(', ')})`,
        });
    }
    for (const [key, spec] of Object.entries(this.fields)) {
      const v = input[key];
      if (v === undefined) continue;
      const field = `${fieldPrefix}.${key}`;
      const reason = checkValue(spec, v);
      if (reason) details.push({ field, reason });
      else out[key] = Array.isArray(v) ? [...v] : v;
    }
    if (!details.length && this.crossCheck) {
      for (const d of this.crossCheck(out as ConfigOf<F>))
        details.push({ ...d, field: d.field ? `${fieldPrefix}.${d.field}` : fieldPrefix });
    }
    if (details.length) {
      throw new ValidationFailed(
        `Invalid configuration for '${kind}': ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`,
        details,
      );
    }
    return out as ConfigOf<F>;
  }

  toJsonSchema(): JsonSchema {
    const properties: Record<string, Record<string, unknown>> = {};
    for (const [k, f] of Object.entries(this.fields)) {
      const p: Record<string, unknown> = { description: f.description, default: f.default };
      if (f.type === 'number[]') {
        p.type = 'array';
        p.items = { type: 'number' };
        if (f.minItems !== undefined) p.minItems = f.minItems;
        if (f.maxItems !== undefined) p.maxItems = f.maxItems;
      } else {
        p.type = f.type;
        if (f.type === 'integer' || f.type === 'number') {
          if (f.minimum !== undefined) p.minimum = f.minimum;
          if (f.maximum !== undefined) p.maximum = f.maximum;
          if (f.exclusiveMinimum !== undefined) p.exclusiveMinimum = f.exclusiveMinimum;
        }
        if (f.type === 'string') p.enum = [...f.enum];
      }
      properties[k] = p;
    }
    return { type: 'object', additionalProperties: false, properties };
  }
}

function checkValue(spec: FieldSpec, v: unknown): string | null {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v))
        return `must be a finite number, got ${JSON.stringify(v)}`;
      if (spec.type === 'integer' && !Number.isInteger(v)) return `must be an integer, got ${v}`;
      if (spec.minimum !== undefined && v < spec.minimum) return `must be >= ${spec.minimum}, got ${v}`;
      if (spec.exclusiveMinimum !== undefined && v <= spec.exclusiveMinimum)
        return `must be > ${spec.exclusiveMinimum}, got ${v}`;
      if (spec.maximum !== undefined && v > spec.maximum) return `must be <= ${spec.maximum}, got ${v}`;
      return null;
    }
    case 'boolean':
      return typeof v === 'boolean' ? null : `must be true or false, got ${JSON.stringify(v)}`;
    case 'string':
      return typeof v === 'string' && spec.enum.includes(v)
        ? null
        : `must be one of ${spec.enum.join(', ')}, got ${JSON.stringify(v)}`;
    case 'number[]': {
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
