import { ErrorDetail, ValidationFailed } from '@seqcast/core';
import { checkField } from './check-field';
import type { ConfigOf, JsonSchema, SchemaFields } from './field-spec';

/**
 * Cross-field checks; a detail's field is relative to the config (`'heads'`, or '' for the
 * whole). Declared as a method so a schema of known fields is also a schema of any fields
 * (registries hold schemas of many kinds).
 */
export type CrossCheck<F extends SchemaFields> = { check(config: ConfigOf<F>): ErrorDetail[] }['check'];

/**
 * A model's configuration, the one mechanism of every family: defaults filled in,
 * unknown fields rejected, every bad field named in one ValidationFailed
 * (`<prefix>.<name>`), cross-field checks, and a JSON Schema for the OpenAPI document.
 */
export class ConfigSchema<F extends SchemaFields = SchemaFields> {
  constructor(
    readonly fields: F,
    private readonly crossCheck?: CrossCheck<F>,
  ) {}

  defaults(): ConfigOf<F> {
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(this.fields))
      out[k] = Array.isArray(f.default) ? [...f.default] : f.default;
    return out as ConfigOf<F>;
  }

  /**
   * Fills defaults and validates `raw`; throws ValidationFailed with one detail per bad
   * field, each named `<prefix>.<field>` (the prefix alone for a non-object).
   */
  parse(raw: unknown, kind: string, prefix = 'config'): ConfigOf<F> {
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
      throw new ValidationFailed(`The ${prefix} of '${kind}' must be an object`, [
        { field: prefix, reason: 'must be an object' },
      ]);
    }
    const input = (raw ?? {}) as Record<string, unknown>;
    const out = this.defaults() as Record<string, unknown>;
    const details: ErrorDetail[] = [];
    for (const key of Object.keys(input)) {
      if (!Object.prototype.hasOwnProperty.call(this.fields, key))
        details.push({
          field: `${prefix}.${key}`,
          reason: `unknown option for '${kind}' (known: ${Object.keys(this.fields).join(', ')})`,
        });
    }
    for (const [key, spec] of Object.entries(this.fields)) {
      const v = input[key];
      if (v === undefined) continue;
      const reason = checkField(spec, v);
      if (reason) details.push({ field: `${prefix}.${key}`, reason });
      else out[key] = Array.isArray(v) ? [...v] : v;
    }
    // cross-field checks only make sense once every field is valid on its own
    if (!details.length && this.crossCheck) {
      for (const d of this.crossCheck(out as ConfigOf<F>))
        details.push({ ...d, field: d.field ? `${prefix}.${d.field}` : prefix });
    }
    if (details.length) {
      throw new ValidationFailed(
        `Invalid ${prefix} of '${kind}': ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`,
        details,
      );
    }
    return out as ConfigOf<F>;
  }

  toJsonSchema(): JsonSchema {
    // a deep copy: callers (OpenAPI, HTTP bodies) must not reach the live field specs
    const properties = JSON.parse(JSON.stringify(this.fields)) as JsonSchema['properties'];
    return { type: 'object', additionalProperties: false, properties };
  }
}
