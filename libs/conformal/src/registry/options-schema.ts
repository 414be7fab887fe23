import { ErrorDetail, ValidationFailed } from '@seqcast/core';

/** One option of a calibrator. */
export type OptionSpec =
  | {
      type: 'integer' | 'number';
      default: number;
      minimum?: number;
      maximum?: number;
      exclusiveMinimum?: number;
      exclusiveMaximum?: number;
      description: string;
    }
  | { type: 'boolean'; default: boolean; description: string };

export type OptionFields = Record<string, OptionSpec>;

export type OptionsOf<F extends OptionFields> = {
  [K in keyof F]: F[K] extends { type: 'boolean' } ? boolean : number;
};

/**
 * A method's options: defaults, validation naming every bad field (ValidationFailed with
 * details [{ field: 'options.<name>', reason }]), a JSON-schema description for OpenAPI.
 */
export class OptionsSchema<F extends OptionFields> {
  constructor(
    readonly fields: F,
    private readonly crossCheck?: (options: OptionsOf<F>) => ErrorDetail[],
  ) {}

  defaults(): OptionsOf<F> {
    return Object.fromEntries(Object.entries(this.fields).map(([k, f]) => [k, f.default])) as OptionsOf<F>;
  }

  parse(raw: unknown, method: string, prefix = 'options'): OptionsOf<F> {
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
      throw new ValidationFailed(`Options of '${method}' must be an object`, [
        { field: prefix, reason: 'must be an object' },
      ]);
    }
    const input = (raw ?? {}) as Record<string, unknown>;
    const out = this.defaults() as Record<string, unknown>;
    const details: ErrorDetail[] = [];
    for (const key of Object.keys(input)) {
      if (!(key in this.fields))
        details.push({
          field: `${prefix}.${key}`,
          reason: `unknown option for '${method}' (known: ${Object.keys(this.fields).join(', ')})`,
        });
    }
    for (const [key, spec] of Object.entries(this.fields)) {
      const v = input[key];
      if (v === undefined) continue;
      const reason = check(spec, v);
      if (reason) details.push({ field: `${prefix}.${key}`, reason });
      else out[key] = v;
    }
    if (!details.length && this.crossCheck) {
      for (const d of this.crossCheck(out as OptionsOf<F>))
        details.push({ ...d, field: d.field ? `${prefix}.${d.field}` : prefix });
    }
    if (details.length)
      throw new ValidationFailed(
        `Invalid options for '${method}': ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`,
        details,
      );
    return out as OptionsOf<F>;
  }

  toJsonSchema(): {
    type: 'object';
    additionalProperties: false;
    properties: Record<string, Record<string, unknown>>;
  } {
    const properties: Record<string, Record<string, unknown>> = {};
    for (const [k, f] of Object.entries(this.fields)) {
      const { description, ...rest } = f;
      properties[k] = { description, ...rest };
    }
    return { type: 'object', additionalProperties: false, properties };
  }
}

function check(spec: OptionSpec, v: unknown): string | undefined {
  if (spec.type === 'boolean') return typeof v === 'boolean' ? undefined : 'must be a boolean';
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a finite number';
  if (spec.type === 'integer' && !Number.isInteger(v)) return 'must be an integer';
  if (spec.minimum !== undefined && v < spec.minimum) return `must be >= ${spec.minimum}`;
  if (spec.maximum !== undefined && v > spec.maximum) return `must be <= ${spec.maximum}`;
  if (spec.exclusiveMinimum !== undefined && v <= spec.exclusiveMinimum)
    return `must be > ${spec.exclusiveMinimum}`;
  if (spec.exclusiveMaximum !== undefined && v >= spec.exclusiveMaximum)
    return `must be < ${spec.exclusiveMaximum}`;
  return undefined;
}
